"""The triage inbox: what a row shows, the filters, and delegate / reject / merge with and without htmx."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from html import unescape
from urllib.parse import parse_qs

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.models import AuditEvent, Case, Status, Urgency
from cases.views import PAGE_SIZE
from programs.models import Agency, Program, Region, Sector
from sources.models import Platform, Post, PostRole
from tests.cases.conftest import HTMX, body, events

INBOX = reverse("cases:inbox")


def _codes_in_order(html: str, cases: list[Case]) -> list[str]:
    found = [(html.index(f'id="case-{case.tracking_code}"'), case.tracking_code) for case in cases]
    return [code for _, code in sorted(found)]


def test_row_shows_report_counts_and_suggestion(admin_client: Client, new_case: Case, program: Program) -> None:
    Post.objects.create(
        program=program,
        platform=Platform.X,
        external_id="f-1",
        author_id="9",
        author_handle="warga2",
        text="Sudah seminggu belum diperbaiki",
        posted_at=new_case.opened_at,
        raw={},
        case=new_case,
        role=PostRole.FOLLOW_UP,
    )
    Case.objects.filter(pk=new_case.pk).update(support_count=4)

    html = body(admin_client.get(INBOX))

    assert f'href="/cases/{new_case.tracking_code}/"' in html
    assert "@warga1" in html and "Warga1" in html
    assert 'target="_blank" rel="noopener noreferrer nofollow"' in html
    assert "Jalan provinsi di Tembalang rusak parah" in html
    assert "4 supporters" in html and "1 follow-up" in html
    assert "Infrastruktur</strong> (91%)" in html
    assert "DPU BINMAR CIPKA</strong> (87%)" in html
    assert "Kota Semarang</strong>" in html
    # The delegate select starts on the suggested agency.
    assert '<option value="dpu-bmck" selected>' in html
    assert html.count(" selected>") == 2  # the suggestion and the language switcher, nothing else
    assert "20 Nov 2026 10:00 WIB" in html  # 03:00 UTC shown in Asia/Jakarta


def test_default_statuses_and_order(admin_client: Client, make_case: Callable[..., Case], agency_a: Agency) -> None:
    old_emergency = make_case(urgency=Urgency.EMERGENCY, opened_at=datetime(2026, 11, 1, tzinfo=UTC))
    newest = make_case(opened_at=datetime(2026, 11, 21, tzinfo=UTC))
    older = make_case(status=Status.TRIAGED, opened_at=datetime(2026, 11, 19, tzinfo=UTC))
    high = make_case(urgency=Urgency.HIGH, status=Status.TRANSFER_REQUESTED, agency=agency_a)
    delegated = make_case(status=Status.DELEGATED, agency=agency_a)
    rejected = make_case(status=Status.REJECTED)

    html = body(admin_client.get(INBOX))

    assert delegated.tracking_code not in html and rejected.tracking_code not in html
    listed = [old_emergency, high, newest, older]
    assert _codes_in_order(html, listed) == [case.tracking_code for case in listed]
    assert "badge-emergency" in html and "badge-high" in html


def test_filters(admin_client: Client, make_case: Callable[..., Case], program: Program) -> None:
    semarang_kecamatan = Region.objects.get(program=program, code="33.74.01")
    in_semarang = make_case("Banjir di Semarang Tengah", region=semarang_kecamatan)
    elsewhere = make_case("Banjir di Cilacap", region=Region.objects.get(program=program, code="33.01"))
    delegated = make_case("Sudah didisposisi", status=Status.DELEGATED)
    health = make_case("Antre di puskesmas", sector=Sector.objects.get(program=program, code="kesehatan"))

    def listed(query: dict[str, str | list[str]]) -> set[str]:
        html = body(admin_client.get(INBOX, query))
        return {c.tracking_code for c in (in_semarang, elsewhere, delegated, health) if c.tracking_code in html}

    assert listed({"region": "33.74"}) == {in_semarang.tracking_code}
    assert listed({"q": "cilacap"}) == {elsewhere.tracking_code}
    assert listed({"q": delegated.tracking_code, "status": ["delegated"]}) == {delegated.tracking_code}
    assert listed({"sector": "kesehatan"}) == {health.tracking_code}
    assert listed({"date_from": "2026-11-21"}) == set()
    html = body(admin_client.get(INBOX, {"region": "33.74"}))
    assert '<option value="33.74" selected>' in html
    export_query = re.search(r'href="/cases/export\.csv\?([^"]*)"', html)
    assert export_query is not None
    assert parse_qs(unescape(export_query.group(1))) == {
        "region": ["33.74"],
        "status": ["new", "triaged", "transfer_requested"],
    }


def test_pagination_keeps_filters(admin_client: Client, make_case: Callable[..., Case]) -> None:
    for _ in range(PAGE_SIZE + 1):
        make_case()
    html = body(admin_client.get(INBOX, {"q": "jalan"}))
    assert html.count('class="card case-row"') == PAGE_SIZE
    assert 'href="?q=jalan&amp;page=2"' in html
    second = body(admin_client.get(INBOX, {"q": "jalan", "page": "2"}))
    assert second.count('class="card case-row"') == 1


def test_pages_follow_one_order_without_gaps_or_repeats(admin_client: Client, make_case: Callable[..., Case]) -> None:
    """Pages are cut from the ordered ids and then loaded: page 1 + page 2 must be the whole list, in order."""
    cases = [
        make_case(
            urgency=(Urgency.EMERGENCY, Urgency.NORMAL, Urgency.HIGH)[n % 3],
            opened_at=datetime(2026, 11, 1 + n % 20, n % 24, tzinfo=UTC),
        )
        for n in range(PAGE_SIZE + 7)
    ]
    expected = [c.tracking_code for c in sorted(cases, key=lambda c: (-c.urgency, -c.opened_at.timestamp(), -c.pk))]
    shown = []
    for page in ("1", "2"):
        shown += re.findall(
            r'<article class="card case-row" id="case-([^"]+)"', body(admin_client.get(INBOX, {"page": page}))
        )
    assert shown == expected


def test_query_count_does_not_grow_with_rows(
    admin_client: Client,
    make_case: Callable[..., Case],
    program: Program,
    agency_a: Agency,
    operator_a: AbstractBaseUser,
) -> None:
    sector = Sector.objects.get(program=program, code="infrastruktur")
    region = Region.objects.get(program=program, code="33.74")

    def add(count: int) -> None:
        for n in range(count):
            case = make_case(
                suggested_agency=agency_a,
                suggested_sector=sector,
                suggested_region=region,
                sector=sector,
                region=region,
                status=Status.TRANSFER_REQUESTED if n % 3 == 0 else Status.NEW,
                agency=agency_a if n % 3 == 0 else None,
                support_count=n,
            )
            Post.objects.create(
                program=program,
                platform=Platform.X,
                external_id=f"fu-{case.pk}",
                author_id="7",
                author_handle="warga7",
                text="Masih rusak",
                posted_at=case.opened_at,
                raw={},
                case=case,
                role=PostRole.FOLLOW_UP,
            )
            if n % 3 == 0:
                AuditEvent.objects.create(
                    program=program,
                    case=case,
                    actor=operator_a,
                    action="request_transfer",
                    from_status="delegated",
                    to_status="transfer_requested",
                    reason="Bukan kewenangan kami",
                )

    add(3)
    with CaptureQueriesContext(connection) as few:
        assert body(admin_client.get(INBOX)).count('class="card case-row"') == 3
    add(PAGE_SIZE - 3)
    with CaptureQueriesContext(connection) as many:
        html = body(admin_client.get(INBOX))
    assert html.count('class="card case-row"') == PAGE_SIZE
    assert html.count("Transfer requested by operator_a:") == len(range(0, PAGE_SIZE - 3, 3)) + 1
    assert len(many) == len(few)
    # session, user, program, membership, count, the page's ids, its cases, posts, transfer requests, follow-up
    # counts, and the filter form's agencies, sectors and kab/kota.
    assert len(many) == 13, "\n".join(q["sql"] for q in many.captured_queries)


#
# Actions
#


def _post(client: Client, name: str, case: Case, data: dict[str, str], *, htmx: bool = True) -> str:
    extra = HTMX if htmx else {}
    response = client.post(
        reverse(f"cases:{name}", args=[case.tracking_code]),
        {"surface": "inbox", "next": INBOX + "?status=new", **data},
        **extra,  # type: ignore[arg-type]
    )
    assert response.status_code == 200
    return body(response)


def test_htmx_delegate_replaces_the_row_with_a_receipt(
    admin_client: Client, new_case: Case, agency_a: Agency, admin_user: AbstractBaseUser
) -> None:
    html = _post(admin_client, "delegate", new_case, {"agency": "dpu-bmck", "note": "jalan provinsi"})

    assert html.startswith('<article class="case-row case-done" id="case-' + new_case.tracking_code)
    assert f"{new_case.tracking_code} delegated to DPU BINMAR CIPKA." in html
    assert "undo is not possible, see the case" in html
    assert "<html" not in html and "<select" not in html
    new_case.refresh_from_db()
    assert (new_case.status, new_case.agency, new_case.sector) == (
        Status.DELEGATED,
        agency_a,
        new_case.suggested_sector,
    )
    assert events(new_case) == [("delegate", "new", "delegated", "admin", "jalan provinsi")]
    event = AuditEvent.objects.get(case=new_case)
    assert event.actor == admin_user
    assert event.data["accepted_suggestion"] is True


def test_htmx_reject(admin_client: Client, new_case: Case) -> None:
    html = _post(admin_client, "reject", new_case, {"reason": "not_public_service", "note": "urusan pribadi"})

    assert f"{new_case.tracking_code} rejected: Not a public-service matter." in html
    new_case.refresh_from_db()
    assert (new_case.status, new_case.reject_reason) == (Status.REJECTED, "not_public_service")
    assert events(new_case) == [("reject", "new", "rejected", "admin", "urusan pribadi")]
    assert AuditEvent.objects.get(case=new_case).data == {"reject_reason": "not_public_service"}


def test_htmx_merge_accepts_a_lowercase_code(
    admin_client: Client, new_case: Case, make_case: Callable[..., Case]
) -> None:
    target = make_case("Jalan Tembalang rusak #KemalaJateng", author="warga9")

    html = _post(admin_client, "merge", new_case, {"into": target.tracking_code.lower()})

    assert f"{new_case.tracking_code} merged into {target.tracking_code}." in html
    new_case.refresh_from_db()
    target.refresh_from_db()
    assert (new_case.status, new_case.merged_into) == (Status.MERGED, target)
    assert target.support_count == 1
    assert Post.objects.filter(case=target).count() == 2
    assert events(new_case) == [("merge", "new", "merged", "admin", "")]
    assert events(target) == [("merge_in", "", "", "admin", "")]
    assert AuditEvent.objects.get(case=target).data["from_case"] == new_case.tracking_code


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("merge", {"into": "SELF"}, "A case cannot be merged into itself."),
        ("merge", {"into": "JATE-0000-NOPE00"}, "There is no case JATE-0000-NOPE00."),
        ("delegate", {"agency": ""}, "Choose the agency to delegate to."),
        ("delegate", {"agency": "no-such-agency"}, "Choose an active agency of this program."),
        ("reject", {"reason": "boring"}, "Choose a reason: spam, not a public-service matter, or duplicate."),
    ],
)
def test_htmx_refusal_rerenders_the_row_with_the_message(
    admin_client: Client, new_case: Case, name: str, data: dict[str, str], message: str
) -> None:
    if data.get("into") == "SELF":
        data = {"into": new_case.tracking_code}

    html = _post(admin_client, name, new_case, data)

    assert html.startswith(f'<article class="card case-row" id="case-{new_case.tracking_code}">')
    assert f'<p class="alert alert-error" role="alert">{message}</p>' in html
    assert 'name="next" value="/cases/inbox/?status=new"' in html  # the row still returns to the same list
    new_case.refresh_from_db()
    assert new_case.status == Status.NEW
    assert events(new_case) == []


def test_htmx_refusal_after_someone_else_acted(
    admin_client: Client, new_case: Case, make_case: Callable[..., Case]
) -> None:
    Case.objects.filter(pk=new_case.pk).update(status=Status.REJECTED)  # another admin, a moment earlier

    html = _post(admin_client, "delegate", new_case, {"agency": "dpu-bmck"})

    assert "A case that is rejected cannot be delegated." in html
    assert "/delegate/" not in html  # the row no longer offers what the case cannot do
    new_case.refresh_from_db()
    assert (new_case.status, new_case.agency) == (Status.REJECTED, None)
    assert events(new_case) == []


def test_without_htmx_the_same_url_redirects_back_with_a_message(
    admin_client: Client, new_case: Case, agency_b: Agency
) -> None:
    response = admin_client.post(
        reverse("cases:delegate", args=[new_case.tracking_code]),
        {"agency": "kota-semarang", "next": INBOX + "?q=jalan"},
    )

    assert response.status_code == 302
    assert response["Location"] == INBOX + "?q=jalan"
    page = body(admin_client.get(response["Location"]))
    assert f"{new_case.tracking_code} delegated to Pemkot Semarang." in page
    new_case.refresh_from_db()
    assert (new_case.status, new_case.agency) == (Status.DELEGATED, agency_b)
    assert [e[0] for e in events(new_case)] == ["delegate"]


def test_without_htmx_a_refusal_redirects_back_with_the_error(admin_client: Client, new_case: Case) -> None:
    response = admin_client.post(
        reverse("cases:merge", args=[new_case.tracking_code]),
        {"into": new_case.tracking_code, "next": INBOX},
        follow=True,
    )

    assert response.redirect_chain == [(INBOX, 302)]
    assert '<li class="msg-error">A case cannot be merged into itself.</li>' in body(response)
    new_case.refresh_from_db()
    assert new_case.status == Status.NEW


def test_an_offsite_next_is_ignored(admin_client: Client, new_case: Case) -> None:
    response = admin_client.post(
        reverse("cases:reject", args=[new_case.tracking_code]),
        {"reason": "spam", "next": "https://evil.example/phish"},
    )
    assert response["Location"] == reverse("cases:detail", args=[new_case.tracking_code])
    new_case.refresh_from_db()
    assert new_case.status == Status.REJECTED


def test_a_case_with_many_reports_shows_three(
    admin_client: Client, make_case: Callable[..., Case], admin_user: AbstractBaseUser
) -> None:
    target = make_case("Jalan Kaligawe banjir #KemalaJateng", author="pertama")
    for n in range(3):
        services.merge_case(make_case(f"Kaligawe tergenang lagi {n}", author=f"warga{n}"), admin_user, into=target)

    html = body(admin_client.get(INBOX))

    row = html[html.index(f'id="case-{target.tracking_code}"') :]
    assert row.count('<div class="post">') == 3
    assert "and 1 more report" in row
    assert "3 supporters" in row
