"""The board's rollup (`insight.rollup`): the figures it gives equal a plain computation over the cases, the
worker's tick follows the audit log, and `kemala rollup --rebuild` recomputes everything."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AbstractBaseUser
from django.core.management import call_command
from django.utils import timezone

from cases import services
from cases.models import AuditEvent, Case, Reply, Status
from insight import board, rollup
from insight.models import ReplyTimeTally, RollupState, Span, Tally
from programs.models import Agency, Program, Region, Sector

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)  # 21 Nov 2026 03:00 WIB
LATER = NOW + rollup.SETTLE + timedelta(seconds=1)


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)  # type: ignore[misc]


def plain_figures(program: Program, period: board.Period) -> dict[str, Any]:
    """The board's figures computed the obvious way, from every case of the period (the reference)."""
    cases = board.in_period(Case.objects.filter(program=program), period)
    rows = list(cases.values_list("sector__code", "region__code", "agency__code", "first_reply_seconds"))
    replies: dict[str, list[int]] = defaultdict(list)
    for _, _, agency, seconds in rows:
        if agency is not None and seconds is not None:
            replies[agency].append(seconds)
    return {
        "total": len(rows),
        "answered": sum(1 for row in rows if row[3] is not None),
        "sectors": Counter(row[0] for row in rows),
        "regions": Counter(board.kabkota_code(row[1]) if row[1] else None for row in rows),
        "agencies": Counter(row[2] for row in rows),
        "medians": {agency: float(median(values)) for agency, values in replies.items()},
    }


def board_figures(program: Program, period: board.Period) -> dict[str, Any]:
    figures = board.compute_board(program, period)
    return {
        "total": figures.total_cases,
        "answered": figures.answered_cases,
        "sectors": Counter({t.code: t.count for t in figures.by_sector}),
        "regions": Counter({t.code: t.count for t in figures.by_region}),
        "agencies": Counter({a.code: a.count for a in figures.by_agency}),
        "medians": {
            a.code: a.median_first_reply_seconds for a in figures.by_agency if a.median_first_reply_seconds is not None
        },
    }


def whole_minutes(rng: random.Random) -> int:
    """A reply time the histogram holds exactly: whole minutes under a day, quarter hours under a week, hours."""
    draw = rng.random()
    if draw < 0.8:
        return 60 * rng.randrange(0, 24 * 60)
    if draw < 0.95:
        return 900 * rng.randrange(96, 7 * 96)
    return 3600 * rng.randrange(7 * 24, 40 * 24)


@pytest.fixture
def varied(program: Program, make_case: Callable[..., Case]) -> list[Case]:
    """Some 200 cases over two years, every status, several agencies, sectors and regions, many opened within a
    minute of midnight in Jakarta (17:00 UTC), replies in whole minutes."""
    rng = random.Random(7)
    agencies = [None, *Agency.objects.filter(program=program).order_by("code")[:6]]
    sectors = [None, *Sector.objects.filter(program=program).order_by("code")[:5]]
    regions = [None, *Region.objects.filter(program=program).order_by("code")[:40]]
    made = []
    for _ in range(200):
        day = date(2026, 11, 21) - timedelta(days=int(rng.triangular(0, 700, 0)))
        if rng.random() < 0.3:  # a minute either side of midnight WIB
            opened_at = datetime.combine(day, datetime.min.time(), tzinfo=WIB) + timedelta(seconds=rng.randint(-60, 59))
        else:
            opened_at = datetime.combine(day, datetime.min.time(), tzinfo=WIB) + timedelta(seconds=rng.randrange(86400))
        status = rng.choice(list(Status))
        agency = rng.choice(agencies)
        seconds = whole_minutes(rng) if agency is not None and rng.random() < 0.7 else None
        if rng.random() < 0.03:
            seconds = whole_minutes(rng)  # answered with no agency now (transferred back): counted, no median
        fields: dict[str, Any] = {}
        if seconds is not None:
            fields.update(first_reply_at=opened_at + timedelta(seconds=seconds), first_reply_seconds=seconds)
        made.append(
            make_case(
                status=status,
                agency=agency,
                opened_at=opened_at,
                sector=rng.choice(sectors),
                region=rng.choice(regions),
                **fields,
            )
        )
    # The new year in Jakarta, and today.
    for opened_at in (wib(2025, 12, 31, 23, 59), wib(2026, 1, 1, 0, 0), wib(2026, 11, 21, 0, 0, 30)):
        made.append(make_case(opened_at=opened_at, agency=agencies[1], first_reply_seconds=600))
    return made


PERIODS = [
    {"period": "7d"},
    {"period": "30d"},
    {"period": "month"},
    {"period": "year"},
    {"period": "all"},
    {"from": "2026-11-21", "to": "2026-11-21"},  # today only
    {"from": "2026-10-01", "to": "2026-10-31"},  # one whole month
    {"from": "2026-09-30", "to": "2026-11-01"},  # a whole month and a day either side
    {"from": "2025-02-15", "to": "2026-03-14"},  # mid-month to mid-month across a year
    {"from": "2025-12-31", "to": "2026-01-01"},  # across the new year
    {"period": "custom", "to": "2025-06-30"},  # from the start
    {"from": "2026-08-01"},  # to today
]


@time_machine.travel(NOW, tick=False)
def test_rollup_gives_the_figures_of_the_cases(program: Program, varied: list[Case]) -> None:
    rollup.rebuild(program)
    for params in PERIODS:
        period = board.parse_period(params, program)
        expected = plain_figures(program, period)
        assert expected["total"] > 0, params  # every period has cases to count
        assert board_figures(program, period) == expected, params


@time_machine.travel(NOW, tick=False)
def test_day_boundaries_are_midnight_in_jakarta(program: Program, make_case: Callable[..., Case]) -> None:
    make_case(opened_at=wib(2026, 11, 20, 23, 59, 59))  # 16:59:59 UTC, 20 Nov
    make_case(opened_at=wib(2026, 11, 21, 0, 0))  # 17:00 UTC, still 20 Nov in UTC
    rollup.rebuild(program)
    days = dict(Tally.objects.filter(span=Span.DAY, dimension="kind").values_list("day", "cases").order_by("day"))
    assert days == {date(2026, 11, 20): 1, date(2026, 11, 21): 1}
    today = board.parse_period({"from": "2026-11-21", "to": "2026-11-21"}, program)
    assert board.compute_board(program, today).total_cases == 1


@time_machine.travel(NOW, tick=False)
def test_medians_of_whole_minutes_are_exact(
    program: Program, make_case: Callable[..., Case], agency_a: Agency, agency_b: Agency
) -> None:
    for minutes in (1, 2, 3, 1439):  # even count: (2 + 3) / 2 minutes
        make_case(opened_at=wib(2026, 11, 2, 9), agency=agency_a, first_reply_seconds=60 * minutes)
    for minutes in (17, 61, 1380):  # odd count: 61 minutes
        make_case(opened_at=wib(2026, 11, 3, 9), agency=agency_b, first_reply_seconds=60 * minutes)
    rollup.rebuild(program)
    period = board.parse_period({"period": "all"}, program)
    medians = {a.code: a.median_first_reply_seconds for a in board.compute_board(program, period).by_agency}
    assert medians == {agency_a.code: 150.0, agency_b.code: 3660.0}


@pytest.mark.parametrize(
    ("seconds", "bucket"),
    [(0, 0), (59, 0), (60, 60), (86399, 86340), (86400, 86400), (87299, 86400), (604799, 603900), (608399, 604800)],
)
def test_reply_buckets(seconds: int, bucket: int) -> None:
    assert rollup.reply_bucket(seconds) == bucket


#
# The worker's tick
#


@pytest.fixture
def built(program: Program) -> RollupState:
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        return rollup.rebuild(program)


def figures_now(program: Program, **params: str) -> dict[str, Any]:
    return board_figures(program, board.parse_period(params or {"period": "all"}, program))


@time_machine.travel(NOW, tick=False)
def test_tick_follows_the_audit_log(
    program: Program,
    make_case: Callable[..., Case],
    admin_user: AbstractBaseUser,
    operator_a: AbstractBaseUser,
    agency_a: Agency,
    agency_b: Agency,
) -> None:
    first = make_case(opened_at=wib(2026, 11, 20, 23, 59, 59))
    second = make_case(opened_at=wib(2026, 11, 21, 0, 0, 1))
    spam = make_case(opened_at=wib(2026, 10, 31, 23, 0))
    rollup.rebuild(program)
    assert figures_now(program)["total"] == 3

    # Delegated to A, then re-delegated to B: counted under B only.
    services.delegate_case(first, admin_user, agency=agency_a)
    services.delegate_case(first, admin_user, agency=agency_b)
    services.delegate_case(second, admin_user, agency=agency_a)
    services.reject_case(spam, admin_user, reason="spam")
    # The first public reply, as the outbox records it.
    reply = Reply.objects.create(
        case=second,
        in_reply_to=second.posts.get(),
        agency=agency_a,
        author=operator_a,
        text="Sudah kami tangani.",
        next_attempt_at=NOW,
    )
    with time_machine.travel(wib(2026, 11, 21, 0, 30, 1), tick=False):
        services.mark_reply_sent(reply, external_id="r1", url="https://x.com/a/status/r1")
    assert rollup.tick() == 1
    after = figures_now(program)
    assert after == plain_figures(program, board.parse_period({"period": "all"}, program))
    assert (after["total"], after["answered"]) == (2, 1)
    assert after["agencies"] == Counter({agency_a.code: 1, agency_b.code: 1})
    assert after["medians"] == {agency_a.code: 1800.0}
    # The events are younger than SETTLE: read again next time, so the watermark has not passed them.
    state = RollupState.objects.get(program=program)
    last_event = AuditEvent.objects.filter(program=program).latest("id").pk
    assert state.last_event_id < last_event
    assert rollup.tick(LATER) == 1
    state.refresh_from_db()
    assert state.last_event_id == last_event
    assert figures_now(program) == after


@time_machine.travel(NOW, tick=False)
def test_a_merged_case_leaves_the_board(
    program: Program, make_case: Callable[..., Case], admin_user: AbstractBaseUser
) -> None:
    keep = make_case(opened_at=wib(2026, 11, 2, 9))
    duplicate = make_case(opened_at=wib(2026, 10, 2, 9))
    rollup.rebuild(program)
    services.merge_case(duplicate, admin_user, into=keep)
    rollup.tick()
    assert figures_now(program)["total"] == 1
    assert not Tally.objects.filter(span=Span.MONTH, day=date(2026, 10, 1)).exists()
    assert Tally.objects.filter(span=Span.MONTH, day=date(2026, 11, 1), dimension="kind").get().cases == 1


def test_a_tick_with_nothing_to_do_is_one_query(
    program: Program, built: RollupState, django_assert_num_queries: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        rollup.tick()  # records that the figures are current (more than CHECK_EVERY since the build)
        with django_assert_num_queries(1):
            assert rollup.tick() == 0
    assert RollupState.objects.get().updated_at == NOW


def test_a_program_without_a_rollup_gets_one_at_the_first_tick(
    program: Program, make_case: Callable[..., Case]
) -> None:
    make_case(opened_at=wib(2026, 11, 2, 9))
    assert not RollupState.objects.exists()
    assert rollup.tick() == 1
    assert figures_now(program)["total"] == 1


def test_the_worker_cycle_runs_the_tick(program: Program, make_case: Callable[..., Case]) -> None:
    from kemala.management.commands.worker import run_worker_cycle

    make_case(opened_at=wib(2026, 11, 2, 9))
    run_worker_cycle("test-worker")
    assert RollupState.objects.filter(program=program).exists()
    assert figures_now(program)["total"] == 1


@time_machine.travel(NOW, tick=False)
def test_rebuild_command_recomputes_everything(
    program: Program, varied: list[Case], built: RollupState, capsys: pytest.CaptureFixture[str]
) -> None:
    before = set(Tally.objects.values_list("span", "day", "dimension", "sector", "agency", "region", "cases"))
    Tally.objects.filter(span=Span.MONTH).update(cases=0)  # damage it
    ReplyTimeTally.objects.all().delete()
    call_command("rollup", "--rebuild")
    assert "jateng: rollup rebuilt" in capsys.readouterr().out
    after = set(Tally.objects.values_list("span", "day", "dimension", "sector", "agency", "region", "cases"))
    assert after == before
    assert ReplyTimeTally.objects.exists()
    period = board.parse_period({"period": "all"}, program)
    assert board_figures(program, period) == plain_figures(program, period)


def test_setup_leaves_a_current_rollup(
    program: Program, make_case: Callable[..., Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    from kemala.management.commands import setup

    # The reference data is loaded already (conftest); loading it again is slow and not what this is about.
    summary = SimpleNamespace(regions=0, sectors=0, agencies=0)
    monkeypatch.setattr(setup, "load_program", lambda slug: (program, summary))
    make_case(opened_at=wib(2026, 11, 2, 9))
    call_command("setup", "--no-migrate")
    assert RollupState.objects.filter(program=program).exists()
    assert figures_now(program)["total"] == 1


def test_the_board_says_when_the_figures_were_updated(program: Program, built: RollupState) -> None:
    from django.test import Client

    data = Client().get("/api/board").json()
    assert data["updated_at"] == built.updated_at.astimezone(WIB).isoformat()
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    assert "Figures as of" in html


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2026, 11, 3), date(2026, 11, 5), [("day", "2026-11-03", "2026-11-06")]),
        (date(2026, 11, 1), date(2026, 11, 30), [("month", "2026-11-01", "2026-12-01")]),
        (
            date(2025, 10, 8),
            date(2026, 11, 7),
            [
                ("day", "2025-10-08", "2025-11-01"),
                ("month", "2025-11-01", "2026-11-01"),
                ("day", "2026-11-01", "2026-11-08"),
            ],
        ),
        (
            date(2024, 12, 31),
            date(2026, 2, 1),
            [
                ("day", "2024-12-31", "2025-01-01"),
                ("year", "2025-01-01", "2026-01-01"),
                ("month", "2026-01-01", "2026-02-01"),
                ("day", "2026-02-01", "2026-02-02"),
            ],
        ),
        (
            None,
            date(2026, 6, 30),
            [
                ("year", "0001-01-01", "2026-01-01"),
                ("month", "2026-01-01", "2026-07-01"),
            ],
        ),
    ],
)
def test_a_period_is_read_as_whole_years_months_and_days(
    first: date | None, last: date, expected: list[tuple[str, str, str]]
) -> None:
    got = [(span, start.isoformat().zfill(10), after.isoformat()) for span, start, after in rollup.cover(first, last)]
    assert got == expected


def test_all_time_up_to_today_is_read_from_the_all_time_rows() -> None:
    today = timezone.localdate()
    assert rollup.cover(None, today) == [("all", rollup.ALL_TIME, date.max)]
    assert rollup.cover(None, today - timedelta(days=1)) == [("all", rollup.ALL_TIME, date.max)]
    assert rollup.cover(None, today - timedelta(days=40))[0][0] == "year"
