"""Every change of a case's state. Views, the API and the worker call these and nothing else writes cases.

Each transition checks who may do it, refuses illegal moves with a message meant for the user, locks the
case row, writes one audit event (who, when, from, to, why) and schedules side effects after commit.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    OPEN_STATUSES,
    AuditEvent,
    Case,
    RejectReason,
    Reply,
    ReplyStatus,
    Status,
)
from kemala.batchwrite import ids_by_key, insert_rows
from programs.access import membership_for
from programs.models import Agency, Program, Region, Role, Sector

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

SYSTEM = "system"
TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud and retyped
REPLY_LIMITS = {"x": 280, "mastodon": 500, "bluesky": 300, "telegram": 4096}


# The statuses each action may start from: the one table the services enforce and the pages offer.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "triage": (Status.NEW, Status.TRIAGED),
    "delegate": (Status.NEW, Status.TRIAGED, Status.TRANSFER_REQUESTED, Status.DELEGATED, Status.ACKNOWLEDGED),
    "reject": (Status.NEW, Status.TRIAGED, Status.TRANSFER_REQUESTED),
    "merge": (Status.NEW, Status.TRIAGED, Status.DELEGATED, Status.ACKNOWLEDGED, Status.TRANSFER_REQUESTED),
    "close": (Status.RESOLVED,),
    "acknowledge": (Status.DELEGATED,),
    "reply": (Status.DELEGATED, Status.ACKNOWLEDGED, Status.ANSWERED),
    "transfer": (Status.DELEGATED, Status.ACKNOWLEDGED),
    "resolve": (Status.ANSWERED,),
}
ADMIN_ACTIONS = ("triage", "delegate", "reject", "merge", "close")
AGENCY_ACTIONS = ("acknowledge", "reply", "transfer", "resolve")


class TransitionError(Exception):
    """The requested change is not allowed now; the message is shown to the user as it is."""


class NotAllowed(TransitionError):
    """The user's role does not permit this action."""


#
# Helpers
#


def build_event(
    case: Case | None,
    *,
    program: Program,
    actor: User | None,
    action: str,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """An audit event, not yet saved: ingest saves a page's events in one statement."""
    return AuditEvent(
        program=program,
        case=case,
        actor=actor,
        actor_label=actor_label or ("" if actor else SYSTEM),
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=data or {},
    )


def record_event(case: Case | None, **fields: Any) -> AuditEvent:
    """Write one audit event now (see build_event for the fields)."""
    event = build_event(case, **fields)
    event.save()
    return event


def new_tracking_code(program: Program) -> str:
    prefix = "".join(ch for ch in program.slug.upper() if ch.isalnum())[:4] or "KML"
    stamp = timezone.now().strftime("%y%m")
    # One read of the system's randomness, not six: 256 is a multiple of the alphabet's 32 letters, so each
    # letter stays equally likely.
    suffix = "".join(TRACKING_ALPHABET[byte % len(TRACKING_ALPHABET)] for byte in secrets.token_bytes(6))
    return f"{prefix}-{stamp}-{suffix}"


def _lock(case: Case) -> Case:
    """Reload the case under a row lock so two people acting at once cannot both succeed."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _lock_reply(reply: Reply) -> Reply:
    """Reload the reply (with its case) under a row lock: two workers reporting on it cannot interleave."""
    return Reply.objects.select_for_update().select_related("case").get(pk=reply.pk)


def _require_admin(actor: User, program: Program) -> None:
    membership = membership_for(actor, program)
    if membership is None or membership.role != Role.ADMIN:
        raise NotAllowed(_("Only a Kemala admin may do this."))


def _require_agency_staff(actor: User, case: Case) -> None:
    membership = membership_for(actor, case.program)
    if membership is None or not membership.is_agency_staff or membership.agency_id != case.agency_id:
        raise NotAllowed(_("Only staff of the agency this case is delegated to may do this."))


def _require_status(case: Case, allowed: Iterable[str], action: str) -> None:
    if case.status not in allowed:
        raise TransitionError(
            _("A case that is %(status)s cannot be %(action)s.")
            % {"status": case.get_status_display().lower(), "action": action}
        )


def _transition(
    case: Case,
    actor: User | None,
    action: str,
    to_status: str,
    *,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: Iterable[str] = (),
) -> Case:
    from_status = case.status
    case.status = to_status
    case.save(update_fields=["status", "updated_at", *update_fields])
    record_event(
        case,
        program=case.program,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=data,
    )
    return case


#
# The Kemala admin's decisions
#


@transaction.atomic
def triage_case(
    case: Case,
    actor: User,
    *,
    sector: Sector | None,
    region: Region | None,
    kind: str | None = None,
) -> Case:
    """Confirm or correct the machine's reading without delegating yet."""
    _require_admin(actor, case.program)
    case = _lock(case)
    _require_status(case, ALLOWED_FROM["triage"], _("triaged"))
    _check_same_program(case, sector, region)
    changes = {
        "sector": [case.sector.code if case.sector else None, sector.code if sector else None],
        "region": [case.region.code if case.region else None, region.code if region else None],
    }
    case.sector, case.region = sector, region
    fields = ["sector", "region"]
    if kind:
        changes["kind"] = [case.kind, kind]
        case.kind = kind
        fields.append("kind")
    return _transition(case, actor, "triage", Status.TRIAGED, data={"changes": changes}, update_fields=fields)


@transaction.atomic
def delegate_case(case: Case, actor: User, *, agency: Agency, note: str = "") -> Case:
    """Hand the case to the agency responsible (disposisi); also re-delegates after a transfer request."""
    _require_admin(actor, case.program)
    case = _lock(case)
    _require_status(case, ALLOWED_FROM["delegate"], _("delegated"))
    if agency.program_id != case.program_id or not agency.is_active:
        raise TransitionError(_("That agency does not belong to this program or is inactive."))
    if case.agency_id == agency.pk and case.status in (Status.DELEGATED, Status.ACKNOWLEDGED):
        raise TransitionError(_("The case is already delegated to %(agency)s.") % {"agency": agency.short_name})
    previous = case.agency.code if case.agency else None
    case.agency = agency
    case.delegated_at = timezone.now()
    if case.sector is None and case.suggested_sector is not None:
        case.sector = case.suggested_sector
    if case.region is None and case.suggested_region is not None:
        case.region = case.suggested_region
    return _transition(
        case,
        actor,
        "delegate",
        Status.DELEGATED,
        reason=note.strip(),
        data={
            "agency": agency.code,
            "previous_agency": previous,
            "suggested_agency": case.suggested_agency.code if case.suggested_agency else None,
            "accepted_suggestion": case.suggested_agency_id == agency.pk,
        },
        update_fields=["agency", "delegated_at", "sector", "region"],
    )


@transaction.atomic
def reject_case(case: Case, actor: User, *, reason: str, note: str = "") -> Case:
    _require_admin(actor, case.program)
    if reason not in RejectReason.values:
        raise TransitionError(_("Choose a reason: spam, not a public-service matter, or duplicate."))
    case = _lock(case)
    _require_status(case, ALLOWED_FROM["reject"], _("rejected"))
    case.reject_reason = reason
    return _transition(
        case,
        actor,
        "reject",
        Status.REJECTED,
        reason=note.strip() or str(RejectReason(reason).label),
        data={"reject_reason": reason},
        update_fields=["reject_reason"],
    )


@transaction.atomic
def merge_case(case: Case, actor: User, *, into: Case, note: str = "") -> Case:
    """Fold a duplicate into another case: its posts and support move there; it stays as a pointer."""
    _require_admin(actor, case.program)
    if into.pk == case.pk:
        raise TransitionError(_("A case cannot be merged into itself."))
    if into.program_id != case.program_id:
        raise TransitionError(_("Cases of different programs cannot be merged."))
    # Lock both in a fixed order so two opposite merges cannot deadlock.
    first, second = sorted([case.pk, into.pk])
    locked = {c.pk: c for c in Case.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
    case, into = locked[case.pk], locked[into.pk]
    _require_status(case, ALLOWED_FROM["merge"], _("merged"))
    if into.status not in OPEN_STATUSES and into.status != Status.RESOLVED:
        raise TransitionError(
            _("Case %(code)s is %(status)s; merge into an open case.")
            % {"code": into.tracking_code, "status": into.get_status_display().lower()}
        )
    from sources.models import Post

    moved = Post.objects.filter(case=case).update(case=into)
    Case.objects.filter(pk=into.pk).update(support_count=F("support_count") + case.support_count + 1)
    case.merged_into = into
    record_event(
        into,
        program=into.program,
        actor=actor,
        action="merge_in",
        reason=note.strip(),
        data={"from_case": case.tracking_code, "posts_moved": moved},
    )
    return _transition(
        case,
        actor,
        "merge",
        Status.MERGED,
        reason=note.strip(),
        data={"into_case": into.tracking_code, "posts_moved": moved},
        update_fields=["merged_into"],
    )


@transaction.atomic
def close_case(case: Case, actor: User, *, note: str = "") -> Case:
    _require_admin(actor, case.program)
    case = _lock(case)
    _require_status(case, ALLOWED_FROM["close"], _("closed"))
    case.closed_at = timezone.now()
    return _transition(case, actor, "close", Status.CLOSED, reason=note.strip(), update_fields=["closed_at"])


#
# The agency's work
#


@transaction.atomic
def acknowledge_case(case: Case, actor: User) -> Case:
    _require_agency_staff(actor, case)
    case = _lock(case)
    _require_status(case, ALLOWED_FROM["acknowledge"], _("acknowledged"))
    case.acknowledged_at = timezone.now()
    return _transition(case, actor, "acknowledge", Status.ACKNOWLEDGED, update_fields=["acknowledged_at"])


@transaction.atomic
def request_transfer(case: Case, actor: User, *, reason: str) -> Case:
    """An agency that is not responsible hands the case back to the admin; nothing is closed as 'not ours'."""
    _require_agency_staff(actor, case)
    if not reason.strip():
        raise TransitionError(_("Say why another agency is responsible."))
    case = _lock(case)
    _require_status(case, ALLOWED_FROM["transfer"], _("sent back for transfer"))
    return _transition(
        case,
        actor,
        "request_transfer",
        Status.TRANSFER_REQUESTED,
        reason=reason.strip(),
        data={"agency": case.agency.code if case.agency else None},
    )


@transaction.atomic
def queue_reply(case: Case, actor: User, *, text: str) -> Reply:
    """Put a public reply in the outbox; the worker publishes it from the agency's own account."""
    from sources.models import Post, PostRole, PublishingAccount

    _require_agency_staff(actor, case)
    text = text.strip()
    if not text:
        raise TransitionError(_("Write the reply first."))
    case = _lock(case)
    _require_status(case, ALLOWED_FROM["reply"], _("answered"))
    limit = REPLY_LIMITS.get(case.platform)
    if limit is not None and len(text) > limit:
        raise TransitionError(
            _("This platform accepts at most %(limit)d characters; the reply has %(length)d.")
            % {"limit": limit, "length": len(text)}
        )
    assert case.agency is not None  # guaranteed by _require_agency_staff
    platform_label = case.get_platform_display()  # the display name (translated for "web"), not the code
    if not PublishingAccount.objects.filter(agency=case.agency, platform=case.platform).exists():
        raise TransitionError(
            _("%(agency)s has no account on %(platform)s to reply from; ask the Kemala admin to add one.")
            % {"agency": case.agency.short_name, "platform": platform_label}
        )
    target = Post.objects.filter(case=case, role=PostRole.REPORT, platform=case.platform).order_by("posted_at").first()
    if target is None:
        raise TransitionError(
            _("This case has no citizen post on %(platform)s to reply to.") % {"platform": platform_label}
        )
    if case.status == Status.DELEGATED:
        # Replying is acknowledging: record both steps so the clocks stay honest.
        case.acknowledged_at = timezone.now()
        _transition(case, actor, "acknowledge", Status.ACKNOWLEDGED, update_fields=["acknowledged_at"])
    reply = Reply.objects.create(
        case=case,
        in_reply_to=target,
        agency=case.agency,
        author=actor,
        text=text,
        next_attempt_at=timezone.now(),
    )
    record_event(
        case,
        program=case.program,
        actor=actor,
        action="reply_queued",
        from_status=case.status,
        to_status=case.status,
        data={"reply": reply.pk},
    )
    return reply


@transaction.atomic
def resolve_case(case: Case, actor: User, *, note: str = "") -> Case:
    _require_agency_staff(actor, case)
    case = _lock(case)
    _require_status(case, ALLOWED_FROM["resolve"], _("resolved"))
    case.resolved_at = timezone.now()
    return _transition(case, actor, "resolve", Status.RESOLVED, reason=note.strip(), update_fields=["resolved_at"])


#
# The outbox's outcomes (system actor)
#


@transaction.atomic
def mark_reply_sent(reply: Reply, *, external_id: str, url: str) -> Reply:
    reply = _lock_reply(reply)
    if reply.status == ReplyStatus.SENT:
        return reply  # recorded already: a second report of the same send changes nothing
    now = timezone.now()
    reply.status = ReplyStatus.SENT
    reply.external_id, reply.url, reply.sent_at = external_id, url, now
    reply.last_error = ""
    reply.claimed_by, reply.claimed_until = "", None
    reply.save(update_fields=["status", "external_id", "url", "sent_at", "last_error", "claimed_by", "claimed_until"])
    case = _lock(reply.case)
    data = {"reply": reply.pk, "external_id": external_id, "url": url}
    if case.first_reply_at is None:
        case.first_reply_at = now
        case.first_reply_seconds = max(int((now - case.opened_at).total_seconds()), 0)
        case.save(update_fields=["first_reply_at", "first_reply_seconds", "updated_at"])
    if case.status in (Status.DELEGATED, Status.ACKNOWLEDGED):
        _transition(case, None, "reply_sent", Status.ANSWERED, data=data)
    else:
        record_event(
            case,
            program=case.program,
            actor=None,
            action="reply_sent",
            from_status=case.status,
            to_status=case.status,
            data=data,
        )
    return reply


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 30 s, 1, 2, 4 … minutes, capped at one hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


@transaction.atomic
def mark_reply_attempt_failed(
    reply: Reply, *, error: str, retryable: bool, retry_after: float | None, max_attempts: int
) -> Reply:
    reply = _lock_reply(reply)
    if reply.status == ReplyStatus.SENT:
        return reply
    give_up = not retryable or reply.attempts >= max_attempts
    reply.last_error = error[:2000]
    reply.claimed_by, reply.claimed_until = "", None
    if give_up:
        reply.status = ReplyStatus.FAILED
    else:
        delay = retry_delay(reply.attempts)
        if retry_after is not None:
            delay = max(delay, timedelta(seconds=retry_after))
        reply.status = ReplyStatus.QUEUED
        reply.next_attempt_at = timezone.now() + delay
    reply.save(update_fields=["status", "last_error", "next_attempt_at", "claimed_by", "claimed_until"])
    record_event(
        reply.case,
        program=reply.case.program,
        actor=None,
        action="reply_failed" if give_up else "reply_retry",
        from_status=reply.case.status,
        to_status=reply.case.status,
        reason=error[:500],
        data={"reply": reply.pk, "attempts": reply.attempts, "retryable": retryable},
    )
    return reply


@transaction.atomic
def retry_failed_reply(reply: Reply, actor: User) -> Reply:
    """Put a failed reply back in the outbox (the operator fixed the cause, or the platform recovered)."""
    _require_agency_staff(actor, reply.case)
    reply = _lock_reply(reply)
    if reply.status != ReplyStatus.FAILED:
        raise TransitionError(_("Only a failed reply can be retried."))
    reply.status = ReplyStatus.QUEUED
    reply.next_attempt_at = timezone.now()
    reply.attempts = 0
    reply.save(update_fields=["status", "next_attempt_at", "attempts"])
    record_event(
        reply.case,
        program=reply.case.program,
        actor=actor,
        action="reply_requeued",
        from_status=reply.case.status,
        to_status=reply.case.status,
        data={"reply": reply.pk},
    )
    return reply


def _check_same_program(case: Case, *objects: Sector | Region | Agency | None) -> None:
    for obj in objects:
        if obj is not None and obj.program_id != case.program_id:
            raise TransitionError(_("That choice does not belong to this program."))


@dataclass(eq=False, slots=True)
class NewCase:
    """A case that ingest opens, not yet stored: its column values (as for `Case(**row)`), then its id."""

    row: dict[str, Any]
    pk: int | None = None  # set by open_cases
    status: str = Status.NEW


@dataclass(eq=False, slots=True)
class NewEvent:
    """An audit event that ingest records, not yet stored: its column values except `case_id`, and its case."""

    case: Case | NewCase
    row: dict[str, Any]


def ingest_event(
    case: Case | NewCase, *, program_id: int, action: str, from_status: str, to_status: str, data: dict[str, Any]
) -> NewEvent:
    """An audit event by the system about `case` (as build_event with no actor), stored by open_cases."""
    return NewEvent(
        case,
        {
            "program_id": program_id,
            "actor_label": SYSTEM,
            "action": action,
            "from_status": from_status,
            "to_status": to_status,
            "data": data,
        },
    )


def new_case_for_post(
    program: Program,
    post: Mapping[str, Any],
    *,
    sector_id: int | None,
    agency_id: int | None,
    region_id: int | None,
    urgency: int,
    kind: str,
) -> tuple[NewCase, NewEvent]:
    """A new case for a citizen's post (its row, see ingest) and its "open" event; open_cases stores a batch."""
    case = NewCase(
        {
            "program_id": program.pk,
            "tracking_code": new_tracking_code(program),
            "status": Status.NEW,
            "kind": kind or "complaint",
            "urgency": urgency,
            "platform": post["platform"],
            "summary": post["text"][:280],
            "suggested_sector_id": sector_id,
            "suggested_agency_id": agency_id,
            "suggested_region_id": region_id,
            "sector_id": sector_id,
            "region_id": region_id,
            "sector_confidence": post["sector_confidence"],
            "agency_confidence": post["agency_confidence"],
            "model_version": post["model_version"],
            "support_count": 0,
            "opened_at": post["posted_at"],
        }
    )
    event = ingest_event(
        case,
        program_id=program.pk,
        action="open",
        from_status="",
        to_status=Status.NEW,
        data={"post": post["external_id"], "platform": post["platform"]},
    )
    return case, event


def open_cases(program: Program, cases: list[NewCase], events: list[NewEvent]) -> None:
    """Store new cases, then the audit events of this batch (ingest's path: two executemany a page).

    Called inside ingest's transaction; written below the ORM for speed (see kemala.batchwrite). The events
    may be about cases of this batch: those get their ids from the first statement.
    """
    _give_unused_tracking_codes(program, cases)
    ids = insert_rows(Case, [case.row for case in cases], key="tracking_code")
    for case in cases:
        case.pk = ids[case.row["tracking_code"]]
    insert_rows(AuditEvent, [{**event.row, "case_id": event.case.pk} for event in events])


def _give_unused_tracking_codes(program: Program, cases: list[NewCase]) -> None:
    """Draw again the tracking codes of `cases` that another case has (one query a round).

    Six random letters of 32 (~1.07 billion codes a month) collide by chance: among 16,580 cases of one month
    with a probability of ~12%, and surely among the 500,000 of an archive import. Without this check the
    batch's INSERT fails on the unique constraint and the whole page is retried.
    """
    codes = [case.row["tracking_code"] for case in cases]
    while codes:
        taken = set(ids_by_key(Case, "tracking_code", codes))
        seen: set[str] = set()
        codes = []
        for case in cases:
            code = case.row["tracking_code"]
            if code in taken or code in seen:
                code = case.row["tracking_code"] = new_tracking_code(program)
                codes.append(code)
            seen.add(code)
