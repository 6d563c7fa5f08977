"""The board's rollup (`insight.models`): written here, per dirty day, by the worker; read by `insight.board`.

The audit log is the change log. Every change that moves a board figure writes an `AuditEvent` about the case
(`cases.services`: open, triage, delegate, reject, merge and merge_in, the first reply sent, …), so the days
to recompute are the local opening days of the cases with events after the program's watermark
(`RollupState.last_event_id`). A tick recomputes those days' rows (delete + insert), then the rows of their
months from the day rows and of their years from the month rows, and advances the watermark, all in one
transaction.

Ids of audit events are given out before their transaction commits; on PostgreSQL a transaction can commit an
event with a lower id after one with a higher id was seen. So the watermark only passes events older than
SETTLE: younger ones are read again at every tick until they are older (their days are recomputed once,
`RollupState.pending_ids` remembers them), and an event that shows up late below them is caught. That is
correct for any transaction shorter than SETTLE (ingest's page transactions take seconds).
"""

from __future__ import annotations

import json
import logging
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from cases.models import AuditEvent, Case, Status
from insight.models import Dimension, ReplyTimeTally, RollupState, Span, Tally
from programs.models import Program

logger = logging.getLogger("kemala.rollup")

# As insight.board: rejected and merged cases are not counted.
EXCLUDED_STATUSES = (Status.REJECTED, Status.MERGED)
SETTLE = timedelta(seconds=60)
# How often a tick that finds nothing to do records that the figures are still current (one UPDATE).
CHECK_EVERY = timedelta(seconds=60)
_DAY_SECONDS = 24 * 3600
_WEEK_SECONDS = 7 * _DAY_SECONDS
COLUMNS = {
    Dimension.SECTOR: "sector_id",
    Dimension.REGION: "region",
    Dimension.AGENCY: "agency_id",
    Dimension.PLATFORM: "platform",
    Dimension.KIND: "kind",
}

CaseRow = tuple[datetime, int | None, str | None, int | None, str, str, int | None]


def reply_bucket(seconds: int) -> int:
    """The fine histogram bucket of a reply time (its lower bound): 1 minute wide under 24 h, 15 minutes under
    7 days, 1 hour beyond."""
    if seconds < _DAY_SECONDS:
        return seconds - seconds % 60
    if seconds < _WEEK_SECONDS:
        return seconds - seconds % 900
    return seconds - seconds % 3600


# Upper bounds (seconds) of the bands of ReplyTimeTally; the last band is open. Each bound is a bucket bound.
BANDS = (900, 3600, 7200, 4 * 3600, 6 * 3600, 9 * 3600, 12 * 3600, 18 * 3600, 86400, 2 * 86400, 4 * 86400, 604800)


_BAND_KEY = 16  # more than the number of bands


def reply_band(seconds: int) -> int:
    return bisect_right(BANDS, seconds)


def kabkota_code(region_code: str) -> str:
    """The kab/kota a Kemendagri code belongs to: "33.74.01.1001" → "33.74"."""
    return ".".join(region_code.split(".")[:2])


def time_zone(program: Program) -> ZoneInfo:
    return ZoneInfo(program.time_zone or "Asia/Jakarta")


# The `day` of the all-time rows (Span.ALL).
ALL_TIME = date(1, 1, 1)


def span_start(day: date, span: str) -> date:
    """The first day of the span (day, month, year, all time) that holds `day`."""
    if span == Span.ALL:
        return ALL_TIME
    if span == Span.YEAR:
        return day.replace(month=1, day=1)
    if span == Span.MONTH:
        return day.replace(day=1)
    return day


def span_after(start: date, span: str) -> date:
    """The first day after the span that starts on `start`."""
    if span == Span.ALL:
        return date.max
    if span == Span.YEAR:
        return start.replace(year=start.year + 1)
    if span == Span.MONTH:
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


#
# Counting
#


def _counted_cases(program: Program, start: datetime | None = None, end: datetime | None = None) -> Iterator[CaseRow]:
    """The cases the board counts (the rule of insight.board.in_period) opened in [start, end)."""
    cases = Case.objects.filter(program=program).exclude(status__in=EXCLUDED_STATUSES)
    if start is not None:
        cases = cases.filter(opened_at__gte=start)
    if end is not None:
        cases = cases.filter(opened_at__lt=end)
    fields = ("opened_at", "sector_id", "region__code", "agency_id", "platform", "kind", "first_reply_seconds")
    return cases.order_by().values_list(*fields).iterator(chunk_size=5000)


class _Rows:
    """Rows being counted, for one or more spans, then written with one INSERT per batch."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.tallies: dict[tuple[str, date, str, int | str | None], list[int]] = {}
        self.replies: dict[tuple[str, date, int, int], dict[int, list[int]]] = {}

    def add_tally(self, span: str, day: date, dimension: str, value: int | str | None, n: int, answered: int) -> None:
        counts = self.tallies.setdefault((span, span_start(day, span), dimension, value), [0, 0])
        counts[0] += n
        counts[1] += answered

    def add_replies(self, span: str, day: date, agency_id: int, band: int, buckets: Iterable[list[int]]) -> None:
        histogram = self.replies.setdefault((span, span_start(day, span), agency_id, band), {})
        for bucket, n, seconds in buckets:
            cell = histogram.setdefault(bucket, [0, 0])
            cell[0] += n
            cell[1] += seconds

    def add_cases(self, cases: Iterable[CaseRow], spans: Iterable[str]) -> None:
        tz = time_zone(self.program)
        spans = list(spans)
        for opened_at, sector_id, region_code, agency_id, platform, kind, seconds in cases:
            day = opened_at.astimezone(tz).date()
            answered = 0 if seconds is None else 1
            values = {
                Dimension.SECTOR: sector_id,
                Dimension.REGION: kabkota_code(region_code) if region_code else "",
                Dimension.AGENCY: agency_id,
                Dimension.PLATFORM: platform,
                Dimension.KIND: kind,
            }
            for span in spans:
                for dimension, value in values.items():
                    self.add_tally(span, day, dimension, value, 1, answered)
                if seconds is not None and agency_id is not None:
                    self.add_replies(span, day, agency_id, reply_band(seconds), [[reply_bucket(seconds), 1, seconds]])

    def add_rows(self, span: str, tallies: Iterable[tuple[Any, ...]], replies: Iterable[tuple[Any, ...]]) -> None:
        """Count rows of a shorter span into `span` (days into months, months into years)."""
        for day, dimension, sector_id, region, agency_id, platform, kind, n, answered in tallies:  # COLUMNS order
            value = {"sector_id": sector_id, "agency_id": agency_id, "region": region, "platform": platform}.get(
                COLUMNS[Dimension(dimension)], kind
            )
            self.add_tally(span, day, dimension, value, n, answered)
        for day, agency_id, band, buckets in replies:
            self.add_replies(span, day, agency_id, band, buckets)

    def save(self) -> None:
        Tally.objects.bulk_create(
            (
                Tally(
                    program=self.program,
                    span=span,
                    day=day,
                    dimension=dimension,
                    cases=n,
                    answered=answered,
                    **{COLUMNS[Dimension(dimension)]: value},
                )
                for (span, day, dimension, value), (n, answered) in self.tallies.items()
            ),
            batch_size=1000,
        )
        ReplyTimeTally.objects.bulk_create(
            (
                ReplyTimeTally(
                    program=self.program,
                    span=span,
                    day=day,
                    agency_id=agency_id,
                    band=band,
                    cases=sum(n for n, _ in histogram.values()),
                    buckets=[[bucket, n, seconds] for bucket, (n, seconds) in sorted(histogram.items())],
                )
                for (span, day, agency_id, band), histogram in self.replies.items()
            ),
            batch_size=1000,
        )


def _delete(program: Program, span: str, starts: Iterable[date]) -> None:
    days = sorted(set(starts))
    Tally.objects.filter(program=program, span=span, day__in=days).delete()
    ReplyTimeTally.objects.filter(program=program, span=span, day__in=days).delete()


def _recount(program: Program, span: str, starts: set[date], shorter: str) -> None:
    """Rewrite the rows of these months (or years) from the rows of their days (or months)."""
    _delete(program, span, starts)
    within = Q(pk__in=[])
    for start in starts:
        within |= Q(day__gte=start, day__lt=span_after(start, span))
    rows = _Rows(program)
    tallies = Tally.objects.filter(within, program=program, span=shorter).order_by()
    replies = ReplyTimeTally.objects.filter(within, program=program, span=shorter).order_by()
    rows.add_rows(
        span,
        tallies.values_list("day", "dimension", *COLUMNS.values(), "cases", "answered"),
        replies.values_list("day", "agency_id", "band", "buckets"),
    )
    rows.save()


def recompute_days(program: Program, days: Iterable[date]) -> None:
    """Rewrite the rows of these local days, then of their months and years. Call inside a transaction."""
    tz = time_zone(program)
    days = set(days)
    if not days:
        return
    _delete(program, Span.DAY, days)
    rows = _Rows(program)
    for day in days:  # one query a day: a tick has a handful, catching up after a stop a few hundred
        start = datetime.combine(day, time.min, tzinfo=tz)
        rows.add_cases(_counted_cases(program, start, start + timedelta(days=1)), [Span.DAY])
    rows.save()
    _recount(program, Span.MONTH, {span_start(day, Span.MONTH) for day in days}, Span.DAY)
    _recount(program, Span.YEAR, {span_start(day, Span.YEAR) for day in days}, Span.MONTH)
    _recount(program, Span.ALL, {ALL_TIME}, Span.YEAR)


def _settled_watermark(events: list[tuple[int, datetime]], start: int, now: datetime) -> int:
    """The highest event id up to which every event read is older than SETTLE (see the module docstring)."""
    watermark = start
    for event_id, created_at in sorted(events):
        if created_at > now - SETTLE:
            break
        watermark = event_id
    return watermark


@transaction.atomic
def rebuild(program: Program) -> RollupState:
    """Recompute every row of the program from its cases and set the watermark (`kemala rollup --rebuild`)."""
    now = timezone.now()
    state = _locked_state(program, now)
    # Read first: events after it are read again by the next tick, whatever this rebuild saw of them.
    settled = AuditEvent.objects.filter(program=program, created_at__lte=now - SETTLE).aggregate(m=Max("id"))["m"]
    Tally.objects.filter(program=program).delete()
    ReplyTimeTally.objects.filter(program=program).delete()
    rows = _Rows(program)
    rows.add_cases(_counted_cases(program), Span.values)
    rows.save()
    state.last_event_id = settled or 0
    state.pending_ids = []  # the events after the watermark are read again by the next tick
    state.updated_at = timezone.now()
    state.save()
    return state


def _locked_state(program: Program, now: datetime) -> RollupState:
    """The program's state row, locked: two workers never rewrite the same rows at once (PostgreSQL)."""
    RollupState.objects.get_or_create(program=program, defaults={"updated_at": now})
    return RollupState.objects.select_for_update().get(program=program)


@transaction.atomic
def catch_up(program: Program, now: datetime | None = None) -> int:
    """Recompute the days touched by audit events after the watermark; return how many days.

    Events younger than SETTLE stay after the watermark; their ids are kept in `RollupState.pending_ids` so
    that the next ticks recompute only the days of events they have not seen yet.
    """
    now = now or timezone.now()
    state = _locked_state(program, now)
    events = list(
        AuditEvent.objects.filter(program=program, id__gt=state.last_event_id).values_list(
            "id", "created_at", "case__opened_at"
        )
    )
    seen = set(state.pending_ids)
    tz = time_zone(program)
    days = {opened_at.astimezone(tz).date() for i, _, opened_at in events if opened_at is not None and i not in seen}
    recompute_days(program, days)
    state.last_event_id = _settled_watermark([(i, created) for i, created, _ in events], state.last_event_id, now)
    state.pending_ids = sorted(i for i, _, _ in events if i > state.last_event_id)
    state.updated_at = timezone.now()
    state.save()
    return len(days)


def tick(now: datetime | None = None) -> int:
    """The worker's step: bring every program's rollup up to date; return how many programs were recomputed.

    When nothing changed it is one query (the programs, each with whether an audit event follows its
    watermark, an index range read), plus an UPDATE of `updated_at` at most every CHECK_EVERY.
    """
    now = now or timezone.now()
    pending = AuditEvent.objects.filter(program=OuterRef("pk"), id__gt=OuterRef("watermark"))
    programs = Program.objects.annotate(
        watermark=F("rollup_state__last_event_id"), checked_at=F("rollup_state__updated_at")
    ).annotate(pending=Exists(pending))
    recomputed = 0
    for program in programs:
        if program.watermark is None:
            logger.info("rollup of %s: first build", program.slug)
            rebuild(program)
        elif program.pending:
            catch_up(program, now)
        elif now - program.checked_at >= CHECK_EVERY:
            RollupState.objects.filter(program=program).update(updated_at=now)
            continue
        else:
            continue
        recomputed += 1
    return recomputed


#
# Reading (insight.board)
#


def cover(first: date | None, last: date) -> list[tuple[str, date, date]]:
    """The local days first..last (first None: from the start) as (span, first day, day after) ranges of whole
    years, whole months and single days, each day in exactly one: the fewest rows to read."""
    if first is None and last >= timezone.localdate() - timedelta(days=1):
        # Everything up to today (the board's "all time"): the all-time rows, one per value.
        return [(Span.ALL, ALL_TIME, date.max)]
    return _cover(first or date.min, last + timedelta(days=1), Span.YEAR)


_SHORTER: dict[str, str] = {Span.YEAR: Span.MONTH, Span.MONTH: Span.DAY}


def _cover(start: date, after: date, span: str) -> list[tuple[str, date, date]]:
    if start >= after:
        return []
    if span == Span.DAY:
        return [(span, start, after)]
    whole_start = span_start(start, span)
    if whole_start < start:
        whole_start = span_after(whole_start, span)
    whole_after = span_start(after, span)
    shorter = _SHORTER[span]
    if whole_start >= whole_after:
        return _cover(start, after, shorter)
    return [
        *_cover(start, whole_start, shorter),
        (span, whole_start, whole_after),
        *_cover(whole_after, after, shorter),
    ]


def _each_range(rows: QuerySet[Any, Any], first: date | None, last: date) -> list[tuple[Any, ...]]:
    """The rows of `rows` (grouped values) for each range of `cover`, from one UNION ALL: the caller sums the parts.

    One part per range, not an OR of them: without statistics SQLite reads an OR of ranges as the whole program.
    Read with a plain cursor: these are integers (and JSON text), which need none of the ORM's conversions.
    """
    parts = [rows.filter(span=span, day__gte=start, day__lt=after) for span, start, after in cover(first, last)]
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    with connection.cursor() as cursor:
        cursor.execute(*union.query.sql_with_params())
        return cursor.fetchall()


def tallies(
    program: Program, first: date | None, last: date
) -> list[tuple[str, int | None, str, int | None, int, int]]:
    """(dimension, sector_id, region, agency_id, cases, answered) per sector, regency/city and agency in the
    period, in parts to be summed by the caller."""
    rows = (
        Tally.objects.filter(program=program, dimension__in=[Dimension.SECTOR, Dimension.REGION, Dimension.AGENCY])
        .order_by()
        .values("dimension", "sector_id", "region", "agency_id")
        .annotate(n=Sum("cases"), n_answered=Sum("answered"))
        .values_list("dimension", "sector_id", "region", "agency_id", "n", "n_answered")
    )
    return [(*row[:4], int(row[4]), int(row[5])) for row in _each_range(rows, first, last)]


def medians(program: Program, first: date | None, last: date) -> dict[int, float]:
    """Median reply time per agency in the period, from the histograms (ReplyTimeTally says how exact).

    First the band counts tell, per agency, which band holds each middle case and at which rank in it; then
    only those bands' fine histograms are read.
    """
    histograms = ReplyTimeTally.objects.filter(program=program).order_by()
    bands: dict[int, dict[int, int]] = {}
    counts = histograms.values("agency_id", "band").annotate(n=Sum("cases")).values_list("agency_id", "band", "n")
    for agency_id, band, n in _each_range(counts, first, last):
        per_band = bands.get(agency_id)
        if per_band is None:
            per_band = bands[agency_id] = {}
        per_band[band] = per_band.get(band, 0) + int(n)
    wanted: dict[tuple[int, int], list[int]] = {}  # (agency, band) → ranks of the middle cases in the band
    for agency_id, per_band in bands.items():
        total = sum(per_band.values())
        for position in ((total - 1) // 2, total // 2):
            before = 0
            for band in sorted(per_band):
                if position < before + per_band[band]:
                    wanted.setdefault((agency_id, band), []).append(position - before)
                    break
                before += per_band[band]
    if not wanted:
        return {}
    # One number per (agency, band), so that the filter is one IN list (an OR of pairs costs more to compile
    # than to run).
    keys = [agency_id * _BAND_KEY + band for agency_id, band in wanted]
    which = histograms.alias(key=F("agency_id") * _BAND_KEY + F("band")).filter(key__in=keys)
    fine: dict[tuple[int, int], list[list[int]]] = {key: [] for key in wanted}
    for agency_id, band, buckets in _each_range(which.values_list("agency_id", "band", "buckets"), first, last):
        fine[(agency_id, band)].extend(json.loads(buckets) if isinstance(buckets, str) else buckets)
    middles: dict[int, list[float]] = {}
    for (agency_id, band), ranks in wanted.items():
        cells = sorted(fine[(agency_id, band)])  # [bucket, cases, seconds], a bucket in several rows
        for rank in ranks:
            middles.setdefault(agency_id, []).append(_value_at(cells, rank))
    return {agency_id: sum(values) / len(values) for agency_id, values in middles.items()}


def _value_at(cells: list[list[int]], rank: int) -> float:
    """The value of the case at `rank` (from 0) in a histogram's sorted cells: the mean of its bucket."""
    seen, i = 0, 0
    while i < len(cells):
        bucket, n, seconds = cells[i][0], 0, 0
        while i < len(cells) and cells[i][0] == bucket:
            n += cells[i][1]
            seconds += cells[i][2]
            i += 1
        if rank < seen + n:
            return seconds / n
        seen += n
    raise ValueError("rank beyond the histogram")
