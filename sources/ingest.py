"""Store fetched posts exactly once, read them, and attach each to a case — in one transaction with the cursor.

The cursor is saved in the same transaction as the posts it covers, so a crash anywhere before the commit
leaves both untouched and the next poll fetches the same posts again; the unique (platform, id) constraint
and the lookup below make that harmless.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases.models import OPEN_STATUSES, Case, Reply, Status, Urgency
from cases.services import NewCase, NewEvent, ingest_event, new_case_for_post, open_cases
from kemala.batchwrite import EncodedJson, add_to_column, insert_rows
from programs.models import Agency, Program, Region, Sector
from programs.reader import reader_for
from sources.connectors.base import FetchedPost, FetchResult
from sources.models import Post, PostRole, PublishingAccount, QuarantinedItem, Source
from triage import Reading

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


# In JSON text written with ensure_ascii every backslash starts an escape. Removing, from the left, the escaped
# backslashes and the surrogate pairs leaves a \u0000 or a \udXXX only where the value had a NUL or a lone
# surrogate.
_BACKSLASHES_AND_PAIRS = re.compile(r"\\\\|\\ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}")


def clean_json_text(value: Any) -> str:
    """`value` encoded as Django stores a JSONField (`json.dumps`), with clean_text applied to every string.

    PostgreSQL's jsonb refuses \\u0000 and lone surrogates. Almost every payload is clean: one pass of the C
    encoder writes the text, a look at its escapes proves it clean, and that text is stored; only a payload
    with a NUL or a lone surrogate is walked in Python and encoded again.
    """
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        return json.dumps(_clean_json_walk(value))
    if "\\u0000" in text or "\\ud" in text:
        rest = _BACKSLASHES_AND_PAIRS.sub("", text)
        if "\\u0000" in rest or "\\ud" in rest:
            return json.dumps(_clean_json_walk(value))
    return text


def _clean_json_walk(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean_json_walk(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_json_walk(v) for v in value]
    return value


class _Lookups:
    """Ids of reference rows by code for one batch, so reading a post costs no query."""

    def __init__(self, program: Program, region_codes: set[str]) -> None:
        self.sectors: dict[str, int] = dict(Sector.objects.filter(program=program).values_list("code", "pk"))
        self.agencies: dict[str, int] = dict(
            Agency.objects.filter(program=program, is_active=True).values_list("code", "pk")
        )
        self.regions: dict[str, int] = dict(
            Region.objects.filter(program=program, code__in=region_codes).values_list("code", "pk")
        )


# What _resolve_open_case reads of a case and of the case it was merged into.
_CASE_COLUMNS = ("case__status", "case__merged_into__status", "case__merged_into__merged_into")

CaseRef = Case | NewCase  # a stored case, or one opened by this batch (stored when the batch is written)


class _Known:
    """What linking needs to know about other posts and replies, loaded once per batch.

    `posts` maps the platform ids of posts with a case that a post of this batch refers to (repost of, reply
    to, conversation root) to (their program id, their case), from the database and then from this batch as
    it is linked, so a reply to a post earlier in the same batch finds it as it would have found it stored.
    `replies` maps the platform ids of published agency replies (the referenced ids and the batch's own ids)
    to their rows.
    """

    def __init__(self, program: Program, platform: str, posts: list[FetchedPost]) -> None:
        self.program = program
        batch = {p.external_id for p in posts}
        targets = {t for p in posts for t in (p.repost_of_id, p.in_reply_to_id, p.conversation_id) if t}
        # Only the columns linking reads (a case's status and merge target), and no ORDER BY: with
        # select_related, Django's compiling of those is most of the cost of these two queries.
        self.posts: dict[str, tuple[int, CaseRef | None]] = {
            p.external_id: (p.program_id, p.case)
            for p in Post.objects.filter(
                platform=platform,
                external_id__in=targets - batch,  # the batch's own posts are not stored yet
                case__isnull=False,
            )
            .select_related("case", "case__merged_into")
            .only("external_id", "program", *_CASE_COLUMNS)
        }
        self.replies: dict[str, Reply] = {}
        replies = (
            Reply.objects.filter(external_id__in=targets | batch, case__program=program)
            .select_related("case", "case__merged_into")
            .only("external_id", *_CASE_COLUMNS)
        )
        for reply in sorted(replies, key=lambda r: r.pk):  # the first reply published with an id wins
            self.replies.setdefault(reply.external_id, reply)

    def remember(self, external_id: str, case: CaseRef | None) -> None:
        if case is not None:
            self.posts.setdefault(external_id, (self.program.pk, case))


def _resolve_open_case(case: CaseRef | None) -> CaseRef | None:
    if isinstance(case, NewCase):
        return case  # opened by this batch: new, so open
    seen = 0
    while case is not None and case.status == Status.MERGED and case.merged_into_id and seen < 20:
        case = case.merged_into
        seen += 1
    if case is not None and (case.status in OPEN_STATUSES or case.status == Status.RESOLVED):
        return case
    return None


def _thread_case(fetched: FetchedPost, known: _Known) -> CaseRef | None:
    """The open case whose thread this post continues: by the post it answers, else the conversation root."""
    targets = [t for t in (fetched.in_reply_to_id, fetched.conversation_id) if t and t != fetched.external_id]
    for target in targets:
        post = known.posts.get(target)
        if post is not None and post[0] == known.program.pk:
            return _resolve_open_case(post[1])
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
        known_ids = set(
            Post.objects.filter(platform=platform, external_id__in=ids).values_list("external_id", flat=True)
        )
        agency_handles = {
            h.lower()
            for h in PublishingAccount.objects.filter(agency__program=program, platform=platform).values_list(
                "handle", flat=True
            )
        }
        fresh: list[FetchedPost] = []  # the page's posts not stored yet, each once, in the page's order
        for fetched in result.posts:
            if fetched.external_id in known_ids:
                stats.duplicates += 1
                continue
            known_ids.add(fetched.external_id)
            fresh.append(fetched)
        # Each post read once, here, the page at a time: the trained readers score a batch in one product.
        texts = [clean_text(fetched.text) for fetched in fresh]
        readings = reader.read_many(texts, [fetched.author_location or fetched.place_name for fetched in fresh])
        rows = [
            _post_row(source, fetched, text, reading)
            for fetched, text, reading in zip(fresh, texts, readings, strict=True)
        ]
        lookups = _Lookups(program, {row["region_code"] for row in rows if row["region_code"]})
        known = _Known(program, platform, fresh)
        new_cases: list[NewCase] = []
        events: list[NewEvent] = []
        supported: Counter[int] = Counter()
        linked: list[CaseRef | None] = []
        for fetched, row in zip(fresh, rows, strict=True):
            case = _link(row, fetched, lookups, agency_handles, known, supported, new_cases, events)
            known.remember(fetched.external_id, case)
            linked.append(case)
        stats.stored, stats.cases_opened = len(rows), len(new_cases)
        # The page's new cases and audit events, then its posts (each linked, now that its case has an id):
        # three executemany a page, below the ORM (kemala.batchwrite); then the stored cases' support counts.
        open_cases(program, new_cases, events)
        for row, case in zip(rows, linked, strict=True):
            row["case_id"] = None if case is None else case.pk
        insert_rows(Post, rows)
        add_to_column(Case, "support_count", supported)
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


def _post_row(source: Source, fetched: FetchedPost, text: str, reading: Reading) -> dict[str, Any]:
    """The post as it will be stored (column values by attname) with its triage reading; `_link` sets its role.

    `text` is the post's text as cleaned for storage (`clean_text`), the text the reader read."""
    return {
        "program_id": source.program_id,
        "source_id": source.pk,
        "platform": source.platform,
        "external_id": fetched.external_id,
        "url": clean_text(fetched.url)[:500],
        "author_id": clean_text(fetched.author_id)[:200],
        "author_handle": clean_text(fetched.author_handle)[:200],
        "author_name": clean_text(fetched.author_name)[:300],
        "author_location": clean_text(fetched.author_location or "")[:300],
        "text": text[:MAX_TEXT_CHARS],
        "lang": (fetched.lang or "")[:20],
        "place_name": clean_text(fetched.place_name or "")[:300],
        "posted_at": fetched.created_at,
        "conversation_id": fetched.conversation_id or "",
        "in_reply_to_id": fetched.in_reply_to_id or "",
        "repost_of_id": fetched.repost_of_id or "",
        "raw": EncodedJson(clean_json_text(fetched.raw)),
        "case_id": None,
        "role": PostRole.UNLINKED,
        "kind": reading.kind,
        "sector_code": reading.sector or "",
        "sector_confidence": reading.sector_confidence,
        "agency_code": reading.agency or "",
        "agency_confidence": reading.agency_confidence,
        "region_code": reading.region or "",
        "region_evidence": clean_text(reading.region_evidence or "")[:200],
        "urgency": reading.urgency,
        "pii": [{"kind": s.kind, "start": s.start, "end": s.end} for s in reading.pii],
        "model_version": reading.model_version,
    }


def _link(
    row: dict[str, Any],
    fetched: FetchedPost,
    lookups: _Lookups,
    agency_handles: set[str],
    known: _Known,
    supported: Counter[int],
    new_cases: list[NewCase],
    events: list[NewEvent],
) -> CaseRef | None:
    """Give the post (its row) its role; return its case, which may be a new one added to `new_cases`."""
    program = known.program
    if fetched.repost_of_id:
        original = known.posts.get(fetched.repost_of_id)
        case = _resolve_open_case(original[1]) if original else None
        row["role"] = PostRole.SUPPORT
        if isinstance(case, NewCase):  # opened earlier in this page: counted before the case is inserted
            case.row["support_count"] += 1
        elif case is not None:
            supported[case.pk] += 1
        return case
    thread_case = _thread_case(fetched, known)
    if row["author_handle"].lower() in agency_handles or row["external_id"] in known.replies:
        row["role"] = PostRole.AGENCY_REPLY
        return thread_case
    if thread_case is not None:
        row["role"] = PostRole.FOLLOW_UP
        events.append(
            ingest_event(
                thread_case,
                program_id=program.pk,
                action="follow_up",
                from_status=thread_case.status,
                to_status=thread_case.status,
                data={"post": row["external_id"], "author": row["author_handle"]},
            )
        )
        return thread_case
    case, opened = new_case_for_post(
        program,
        row,
        sector_id=lookups.sectors.get(row["sector_code"]),
        agency_id=lookups.agencies.get(row["agency_code"]),
        region_id=lookups.regions.get(row["region_code"]),
        urgency=Urgency.from_label(row["urgency"]),
        kind=row["kind"],
    )
    new_cases.append(case)
    events.append(opened)
    row["role"] = PostRole.REPORT
    return case
