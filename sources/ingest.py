"""Store fetched posts exactly once, read them, and attach each to a case — in one transaction with the cursor.

The cursor is saved in the same transaction as the posts it covers, so a crash anywhere before the commit
leaves both untouched and the next poll fetches the same posts again; the unique (platform, id) constraint
and the lookup below make that harmless.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases.models import OPEN_STATUSES, AuditEvent, Case, Reply, Status, Urgency
from cases.services import build_event, new_case_for_post, open_cases
from programs.models import Agency, Program, Region, Sector
from programs.reader import reader_for
from sources.connectors.base import FetchedPost, FetchResult
from sources.models import Post, PostRole, PublishingAccount, QuarantinedItem, Source

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 100_000  # far above any platform's limit; the raw payload keeps the original regardless


@dataclass
class IngestStats:
    stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    cases_opened: int = 0


def clean_text(value: str) -> str:
    """Make text storable in every database: drop NUL bytes, replace lone surrogates with U+FFFD."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Through UTF-16 so that each lone surrogate becomes exactly one U+FFFD.
        value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return value


def clean_json(value: Any) -> Any:
    """Apply clean_text to every string in a JSON value (PostgreSQL's jsonb refuses \\u0000).

    Almost every payload is clean: one pass of the C JSON encoder proves it, and only a payload with a NUL or a
    lone surrogate is walked in Python.
    """
    if isinstance(value, dict | list):
        try:
            dumped = json.dumps(value, ensure_ascii=False)
            dumped.encode("utf-8")  # raises on a lone surrogate
        except (UnicodeEncodeError, TypeError, ValueError):
            return _clean_json_walk(value)
        return _clean_json_walk(value) if "\\u0000" in dumped else value
    return _clean_json_walk(value)


def _clean_json_walk(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean_json_walk(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_json_walk(v) for v in value]
    return value


class _Lookups:
    """Reference rows by code for one batch, so reading a post costs no query."""

    def __init__(self, program: Program, region_codes: set[str]) -> None:
        self.sectors = {s.code: s for s in Sector.objects.filter(program=program)}
        self.agencies = {a.code: a for a in Agency.objects.filter(program=program, is_active=True)}
        self.regions = {r.code: r for r in Region.objects.filter(program=program, code__in=region_codes)}


class _Known:
    """What linking needs to know about other posts and replies, loaded once per batch.

    `posts` holds the posts with a case whose platform id a post of this batch refers to (repost of, reply
    to, conversation root), from the database and then from this batch as it is linked, so a reply to a
    post earlier in the same batch finds it as it would have found it stored. `replies` maps the platform
    ids of published agency replies (the referenced ids and the batch's own ids) to their rows.
    """

    def __init__(self, program: Program, platform: str, posts: list[FetchedPost]) -> None:
        self.program = program
        targets = {t for p in posts for t in (p.repost_of_id, p.in_reply_to_id, p.conversation_id) if t}
        self.posts: dict[str, Post] = {
            p.external_id: p
            for p in Post.objects.filter(platform=platform, external_id__in=targets, case__isnull=False)
            .select_related("case", "case__merged_into")
            .order_by("pk")
        }
        self.replies: dict[str, Reply] = {}
        wanted = targets | {p.external_id for p in posts}
        for reply in (
            Reply.objects.filter(external_id__in=wanted, case__program=program)
            .select_related("case", "case__merged_into")
            .order_by("pk")
        ):
            self.replies.setdefault(reply.external_id, reply)

    def remember(self, post: Post) -> None:
        if post.case is not None:
            self.posts.setdefault(post.external_id, post)


def _resolve_open_case(case: Case | None) -> Case | None:
    seen = 0
    while case is not None and case.status == Status.MERGED and case.merged_into_id and seen < 20:
        case = case.merged_into
        seen += 1
    if case is not None and (case.status in OPEN_STATUSES or case.status == Status.RESOLVED):
        return case
    return None


def _thread_case(fetched: FetchedPost, known: _Known) -> Case | None:
    """The open case whose thread this post continues: by the post it answers, else the conversation root."""
    targets = [t for t in (fetched.in_reply_to_id, fetched.conversation_id) if t and t != fetched.external_id]
    for target in targets:
        post = known.posts.get(target)
        if post is not None and post.program_id == known.program.pk:
            return _resolve_open_case(post.case)
        reply = known.replies.get(target)
        if reply is not None:
            return _resolve_open_case(reply.case)
    return None


def ingest(source: Source, result: FetchResult) -> IngestStats:
    """Store `result` for `source` and advance its cursor, all or nothing."""
    stats = IngestStats()
    program = source.program
    reader = reader_for(program.slug)
    platform = source.platform
    with transaction.atomic():
        ids = [p.external_id for p in result.posts]
        existing = set(
            Post.objects.filter(platform=platform, external_id__in=ids).values_list("external_id", flat=True)
        )
        agency_handles = {
            h.lower()
            for h in PublishingAccount.objects.filter(agency__program=program, platform=platform).values_list(
                "handle", flat=True
            )
        }
        readings = {}
        for fetched in result.posts:
            if fetched.external_id in existing or fetched.external_id in readings:
                continue
            readings[fetched.external_id] = reader.read(
                clean_text(fetched.text), author_location=fetched.author_location or fetched.place_name
            )
        lookups = _Lookups(program, {r.region for r in readings.values() if r.region})
        known = _Known(program, platform, [p for p in result.posts if p.external_id in readings])
        new_posts: list[Post] = []
        new_cases: list[Case] = []
        events: list[AuditEvent] = []
        supported: Counter[int] = Counter()
        for fetched in result.posts:
            if fetched.external_id in existing:
                stats.duplicates += 1
                continue
            existing.add(fetched.external_id)
            reading = readings[fetched.external_id]
            post = _new_post(source, fetched, reading)
            stats.stored += 1
            if _link(post, fetched, reading, lookups, agency_handles, known, supported, new_cases, events):
                stats.cases_opened += 1
            known.remember(post)
            new_posts.append(post)
        # The page's new cases and audit events, then its posts (each already linked): three INSERTs a page;
        # then the support counts, one UPDATE a case.
        open_cases(new_cases, events)
        Post.objects.bulk_create(new_posts)
        for case_pk, count in supported.items():
            Case.objects.filter(pk=case_pk).update(support_count=F("support_count") + count)
        for item in result.quarantined:
            raw = item.raw if isinstance(item.raw, str) else json.dumps(item.raw, ensure_ascii=False, default=str)
            QuarantinedItem.objects.create(
                source=source,
                external_id=item.external_id or "",
                reason=clean_text(item.reason)[:2000],
                raw=clean_text(raw)[:200_000],
            )
            logger.warning("source %s quarantined item %s: %s", source.name, item.external_id, item.reason)
            stats.quarantined += 1
        now = timezone.now()
        updates: dict[str, Any] = {
            "last_success_at": now,
            "last_error": "",
            "consecutive_failures": 0,
            "posts_captured": F("posts_captured") + stats.stored,
        }
        if result.cursor:
            updates["cursor"] = result.cursor
        Source.objects.filter(pk=source.pk).update(**updates)
    if result.cursor:
        source.cursor = result.cursor
    return stats


def _new_post(source: Source, fetched: FetchedPost, reading: Any) -> Post:
    """The post as it will be stored (unsaved: the batch is inserted at once when every post is linked)."""
    text = clean_text(fetched.text)
    return Post(
        program=source.program,
        source=source,
        platform=source.platform,
        external_id=fetched.external_id,
        url=clean_text(fetched.url)[:500],
        author_id=clean_text(fetched.author_id)[:200],
        author_handle=clean_text(fetched.author_handle)[:200],
        author_name=clean_text(fetched.author_name)[:300],
        author_location=clean_text(fetched.author_location or "")[:300],
        text=text[:MAX_TEXT_CHARS],
        lang=(fetched.lang or "")[:20],
        place_name=clean_text(fetched.place_name or "")[:300],
        posted_at=fetched.created_at,
        conversation_id=fetched.conversation_id or "",
        in_reply_to_id=fetched.in_reply_to_id or "",
        repost_of_id=fetched.repost_of_id or "",
        raw=clean_json(fetched.raw),
        kind=reading.kind,
        sector_code=reading.sector or "",
        sector_confidence=reading.sector_confidence,
        agency_code=reading.agency or "",
        agency_confidence=reading.agency_confidence,
        region_code=reading.region or "",
        region_evidence=clean_text(reading.region_evidence or "")[:200],
        urgency=reading.urgency,
        pii=[{"kind": s.kind, "start": s.start, "end": s.end} for s in reading.pii],
        model_version=reading.model_version,
    )


def _link(
    post: Post,
    fetched: FetchedPost,
    reading: Any,
    lookups: _Lookups,
    agency_handles: set[str],
    known: _Known,
    supported: Counter[int],
    new_cases: list[Case],
    events: list[AuditEvent],
) -> bool:
    """Give the (unsaved) post its role and case; return True when it opened a new case."""
    program = post.program
    if fetched.repost_of_id:
        original = known.posts.get(fetched.repost_of_id)
        case = _resolve_open_case(original.case) if original else None
        post.role = PostRole.SUPPORT
        if case is not None:
            post.case = case
            if case.pk is None:  # opened earlier in this page: count it before the case is inserted
                case.support_count += 1
            else:
                supported[case.pk] += 1
        return False
    thread_case = _thread_case(fetched, known)
    if post.author_handle.lower() in agency_handles or post.external_id in known.replies:
        post.role, post.case = PostRole.AGENCY_REPLY, thread_case
        return False
    if thread_case is not None:
        post.role, post.case = PostRole.FOLLOW_UP, thread_case
        events.append(
            build_event(
                thread_case,
                program=program,
                actor=None,
                action="follow_up",
                from_status=thread_case.status,
                to_status=thread_case.status,
                data={"post": post.external_id, "author": post.author_handle},
            )
        )
        return False
    case, opened = new_case_for_post(
        post,
        sector=lookups.sectors.get(reading.sector or ""),
        agency=lookups.agencies.get(reading.agency or ""),
        region=lookups.regions.get(reading.region or ""),
        urgency=Urgency.from_label(reading.urgency),
        kind=reading.kind,
    )
    new_cases.append(case)
    events.append(opened)
    post.role, post.case = PostRole.REPORT, case
    return True
