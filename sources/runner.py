"""Source runners: hold a source's lease, fetch through its connector, ingest, and record its health."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from sources.connectors.base import Connector, ConnectorError
from sources.ingest import IngestStats, ingest
from sources.models import Platform, PublishingAccount, Source

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 15 * 60


def _connector(
    platform: str, *, base_url: str, public_base_url: str, credentials: dict[str, Any], query: str
) -> Connector:
    """The connector for `platform`: the platform's own API unless a base URL (a fake, a self-hosted
    instance) is configured, and links on that same host unless a public base URL says otherwise."""
    if platform == Platform.X:
        from sources.connectors.x import XConnector

        return XConnector(
            base_url=base_url or "https://api.x.com",
            bearer_token=str(credentials.get("bearer_token", "")),
            query=query,
            public_base_url=public_base_url or base_url or "https://x.com",
        )
    raise ConnectorError(f"No connector for platform {platform!r} yet", retryable=False)


def connector_for_source(source: Source) -> Connector:
    return _connector(
        source.platform,
        base_url=source.base_url,
        public_base_url=source.public_base_url,
        credentials=source.credentials,
        query=source.query,
    )


def connector_for_account(account: PublishingAccount) -> Connector:
    return _connector(
        account.platform,
        base_url=account.base_url,
        public_base_url=account.public_base_url,
        credentials=account.credentials,
        query="",
    )


def claim_lease(source: Source, owner: str, seconds: int | None = None) -> bool:
    """Take or renew the source's lease with one conditional UPDATE; only one runner can hold it."""
    now = timezone.now()
    seconds = seconds or settings.KEMALA_SOURCE_LEASE_SECONDS
    taken = Source.objects.filter(
        Q(lease_owner="") | Q(lease_owner=owner) | Q(lease_expires_at__lt=now) | Q(lease_expires_at__isnull=True),
        pk=source.pk,
    ).update(lease_owner=owner, lease_expires_at=now + timedelta(seconds=seconds))
    return taken == 1


def release_lease(source: Source, owner: str) -> None:
    Source.objects.filter(pk=source.pk, lease_owner=owner).update(lease_owner="", lease_expires_at=None)


def due_sources() -> list[Source]:
    now = timezone.now()
    return list(
        Source.objects.filter(is_paused=False)
        .filter(Q(next_run_at__isnull=True) | Q(next_run_at__lte=now))
        .select_related("program")
        .order_by("next_run_at", "pk")
    )


def run_source_once(source: Source, owner: str, connector: Connector | None = None) -> IngestStats | None:
    """Fetch and ingest one round for `source` if this runner holds its lease; record success or failure."""
    if not claim_lease(source, owner):
        return None
    source.refresh_from_db(from_queryset=Source.objects.select_related("program"))  # ingest reads the program
    now = timezone.now()
    try:
        result = (connector or connector_for_source(source)).fetch(source.cursor or None)
        stats = ingest(source, result)
    except ConnectorError as exc:
        _record_failure(source, str(exc), retry_after=exc.retry_after)
        return None
    except Exception as exc:  # a failing source fails loudly but never stops the other sources
        logger.exception("source %s failed unexpectedly", source.name)
        _record_failure(source, f"{type(exc).__name__}: {exc}", retry_after=None)
        return None
    Source.objects.filter(pk=source.pk).update(
        last_run_at=now, next_run_at=now + timedelta(seconds=source.poll_interval_seconds)
    )
    if stats.stored or stats.quarantined:
        logger.info(
            "source %s stored %d posts (%d duplicates, %d quarantined, %d new cases)",
            source.name,
            stats.stored,
            stats.duplicates,
            stats.quarantined,
            stats.cases_opened,
        )
    return stats


def _record_failure(source: Source, message: str, *, retry_after: float | None) -> None:
    now = timezone.now()
    failures = source.consecutive_failures + 1
    backoff = min(source.poll_interval_seconds * 2 ** min(failures, 10), MAX_BACKOFF_SECONDS)
    if retry_after is not None:
        backoff = max(backoff, retry_after)
    logger.error("source %s failed (%d in a row): %s", source.name, failures, message)
    Source.objects.filter(pk=source.pk).update(
        last_run_at=now,
        last_error=message[:2000],
        last_error_at=now,
        consecutive_failures=F("consecutive_failures") + 1,
        next_run_at=now + timedelta(seconds=backoff),
    )


def release_all_leases(owner: str) -> int:
    return Source.objects.filter(lease_owner=owner).update(lease_owner="", lease_expires_at=None)
