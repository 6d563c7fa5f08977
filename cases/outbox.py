"""The reply outbox: claim due replies, publish each at most once, record the outcome.

A reply is marked `sending` (and its attempt counted) in a committed transaction before the platform is
called. If the worker dies after the platform accepted it but before the outcome was recorded, the row
stays `sending` until its claim expires; the next worker then looks for the reply on the platform before
sending again, so a crash does not produce a second public reply.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from cases.models import Reply, ReplyStatus
from cases.services import mark_reply_attempt_failed, mark_reply_sent
from sources.connectors.base import Connector, ConnectorError
from sources.models import PublishingAccount
from sources.runner import connector_for_account

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 120


def _due() -> Q:
    now = timezone.now()
    return Q(status=ReplyStatus.QUEUED, next_attempt_at__lte=now) | Q(status=ReplyStatus.SENDING, claimed_until__lt=now)


def claim_due_replies(owner: str, limit: int = 20) -> list[Reply]:
    """Claim up to `limit` due replies for `owner`; several workers never claim the same row."""
    now = timezone.now()
    claimed: list[int] = []
    with transaction.atomic():
        candidates = Reply.objects.filter(_due()).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            ids = list(candidates.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
        else:
            ids = list(candidates.values_list("pk", flat=True)[:limit])
        for pk in ids:
            # The conditional update is the claim: if another worker got there first it matches nothing.
            if Reply.objects.filter(_due(), pk=pk).update(
                claimed_by=owner,
                claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
                status=ReplyStatus.SENDING,
                attempts=F("attempts") + 1,
            ):
                claimed.append(pk)
    return list(Reply.objects.filter(pk__in=claimed).select_related("case", "in_reply_to", "agency").order_by("pk"))


def publish_reply(reply: Reply, connector: Connector | None = None) -> Reply:
    """Publish one claimed reply and record what happened."""
    account = PublishingAccount.objects.filter(agency=reply.agency, platform=reply.in_reply_to.platform).first()
    if account is None:
        return mark_reply_attempt_failed(
            reply,
            error="The agency has no publishing account on this platform.",
            retryable=False,
            retry_after=None,
            max_attempts=settings.KEMALA_OUTBOX_MAX_ATTEMPTS,
        )
    try:
        connector = connector or connector_for_account(account)
        credentials = account.credentials_for_connector()
        if reply.attempts > 1:
            # An earlier attempt may have reached the platform before we lost track: look before resending.
            finder = getattr(connector, "find_reply", None)
            if finder is not None:
                found = finder(reply.in_reply_to.external_id, account.handle, reply.text[:50])
                if found is not None:
                    logger.info("reply %s was already published as %s", reply.pk, found.external_id)
                    return mark_reply_sent(reply, external_id=found.external_id, url=found.url)
        result = connector.publish_reply(
            in_reply_to_id=reply.in_reply_to.external_id,
            text=reply.text,
            credentials=credentials,
            idempotency_key=str(reply.idempotency_key),
        )
    except ConnectorError as exc:
        logger.warning("reply %s attempt %d failed: %s", reply.pk, reply.attempts, exc)
        return mark_reply_attempt_failed(
            reply,
            error=str(exc),
            retryable=exc.retryable,
            retry_after=exc.retry_after,
            max_attempts=settings.KEMALA_OUTBOX_MAX_ATTEMPTS,
        )
    return mark_reply_sent(reply, external_id=result.external_id, url=result.url)


def process_outbox(owner: str, limit: int = 20) -> int:
    replies = claim_due_replies(owner, limit)
    for reply in replies:
        try:
            publish_reply(reply)
        except Exception:  # one bad row must not stop the outbox
            logger.exception("reply %s could not be processed", reply.pk)
    return len(replies)
