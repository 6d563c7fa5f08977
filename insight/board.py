"""The public board's figures: computed once here for both the page (`/`) and the JSON (`/api/board`).

Which cases count: those of the program opened (posted by the citizen) within the period, except
rejected ones (spam, not a public-service matter) and merged ones (duplicates, counted in the case they
were merged into). Nothing personal leaves this module: citizen text and replies pass through
`triage.mask_pii`, links are kept only when they are plain http(s).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from cases.models import Case, Reply, ReplyStatus
from insight import rollup
from insight.models import Dimension, RollupState
from insight.rollup import EXCLUDED_STATUSES, kabkota_code
from programs.models import Agency, Program, Region, RegionLevel, Sector
from sources.models import Post, PostRole

LATEST_ANSWERED = 10
# Dates outside this range are typing mistakes, and far-off years would overflow date arithmetic.
MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2100, 12, 31)

PRESETS = {
    "7d": gettext_lazy("Last 7 days"),
    "30d": gettext_lazy("Last 30 days"),
    "month": gettext_lazy("This month"),
    "year": gettext_lazy("This year"),
    "all": gettext_lazy("All time"),
}
DEFAULT_PERIOD = "30d"
CUSTOM = "custom"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class PeriodError(ValueError):
    """The period asked for is not valid; the message is shown to the user as it is."""


@dataclass(frozen=True)
class Period:
    """Local calendar dates, both inclusive; `first` is None for "all time"."""

    key: str  # one of PRESETS or "custom"
    first: date | None
    last: date
    time_zone: str

    @property
    def start(self) -> datetime | None:
        """The first instant of the period (aware), or None when unbounded."""
        if self.first is None:
            return None
        return datetime.combine(self.first, time.min, tzinfo=ZoneInfo(self.time_zone))

    @property
    def end(self) -> datetime:
        """The first instant after the period (aware, exclusive)."""
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=ZoneInfo(self.time_zone))

    @property
    def label(self) -> str:
        if self.key in PRESETS:
            return str(PRESETS[self.key])
        if self.first is None:
            return _("Until %(last)s") % {"last": self.last.isoformat()}
        return _("%(first)s to %(last)s") % {"first": self.first.isoformat(), "last": self.last.isoformat()}


def _parse_date(params: Mapping[str, str], name: str) -> date | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    if not _ISO_DATE.fullmatch(value):
        raise PeriodError(_("“%(name)s” must be a date written YYYY-MM-DD.") % {"name": name})
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise PeriodError(_("“%(name)s” is not a real date.") % {"name": name}) from None
    if not MIN_DATE <= parsed <= MAX_DATE:
        raise PeriodError(
            _("Dates must be between %(min)s and %(max)s.") % {"min": MIN_DATE.isoformat(), "max": MAX_DATE.isoformat()}
        )
    return parsed


def parse_period(params: Mapping[str, str], program: Program, *, today: date | None = None) -> Period:
    """Read `period` (7d, 30d, month, year, all, custom) and `from`/`to` dates, in the program's time zone.

    No parameters means the last 30 days. Dates alone mean a custom period; `from` alone runs to today,
    `to` alone from the beginning.
    """
    tz = program.time_zone or "Asia/Jakarta"
    today = today or timezone.localdate(timezone=ZoneInfo(tz))
    first_date, last_date = _parse_date(params, "from"), _parse_date(params, "to")
    key = (params.get("period") or "").strip() or (CUSTOM if first_date or last_date else DEFAULT_PERIOD)
    if key == CUSTOM:
        if first_date is None and last_date is None:
            raise PeriodError(_("A custom period needs a “from” date, a “to” date or both."))
        last = last_date or today
        if first_date is not None and first_date > last:
            raise PeriodError(_("The “from” date must not be after the “to” date."))
        return Period(CUSTOM, first_date, last, tz)
    if key not in PRESETS:
        raise PeriodError(
            _("Unknown period “%(period)s”; use one of: %(choices)s.")
            % {"period": key[:20], "choices": ", ".join([*PRESETS, CUSTOM])}
        )
    if first_date or last_date:
        raise PeriodError(_("Give either a period or dates (with period=custom), not both."))
    first: date | None = {
        "7d": today - timedelta(days=6),
        "30d": today - timedelta(days=29),
        "month": today.replace(day=1),
        "year": today.replace(month=1, day=1),
        "all": None,
    }[key]
    return Period(key, first, today, tz)


#
# The figures
#


@dataclass(frozen=True)
class Tally:
    code: str | None
    name: str
    count: int


@dataclass(frozen=True)
class AgencyCount:
    code: str | None
    name: str
    short_name: str
    count: int
    answered: int
    median_first_reply_seconds: float | None

    @property
    def median_first_reply_hours(self) -> float | None:
        if self.median_first_reply_seconds is None:
            return None
        return round(self.median_first_reply_seconds / 3600, 2)

    @property
    def median_display(self) -> str:
        if self.median_first_reply_seconds is None:
            return ""
        return humanize_seconds(self.median_first_reply_seconds)


@dataclass(frozen=True)
class AnsweredCase:
    tracking_code: str
    sector: str
    region: str
    agency: str
    text: str  # masked
    reply: str  # masked
    answered_at: datetime
    url: str | None


@dataclass(frozen=True)
class Board:
    program: Program
    period: Period
    total_cases: int
    answered_cases: int
    by_sector: list[Tally]
    by_region: list[Tally]
    by_agency: list[AgencyCount]
    latest_answered: list[AnsweredCase]
    # When the worker last found the counts current (insight.rollup); None before the first rollup.
    updated_at: datetime | None = None

    @property
    def answered_share(self) -> float | None:
        """Percentage of the cases that got a public reply, or None when there are no cases."""
        if not self.total_cases:
            return None
        return round(100 * self.answered_cases / self.total_cases, 1)

    def _local(self, moment: datetime) -> datetime:
        return timezone.localtime(moment, ZoneInfo(self.period.time_zone))

    def as_json(self) -> dict[str, Any]:
        """The `/api/board` document (its shape is documented by `insight.api.BoardSerializer`)."""
        return {
            "program": self.program.slug,
            "updated_at": self._local(self.updated_at).isoformat() if self.updated_at else None,
            "period": {
                "from": self.period.first.isoformat() if self.period.first else None,
                "to": self.period.last.isoformat(),
            },
            "total_cases": self.total_cases,
            "answered_cases": self.answered_cases,
            "by_sector": [{"code": c.code, "name": c.name, "count": c.count} for c in self.by_sector],
            "by_region": [{"code": c.code, "name": c.name, "count": c.count} for c in self.by_region],
            "by_agency": [
                {
                    "code": a.code,
                    "name": a.name,
                    "count": a.count,
                    "median_first_reply_hours": a.median_first_reply_hours,
                }
                for a in self.by_agency
            ],
            "latest_answered": [
                {
                    "tracking_code": c.tracking_code,
                    "sector": c.sector,
                    "region": c.region,
                    "agency": c.agency,
                    "text": c.text,
                    "reply": c.reply,
                    "answered_at": self._local(c.answered_at).isoformat(),
                    "url": c.url,
                }
                for c in self.latest_answered
            ],
        }


def humanize_seconds(seconds: float) -> str:
    """A duration as people say it: "45 minutes", "5.5 hours", "3 days 4 hours"."""
    minutes = round(seconds / 60)
    if minutes < 60:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = seconds / 3600
    if hours < 48:
        shown = round(hours, 1)
        text = number_format(shown, decimal_pos=0 if shown == int(shown) else 1)
        return ngettext("%(n)s hour", "%(n)s hours", int(shown) if shown == int(shown) else 2) % {"n": text}
    days, rest = divmod(round(hours), 24)
    day_text = ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if not rest:
        return day_text
    return day_text + " " + ngettext("%(n)d hour", "%(n)d hours", rest) % {"n": rest}


def mask(text: str) -> str:
    """Citizen or operator text with NIK, phone numbers and e-mail addresses masked."""
    # Imported where used, as sources.models does: loading the URLconf must not load triage.
    from triage import mask_pii

    return mask_pii(text)


def public_url(url: str | None) -> str | None:
    """Keep a link only if it is plain http(s): a stored `javascript:` URL must never become a link."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


def in_period(cases: QuerySet[Case], period: Period) -> QuerySet[Case]:
    """Keep the cases the board counts: opened in the period, not rejected, not merged."""
    cases = cases.filter(opened_at__lt=period.end).exclude(status__in=EXCLUDED_STATUSES)
    if period.start is not None:
        cases = cases.filter(opened_at__gte=period.start)
    return cases


def _latest_answered(program: Program, period: Period, cases: QuerySet[Case], latest: int) -> list[tuple[Any, ...]]:
    """The `latest` cases of the period with the most recent first public reply.

    First the program's most recently answered cases are read in order from cases_case_answered and kept
    if they belong to the period (usually they do: the board shows recent periods). Only when too few do
    (an old custom period) is the period searched, still in the order of that index.
    """
    fields = ("pk", "tracking_code", "summary", "first_reply_at", "sector_id", "region__code", "agency_id")
    newest_first = ("-first_reply_at", "-id")
    batch = max(latest * 10, 100)
    recent = list(
        Case.objects.filter(program=program, first_reply_at__isnull=False)
        .exclude(status__in=EXCLUDED_STATUSES)
        .order_by(*newest_first)
        .values_list("opened_at", *fields)[:batch]
    )
    start, end = period.start, period.end
    kept = [row[1:] for row in recent if (start is None or row[0] >= start) and row[0] < end]
    if len(kept) >= latest or len(recent) < batch:
        # Any other case of the period ranks below all of these, so these are the first ones.
        return kept[:latest]
    # A lower bound on first_reply_at (a reply follows the post; a day's margin for clocks) makes the database
    # walk cases_case_answered from the newest reply and stop at `latest`, instead of sorting the period.
    replied_after = start - timedelta(days=1) if start is not None else datetime.min.replace(tzinfo=UTC)
    answered = cases.filter(first_reply_at__gte=replied_after)
    return list(answered.order_by(*newest_first).values_list(*fields)[:latest])


def _replies(case_ids: list[int]) -> dict[int, tuple[str, str | None]]:
    """The first public reply of each case: the sent outbox row, else a captured agency reply post."""
    found: dict[int, tuple[str, str | None]] = {}
    # Filtered on status here, not in SQL: by case it is a handful of rows, by status every reply ever sent.
    replies = (
        Reply.objects.filter(case_id__in=case_ids)
        .order_by("case_id", "sent_at", "id")
        .values_list("case_id", "status", "text", "url")
    )
    for case_id, status, text, url in replies:
        if status == ReplyStatus.SENT:
            found.setdefault(case_id, (text, url))
    missing = [case_id for case_id in case_ids if case_id not in found]
    if missing:
        posts = (
            Post.objects.filter(case_id__in=missing, role=PostRole.AGENCY_REPLY)
            .order_by("case_id", "posted_at", "id")
            .values_list("case_id", "text", "url")
        )
        for case_id, text, url in posts:
            if case_id is not None:
                found.setdefault(case_id, (text, url))
    return found


def _ordered(items: list[Tally]) -> list[Tally]:
    """Most cases first; among equals the unknown bucket last, then by name, for a stable order."""
    return sorted(items, key=lambda c: (-c.count, c.code is None, c.name))


# An upper bound only: a cached board is replaced as soon as the rollup moves (see board_for).
BOARD_CACHE_SECONDS = 600


def board_for(program: Program, period: Period) -> Board:
    """The board for `period`, computed once per state of the rollup and kept in the process's cache.

    The figures change only when the worker's rollup does, and every change moves `RollupState.updated_at`
    (also refreshed at least once a minute while the worker runs), so the key holds it: a visitor never
    sees older figures than a fresh computation would give, and the many anonymous visitors of the public
    board between two worker ticks cost one indexed read each instead of a computation.
    The language is in the key because the unknown-bucket names are translated.
    """
    state = RollupState.objects.filter(program=program).values_list("updated_at", "last_event_id").first()
    if state is None:  # no rollup yet: nothing to key the figures on
        return compute_board(program, period)
    updated_at, last_event_id = state
    version = f"{updated_at.timestamp():.6f}-{last_event_id}"
    key = f"board:{program.pk}:{period.key}:{period.first}:{period.last}:{get_language()}:{version}"
    board = cache.get(key)
    if board is None:
        board = compute_board(program, period)
        cache.set(key, board, BOARD_CACHE_SECONDS)
    return board


def compute_board(program: Program, period: Period, *, latest: int = LATEST_ANSWERED) -> Board:
    """Every figure of the public board for `period`.

    The counts and medians come from the rollup (`insight.rollup`, kept current by the worker), as of
    `Board.updated_at`; the latest answered cases are read live (a short indexed read).
    """
    cases = in_period(Case.objects.filter(program=program), period)
    sectors = {
        pk: (code, name) for pk, code, name in Sector.objects.filter(program=program).values_list("pk", "code", "name")
    }
    agencies = {a.pk: a for a in Agency.objects.filter(program=program).only("pk", "code", "name", "short_name")}
    kabkota_names = dict(Region.objects.filter(program=program, level=RegionLevel.KABKOTA).values_list("code", "name"))
    updated_at = RollupState.objects.filter(program=program).values_list("updated_at", flat=True).first()

    per_agency: Counter[int | None] = Counter()
    answered: Counter[int | None] = Counter()
    per_sector: Counter[int | None] = Counter()
    per_region: Counter[str | None] = Counter()
    for dimension, sector_id, region, agency_id, n, n_answered in rollup.tallies(program, period.first, period.last):
        if dimension == Dimension.AGENCY:
            per_agency[agency_id] += n
            answered[agency_id] += n_answered
        elif dimension == Dimension.SECTOR:
            per_sector[sector_id] += n
        else:
            per_region[region or None] += n
    medians = rollup.medians(program, period.first, period.last)

    by_sector = [
        Tally(*sectors[sector_id], n) if sector_id in sectors else Tally(None, _("Not yet classified"), n)
        for sector_id, n in per_sector.items()
    ]
    by_region = [
        Tally(code, kabkota_names.get(code, code) if code else _("Region unknown"), n) for code, n in per_region.items()
    ]
    by_agency = []
    for agency_id, n in per_agency.items():
        agency = agencies.get(agency_id) if agency_id is not None else None
        by_agency.append(
            AgencyCount(
                code=agency.code if agency else None,
                name=agency.name if agency else _("Not yet delegated"),
                short_name=agency.short_name if agency else _("Not yet delegated"),
                count=n,
                answered=answered[agency_id],
                median_first_reply_seconds=medians.get(agency_id) if agency_id is not None else None,
            )
        )

    answered_rows = _latest_answered(program, period, cases, latest)
    replies = _replies([row[0] for row in answered_rows])
    latest_answered = []
    for pk, tracking_code, summary, answered_at, sector_id, region_code, agency_id in answered_rows:
        reply_text, reply_url = replies.get(pk, ("", None))
        agency = agencies.get(agency_id)
        kabkota = kabkota_code(region_code) if region_code else None
        latest_answered.append(
            AnsweredCase(
                tracking_code=tracking_code,
                sector=sectors[sector_id][1] if sector_id in sectors else "",
                region=kabkota_names.get(kabkota, kabkota) if kabkota else "",
                agency=agency.name if agency else "",
                text=mask(summary),
                reply=mask(reply_text),
                answered_at=answered_at,
                url=public_url(reply_url),
            )
        )

    return Board(
        program=program,
        period=period,
        total_cases=sum(per_agency.values()),
        answered_cases=sum(answered.values()),
        by_sector=_ordered(by_sector),
        by_region=_ordered(by_region),
        by_agency=sorted(by_agency, key=lambda a: (-a.count, a.code is None, a.name)),
        latest_answered=latest_answered,
        updated_at=updated_at,
    )
