"""The public board (`/`) and its JSON (`/api/board`): figures against a hand-computed fixture, masking,
escaping and bad periods."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.utils.html import escape

from cases.models import Case, Reply, ReplyStatus, Status
from insight import rollup
from insight.board import humanize_seconds
from programs.models import Agency, Program, Region, Sector

WIB = ZoneInfo("Asia/Jakarta")
NOVEMBER = {"period": "custom", "from": "2026-11-01", "to": "2026-11-30"}


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)  # type: ignore[misc]


class BoardClient(Client):
    """A client whose requests find the board's rollup current, as the worker keeps it (insight.rollup)."""

    def get(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        for program in Program.objects.all():
            rollup.rebuild(program)
        return super().get(*args, **kwargs)


@pytest.fixture
def english(program: Program) -> Client:
    """An anonymous visitor reading in English (the source language of the strings)."""
    return BoardClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def answered(make_case: Callable[..., Case]) -> Callable[..., Case]:
    """A case answered `seconds` after it was opened (first_reply_at and first_reply_seconds set)."""

    def make(seconds: int | None, opened_at: datetime, **fields: Any) -> Case:
        if seconds is not None:
            fields.update(first_reply_at=opened_at + timedelta(seconds=seconds), first_reply_seconds=seconds)
        return make_case(opened_at=opened_at, **fields)

    return make


@pytest.fixture
def november(program: Program, agency_a: Agency, agency_b: Agency, answered: Callable[..., Case]) -> dict[str, Case]:
    """Cases around November 2026 (WIB). In the period: 9 cases, 7 answered.

    | case | agency | sector      | region (→ kab/kota)      | first reply (s) | counted?                   |
    | a1   | A      | infra       | 33.74.01 kecamatan → 33.74 | 3600          | yes                        |
    | a2   | A      | infra       | 33.74.01.1001 desa → 33.74 | 7200          | yes                        |
    | a3   | A      | infra       | 33.01.01 → 33.01         | 36000           | yes                        |
    | a4   | A      | pendidikan  | 33.74                    | —               | yes (delegated)            |
    | a5   | A      | infra       | 33.74                    | 100000          | yes (30 Nov 23:59 WIB)     |
    | b1   | B      | infra       | 33.74                    | 1800            | yes                        |
    | b2   | B      | pendidikan  | 33.01                    | 5400            | yes                        |
    | b3   | B      | infra       | 33.74.01                 | 900             | yes                        |
    | n1   | —      | —           | —                        | —               | yes (new)                  |
    | r1   | A      | infra       | 33.74                    | —               | no: rejected               |
    | m1   | B      | —           | 33.74                    | —               | no: merged                 |
    | o1   | A      | infra       | 33.74                    | 60              | no: 31 Oct 23:30 WIB       |
    | o2   | B      | infra       | 33.74                    | 60              | no: 1 Dec 00:00 WIB        |

    Medians: A has 3600, 7200, 36000, 100000 → (7200 + 36000) / 2 = 21600 s = 6 h (even count);
    B has 900, 1800, 5400 → 1800 s = 0.5 h (odd count).
    """
    sector = {s.code: s for s in Sector.objects.filter(program=program, code__in=["infrastruktur", "pendidikan"])}
    region = {
        r.code: r
        for r in Region.objects.filter(
            program=program, code__in=["33.74", "33.74.01", "33.74.01.1001", "33.01", "33.01.01"]
        )
    }
    infra, edu = sector["infrastruktur"], sector["pendidikan"]
    done = Status.ANSWERED
    cases = {
        "a1": answered(
            3600, wib(2026, 11, 2, 9), agency=agency_a, sector=infra, region=region["33.74.01"], status=done
        ),
        "a2": answered(
            7200, wib(2026, 11, 3, 9), agency=agency_a, sector=infra, region=region["33.74.01.1001"], status=done
        ),
        "a3": answered(
            36000, wib(2026, 11, 4, 9), agency=agency_a, sector=infra, region=region["33.01.01"], status=Status.RESOLVED
        ),
        "a4": answered(
            None, wib(2026, 11, 5, 9), agency=agency_a, sector=edu, region=region["33.74"], status=Status.DELEGATED
        ),
        "a5": answered(
            100000, wib(2026, 11, 30, 23, 59), agency=agency_a, sector=infra, region=region["33.74"], status=done
        ),
        "b1": answered(1800, wib(2026, 11, 6, 9), agency=agency_b, sector=infra, region=region["33.74"], status=done),
        "b2": answered(
            5400, wib(2026, 11, 7, 9), agency=agency_b, sector=edu, region=region["33.01"], status=Status.CLOSED
        ),
        "b3": answered(900, wib(2026, 11, 8, 9), agency=agency_b, sector=infra, region=region["33.74.01"], status=done),
        "n1": answered(None, wib(2026, 11, 9, 9)),
        "r1": answered(
            None,
            wib(2026, 11, 10, 9),
            agency=agency_a,
            sector=infra,
            region=region["33.74"],
            status=Status.REJECTED,
            reject_reason="spam",
        ),
        "m1": answered(None, wib(2026, 11, 11, 9), agency=agency_b, region=region["33.74"], status=Status.MERGED),
        "o1": answered(
            60, wib(2026, 10, 31, 23, 30), agency=agency_a, sector=infra, region=region["33.74"], status=done
        ),
        "o2": answered(60, wib(2026, 12, 1, 0, 0), agency=agency_b, sector=infra, region=region["33.74"], status=done),
    }
    return cases


def test_figures_match_the_hand_computed_fixture(english: Client, november: dict[str, Case]) -> None:
    data = english.get("/api/board", NOVEMBER).json()
    assert data["program"] == "jateng"
    assert data["period"] == {"from": "2026-11-01", "to": "2026-11-30"}
    assert (data["total_cases"], data["answered_cases"]) == (9, 7)
    assert data["by_sector"] == [
        {"code": "infrastruktur", "name": "Infrastruktur", "count": 6},
        {"code": "pendidikan", "name": "Pendidikan", "count": 2},
        {"code": None, "name": "Not yet classified", "count": 1},
    ]
    assert data["by_region"] == [
        {"code": "33.74", "name": "Kota Semarang", "count": 6},
        {"code": "33.01", "name": "Kabupaten Cilacap", "count": 2},
        {"code": None, "name": "Region unknown", "count": 1},
    ]
    assert data["by_agency"] == [
        {
            "code": "dpu-bmck",
            "name": "Dinas Pekerjaan Umum Bina Marga dan Cipta Karya",
            "count": 5,
            "median_first_reply_hours": 6.0,
        },
        {"code": "kota-semarang", "name": "Pemerintah Kota Semarang", "count": 3, "median_first_reply_hours": 0.5},
        {"code": None, "name": "Not yet delegated", "count": 1, "median_first_reply_hours": None},
    ]
    # Latest answered: by time of first reply, newest first, only cases counted in the period.
    codes = [item["tracking_code"] for item in data["latest_answered"]]
    c = november
    assert codes == [c[k].tracking_code for k in ("a5", "b3", "b2", "b1", "a3", "a2", "a1")]


def test_the_page_shows_the_same_figures(english: Client, november: dict[str, Case]) -> None:
    response = english.get("/", NOVEMBER)
    assert response.status_code == 200
    html = response.content.decode()
    board = response.context["board"]
    assert (board.total_cases, board.answered_cases, board.answered_share) == (9, 7, 77.8)
    assert "77.8%" in html
    assert [(row.short_name, row.count, row.median_display) for row in board.by_agency] == [
        ("DPU BINMAR CIPKA", 5, "6 hours"),
        ("Pemkot Semarang", 3, "30 minutes"),
        ("Not yet delegated", 1, ""),
    ]
    assert "6 hours" in html and "30 minutes" in html
    assert november["a5"].tracking_code in html
    assert november["o1"].tracking_code not in html and november["r1"].tracking_code not in html


def test_a_single_answered_case_is_its_own_median(
    english: Client, answered: Callable[..., Case], agency_a: Agency
) -> None:
    answered(5000, wib(2026, 11, 2, 9), agency=agency_a, status=Status.ANSWERED)
    data = english.get("/api/board", NOVEMBER).json()
    assert data["by_agency"] == [
        {
            "code": "dpu-bmck",
            "name": "Dinas Pekerjaan Umum Bina Marga dan Cipta Karya",
            "count": 1,
            "median_first_reply_hours": 1.39,
        },
    ]


def test_empty_period(english: Client, november: dict[str, Case]) -> None:
    data = english.get("/api/board", {"from": "2025-01-01", "to": "2025-01-31"}).json()
    assert data["period"] == {"from": "2025-01-01", "to": "2025-01-31"}
    assert (data["total_cases"], data["answered_cases"]) == (0, 0)
    assert data["by_sector"] == data["by_region"] == data["by_agency"] == data["latest_answered"] == []
    html = english.get("/", {"from": "2025-01-01", "to": "2025-01-31"}).content.decode()
    assert "No cases in this period." in html


@time_machine.travel(datetime(2026, 11, 20, 20, 0, tzinfo=UTC), tick=False)  # 21 Nov 03:00 WIB
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"from": "2026-10-23", "to": "2026-11-21"}),
        ({"period": "30d"}, {"from": "2026-10-23", "to": "2026-11-21"}),
        ({"period": "7d"}, {"from": "2026-11-15", "to": "2026-11-21"}),
        ({"period": "month"}, {"from": "2026-11-01", "to": "2026-11-21"}),
        ({"period": "year"}, {"from": "2026-01-01", "to": "2026-11-21"}),
        ({"period": "all"}, {"from": None, "to": "2026-11-21"}),
        ({"from": "2026-11-10"}, {"from": "2026-11-10", "to": "2026-11-21"}),
        ({"period": "custom", "to": "2026-11-10"}, {"from": None, "to": "2026-11-10"}),
    ],
)
def test_periods_are_calendar_days_in_jakarta(
    english: Client, params: dict[str, str], expected: dict[str, str | None]
) -> None:
    assert english.get("/api/board", params).json()["period"] == expected


@time_machine.travel(datetime(2026, 11, 20, 20, 0, tzinfo=UTC), tick=False)  # 21 Nov 03:00 WIB
def test_last_7_days_counts_by_the_citizens_posting_time(english: Client, answered: Callable[..., Case]) -> None:
    answered(None, wib(2026, 11, 15, 0, 0))  # 14 Nov 17:00 UTC: counting by UTC date would exclude it
    answered(None, wib(2026, 11, 14, 23, 59))  # the day before the period
    answered(None, wib(2026, 11, 21, 2, 0))  # today in Jakarta, still 20 Nov in UTC
    data = english.get("/api/board", {"period": "7d"}).json()
    assert data["total_cases"] == 2
    response = english.get("/", {"period": "7d"})
    assert response.context["board"].total_cases == 2
    assert response.context["period"].label == "Last 7 days"
    assert 'aria-current="true">Last 7 days' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "week"}, "Unknown period “week”; use one of: 7d, 30d, month, year, all, custom."),
        ({"from": "2026-13-01"}, "“from” is not a real date."),
        ({"to": "01/11/2026"}, "“to” must be a date written YYYY-MM-DD."),
        ({"from": "2026-11-30", "to": "2026-11-01"}, "The “from” date must not be after the “to” date."),
        ({"period": "7d", "from": "2026-11-01"}, "Give either a period or dates (with period=custom), not both."),
        ({"period": "custom"}, "A custom period needs a “from” date, a “to” date or both."),
        ({"from": "1999-12-31"}, "Dates must be between 2000-01-01 and 2100-12-31."),
        ({"to": "9999-12-31"}, "Dates must be between 2000-01-01 and 2100-12-31."),
    ],
)
def test_bad_period_is_refused_with_a_message(english: Client, params: dict[str, str], message: str) -> None:
    api = english.get("/api/board", params)
    assert (api.status_code, api.json()) == (400, {"error": message})
    api_slash = english.get("/api/board/", params)
    assert (api_slash.status_code, api_slash.json()) == (400, {"error": message})
    page = english.get("/", params)
    assert page.status_code == 400
    html = page.content.decode()
    assert 'role="alert"' in html
    assert escape(message) in html
    assert page.context.get("board") is None  # no figures under an error


def test_bad_period_input_is_escaped_on_the_page(english: Client) -> None:
    html = english.get("/", {"period": "<script>x</script>"}).content.decode()
    assert "<script>x" not in html
    assert "&lt;script&gt;x" in html


PII_TEXT = (
    "Jalan rusak <b>parah</b>. Hubungi saya 081234567890 atau +62 812-3456-7891, NIK 3374011203900001, "
    "email warga.semarang@example.com"
)
PII_REPLY = "Terima kasih, petugas kami akan menghubungi Bapak di 0812 9876 5432 / budi@dpu.jatengprov.go.id"
PII_VALUES = [
    "081234567890",
    "812-3456-7891",
    "3374011203900001",
    "warga.semarang@example.com",
    "0812 9876 5432",
    "budi@dpu.jatengprov.go.id",
    "@example.com",
]


@pytest.fixture
def case_with_pii(answered: Callable[..., Case], agency_a: Agency, operator_a: AbstractBaseUser) -> Case:
    case = answered(3600, wib(2026, 11, 2, 9), text=PII_TEXT, agency=agency_a, status=Status.ANSWERED)
    post = case.posts.get()
    Reply.objects.create(
        case=case,
        in_reply_to=post,
        agency=agency_a,
        author=operator_a,
        text=PII_REPLY,
        status=ReplyStatus.SENT,
        next_attempt_at=case.opened_at,
        sent_at=case.first_reply_at,
        url="https://x.com/dpubmck/status/1",
        external_id="1",
    )
    # A failed attempt is not the public reply and must never appear.
    Reply.objects.create(
        case=case,
        in_reply_to=post,
        agency=agency_a,
        author=operator_a,
        text="draft that failed",
        status=ReplyStatus.FAILED,
        next_attempt_at=case.opened_at,
    )
    return case


def test_personal_data_is_masked_in_the_json(english: Client, case_with_pii: Case) -> None:
    body = english.get("/api/board", NOVEMBER).content.decode()
    for value in PII_VALUES:
        assert value not in body
    (item,) = english.get("/api/board", NOVEMBER).json()["latest_answered"]
    assert item["text"].startswith("Jalan rusak <b>parah</b>. Hubungi saya ")
    assert item["reply"].startswith("Terima kasih, petugas kami akan menghubungi Bapak di ")
    assert item["url"] == "https://x.com/dpubmck/status/1"
    assert item["answered_at"] == "2026-11-02T10:00:00+07:00"
    assert "draft that failed" not in body


def test_personal_data_is_masked_on_the_page(english: Client, case_with_pii: Case) -> None:
    html = english.get("/", NOVEMBER).content.decode()
    for value in PII_VALUES:
        assert value not in html
    assert "Jalan rusak &lt;b&gt;parah&lt;/b&gt;. Hubungi saya " in html
    assert "Terima kasih, petugas kami akan menghubungi Bapak di " in html
    assert 'href="https://x.com/dpubmck/status/1"' in html
    assert "draft that failed" not in html


def test_citizen_text_is_escaped_and_unsafe_links_dropped(
    english: Client, answered: Callable[..., Case], agency_a: Agency, operator_a: AbstractBaseUser
) -> None:
    case = answered(
        600,
        wib(2026, 11, 2, 9),
        text='<script>alert("x")</script> jalan "rusak"',
        agency=agency_a,
        status=Status.ANSWERED,
    )
    Reply.objects.create(
        case=case,
        in_reply_to=case.posts.get(),
        agency=agency_a,
        author=operator_a,
        text="<img src=x onerror=alert(1)>",
        status=ReplyStatus.SENT,
        next_attempt_at=case.opened_at,
        sent_at=case.first_reply_at,
        url="javascript:alert(1)",
    )
    html = english.get("/", NOVEMBER).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; jalan &quot;rusak&quot;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "javascript:" not in html
    (item,) = english.get("/api/board", NOVEMBER).json()["latest_answered"]
    assert item["url"] is None
    assert item["text"] == '<script>alert("x")</script> jalan "rusak"'  # JSON carries text, never markup


def test_latest_answered_is_capped_at_ten(english: Client, answered: Callable[..., Case], agency_b: Agency) -> None:
    made = [answered(60 * (i + 1), wib(2026, 11, 2, 9, i), agency=agency_b, status=Status.ANSWERED) for i in range(12)]
    items = english.get("/api/board", NOVEMBER).json()["latest_answered"]
    assert [i["tracking_code"] for i in items] == [c.tracking_code for c in reversed(made)][:10]
    assert {i["agency"] for i in items} == {"Pemerintah Kota Semarang"}
    assert {i["reply"] for i in items} == {""}  # no reply text recorded for these


def test_board_is_public_and_open_to_other_sites(english: Client) -> None:
    response = english.get("/api/board", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 200  # a stale token must not lock anyone out of public data
    assert response["Access-Control-Allow-Origin"] == "*"
    page = english.get("/")
    assert page.status_code == 200
    assert 'href="/api/docs/"' in page.content.decode()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (59, "1 minute"),
        (1800, "30 minutes"),
        (3600, "1 hour"),
        (5400, "1.5 hours"),
        (21600, "6 hours"),
        (47 * 3600, "47 hours"),
        (50 * 3600, "2 days 2 hours"),
        (72 * 3600, "3 days"),
    ],
)
def test_durations_read_naturally(seconds: int, text: str) -> None:
    from django.utils import translation

    with translation.override("en"):
        assert humanize_seconds(seconds) == text


def test_latest_answered_of_an_old_period_is_found_past_newer_replies(
    english: Client, answered: Callable[..., Case], agency_a: Agency
) -> None:
    """More than a batch of newer answered cases outside the period must not hide the period's own."""
    old = answered(600, wib(2026, 10, 2, 9), agency=agency_a, status=Status.ANSWERED)
    for i in range(105):
        answered(600, wib(2026, 11, 2, 9, i % 60), agency=agency_a, status=Status.ANSWERED)
    items = english.get("/api/board", {"from": "2026-10-01", "to": "2026-10-31"}).json()["latest_answered"]
    assert [item["tracking_code"] for item in items] == [old.tracking_code]
