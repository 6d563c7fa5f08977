"""The case page: what it shows, the actions it offers to each role, and the agency's work from it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from cases import services
from cases.models import AuditEvent, Case, Reply, ReplyStatus, Status
from programs.models import Agency, Program, Region, Sector
from sources.models import Platform, Post, PostRole
from tests.cases.conftest import body, events

ACTION_PATHS = (
    "/triage/",
    "/delegate/",
    "/reject/",
    "/merge/",
    "/close/",
    "/acknowledge/",
    "/reply/",
    "/transfer/",
    "/resolve/",
    "/retry/",
)


def _detail(case: Case) -> str:
    return reverse("cases:detail", args=[case.tracking_code])


def _offered(html: str) -> set[str]:
    return {path.strip("/") for path in ACTION_PATHS if re.search(f'action="[^"]*{path}"', html)}


def test_posts_reading_and_timeline(
    admin_client: Client, new_case: Case, program: Program, admin_user: AbstractBaseUser, agency_a: Agency
) -> None:
    report = new_case.posts.get()
    report.region_evidence = "tembalang"
    report.save()
    Post.objects.create(
        program=program,
        platform=Platform.X,
        external_id="fu-1",
        author_id="2",
        author_handle="tetangga",
        text="Betul, sudah dua minggu",
        posted_at=datetime(2026, 11, 21, 1, 30, tzinfo=UTC),
        raw={},
        case=new_case,
        role=PostRole.FOLLOW_UP,
    )
    Post.objects.create(
        program=program,
        platform=Platform.X,
        external_id="ag-1",
        author_id="3",
        author_handle="dpubinmarcipka",
        text="Sudah kami teruskan ke UPT",
        posted_at=datetime(2026, 11, 21, 2, tzinfo=UTC),
        raw={},
        case=new_case,
        role=PostRole.AGENCY_REPLY,
    )
    services.record_event(new_case, program=program, actor=None, action="open", to_status="new")
    services.delegate_case(new_case, admin_user, agency=agency_a, note="jalan provinsi")

    html = body(admin_client.get(_detail(new_case)))

    assert html.index("Jalan provinsi di Tembalang") < html.index("1 follow-up") < html.index("Betul, sudah dua")
    assert html.index("Agency posts in the thread") < html.index("Sudah kami teruskan ke UPT")
    assert "0 supporters (reposts)" in html
    assert "21 Nov 2026 08:30 WIB" in html  # the follow-up's 01:30 UTC
    # The reading, next to what was decided.
    assert "Infrastruktur (91%)" in html and "DPU BINMAR CIPKA (87%)" in html
    assert "baseline-rules-1" in html and "tembalang" in html
    # The timeline: system then the admin, with labels, statuses and the note.
    timeline = html[html.index("<h2>Timeline</h2>") :]
    assert re.search(r"<strong>system</strong> · Case opened\s*<span class=\"muted\">· — → New</span>", timeline)
    assert re.search(r"<strong>admin</strong> · Delegated\s*<span class=\"muted\">· New → Delegated</span>", timeline)
    assert "jalan provinsi" in timeline
    assert re.search(r"\d{1,2} \w{3} \d{4} \d\d:\d\d WIB</time> ·\s*<strong>admin</strong>", timeline)


def test_actions_offered_by_role_and_status(
    client_for: Callable[..., Client],
    admin_user: AbstractBaseUser,
    operator_a: AbstractBaseUser,
    analyst: AbstractBaseUser,
    make_case: Callable[..., Case],
    agency_a: Agency,
) -> None:
    new = make_case()
    delegated = make_case(status=Status.DELEGATED, agency=agency_a)
    answered = make_case(status=Status.ANSWERED, agency=agency_a)
    resolved = make_case(status=Status.RESOLVED, agency=agency_a)
    admin, operator, reader = client_for(admin_user), client_for(operator_a), client_for(analyst)

    assert _offered(body(admin.get(_detail(new)))) == {"triage", "delegate", "reject", "merge"}
    assert _offered(body(admin.get(_detail(delegated)))) == {"delegate", "merge"}
    assert _offered(body(admin.get(_detail(resolved)))) == {"close"}
    assert _offered(body(operator.get(_detail(delegated)))) == {"acknowledge", "reply", "transfer"}
    assert _offered(body(operator.get(_detail(answered)))) == {"reply", "resolve"}
    assert _offered(body(operator.get(_detail(resolved)))) == set()
    for case in (new, delegated, answered, resolved):
        assert _offered(body(reader.get(_detail(case)))) == set()


def test_admin_corrects_the_reading(admin_client: Client, new_case: Case, program: Program) -> None:
    response = admin_client.post(
        reverse("cases:triage", args=[new_case.tracking_code]),
        {"sector": "kesehatan", "region": "33.74.01", "kind": "question"},
    )

    assert response["Location"] == _detail(new_case)
    new_case.refresh_from_db()
    assert new_case.status == Status.TRIAGED
    assert new_case.sector == Sector.objects.get(program=program, code="kesehatan")
    assert new_case.region == Region.objects.get(program=program, code="33.74.01")
    assert new_case.kind == "question"
    event = AuditEvent.objects.get(case=new_case)
    assert (event.action, event.from_status, event.to_status) == ("triage", "new", "triaged")
    assert event.data["changes"]["sector"] == [None, "kesehatan"]
    html = body(admin_client.get(_detail(new_case)))
    assert f"{new_case.tracking_code} triaged." in html
    assert '<option value="33.74.01" selected>' in html


#
# The agency's work
#


def _reply(client: Client, case: Case, text: str) -> Client:
    response = client.post(reverse("cases:reply", args=[case.tracking_code]), {"text": text})
    assert response.status_code == 302
    assert response["Location"] == _detail(case)
    return client


def test_reply_goes_to_the_outbox(
    operator_a_client: Client, delegated_case: Case, operator_a: AbstractBaseUser
) -> None:
    html = body(operator_a_client.get(_detail(delegated_case)))
    assert 'data-limit="280"' in html and "cases/reply-counter.js" in html

    _reply(operator_a_client, delegated_case, "  Terima kasih, tim kami meluncur besok pagi.  ")

    reply = Reply.objects.get(case=delegated_case)
    assert (reply.status, reply.author, reply.agency) == (ReplyStatus.QUEUED, operator_a, delegated_case.agency)
    assert reply.text == "Terima kasih, tim kami meluncur besok pagi."
    assert reply.in_reply_to == delegated_case.posts.get(role=PostRole.REPORT)
    delegated_case.refresh_from_db()
    assert delegated_case.status == Status.ACKNOWLEDGED  # replying is acknowledging
    assert [(e[0], e[1], e[2], e[3]) for e in events(delegated_case)] == [
        ("acknowledge", "delegated", "acknowledged", "operator_a"),
        ("reply_queued", "acknowledged", "acknowledged", "operator_a"),
    ]
    page = body(operator_a_client.get(_detail(delegated_case)))
    assert "Reply queued; it will be published from the agency&#x27;s account." in page
    assert '<span class="badge badge-queued">Queued</span>' in page
    replies_url = reverse("cases:replies", args=[delegated_case.tracking_code])
    assert f'hx-get="{replies_url}" hx-trigger="every 5s"' in page


def test_replies_block_stops_polling_once_sent(operator_a_client: Client, delegated_case: Case) -> None:
    _reply(operator_a_client, delegated_case, "Segera kami tangani.")
    reply = Reply.objects.get(case=delegated_case)
    services.mark_reply_sent(reply, external_id="555", url="https://x.com/dpubmck/status/555")

    block = body(operator_a_client.get(reverse("cases:replies", args=[delegated_case.tracking_code])))

    assert block.startswith('<section class="card replies" id="replies"')
    assert "hx-trigger" not in block
    assert '<span class="badge badge-sent">Sent</span>' in block
    assert 'href="https://x.com/dpubmck/status/555" target="_blank" rel="noopener noreferrer nofollow"' in block


def test_too_long_reply_is_refused_with_the_platform_limit(operator_a_client: Client, delegated_case: Case) -> None:
    response = operator_a_client.post(
        reverse("cases:reply", args=[delegated_case.tracking_code]), {"text": "a" * 281}, follow=True
    )
    assert "This platform accepts at most 280 characters; the reply has 281." in body(response)
    assert not Reply.objects.filter(case=delegated_case).exists()
    delegated_case.refresh_from_db()
    assert delegated_case.status == Status.DELEGATED
    assert events(delegated_case) == []


def test_failed_reply_shows_why_and_agency_staff_can_retry(
    client_for: Callable[..., Client],
    operator_a: AbstractBaseUser,
    admin_user: AbstractBaseUser,
    delegated_case: Case,
    failed_reply: Reply,
) -> None:
    retry_url = reverse("cases:retry-reply", args=[delegated_case.tracking_code, failed_reply.pk])
    operator = client_for(operator_a)
    html = body(operator.get(_detail(delegated_case)))
    assert '<span class="badge badge-failed">Failed</span>' in html
    assert "Why it failed:" in html and "403 Forbidden: reply not allowed" in html
    assert f'action="{retry_url}"' in html
    assert f'action="{retry_url}"' not in body(client_for(admin_user).get(_detail(delegated_case)))

    response = operator.post(retry_url)

    assert response["Location"] == _detail(delegated_case)
    failed_reply.refresh_from_db()
    assert (failed_reply.status, failed_reply.attempts) == (ReplyStatus.QUEUED, 0)
    assert [e[0] for e in events(delegated_case)] == ["reply_requeued"]


def test_transfer_needs_a_reason(operator_a_client: Client, delegated_case: Case) -> None:
    url = reverse("cases:transfer", args=[delegated_case.tracking_code])

    response = operator_a_client.post(url, {"reason": "   "}, follow=True)

    assert '<li class="msg-error">Say why another agency is responsible.</li>' in body(response)
    delegated_case.refresh_from_db()
    assert delegated_case.status == Status.DELEGATED
    assert events(delegated_case) == []

    operator_a_client.post(url, {"reason": "Jalan kota: kewenangan Pemkot Semarang."})
    delegated_case.refresh_from_db()
    assert delegated_case.status == Status.TRANSFER_REQUESTED
    assert events(delegated_case) == [
        (
            "request_transfer",
            "delegated",
            "transfer_requested",
            "operator_a",
            "Jalan kota: kewenangan Pemkot Semarang.",
        ),
    ]


@pytest.mark.parametrize(
    ("who", "action", "status", "message"),
    [
        ("operator_a", "resolve", Status.DELEGATED, "A case that is delegated cannot be resolved."),
        ("operator_a", "acknowledge", Status.ANSWERED, "A case that is answered cannot be acknowledged."),
        ("operator_a", "transfer", Status.RESOLVED, "A case that is resolved cannot be sent back for transfer."),
        ("admin_user", "close", Status.ANSWERED, "A case that is answered cannot be closed."),
        ("admin_user", "reject", Status.DELEGATED, "A case that is delegated cannot be rejected."),
        ("admin_user", "triage", Status.CLOSED, "A case that is closed cannot be triaged."),
    ],
)
def test_illegal_transition_shows_the_services_message(
    who: str,
    action: str,
    status: str,
    message: str,
    request: pytest.FixtureRequest,
    client_for: Callable[..., Client],
    make_case: Callable[..., Case],
    agency_a: Agency,
) -> None:
    case = make_case(status=status, agency=agency_a)
    client = client_for(request.getfixturevalue(who))

    response = client.post(
        reverse(f"cases:{action}", args=[case.tracking_code]), {"reason": "spam", "note": "x"}, follow=True
    )

    assert response.redirect_chain == [(_detail(case), 302)]
    assert f'<li class="msg-error">{message}</li>' in body(response)
    case.refresh_from_db()
    assert case.status == status
    assert events(case) == []


def test_admin_closes_a_resolved_case(admin_client: Client, make_case: Callable[..., Case], agency_a: Agency) -> None:
    case = make_case(status=Status.RESOLVED, agency=agency_a)
    admin_client.post(reverse("cases:close", args=[case.tracking_code]), {"note": "warga puas"})
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.closed_at is not None
    assert events(case) == [("close", "resolved", "closed", "admin", "warga puas")]


def test_operator_resolves_an_answered_case(
    operator_a_client: Client, make_case: Callable[..., Case], agency_a: Agency
) -> None:
    case = make_case(status=Status.ANSWERED, agency=agency_a)
    operator_a_client.post(reverse("cases:resolve", args=[case.tracking_code]), {"note": "sudah ditambal"})
    case.refresh_from_db()
    assert case.status == Status.RESOLVED and case.resolved_at is not None
    assert events(case) == [("resolve", "answered", "resolved", "operator_a", "sudah ditambal")]


#
# Language
#


def test_page_follows_the_browser_language(
    client_for: Callable[..., Client], admin_user: AbstractBaseUser, make_case: Callable[..., Case]
) -> None:
    case = make_case(opened_at=datetime(2026, 5, 20, 3, 0, tzinfo=UTC))
    indonesian = body(client_for(admin_user).get(_detail(case), HTTP_ACCEPT_LANGUAGE="id"))
    english_client = client_for(admin_user)
    english_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    english = body(english_client.get(_detail(case)))

    assert '<html lang="id">' in indonesian and "20 Mei 2026 10:00 WIB" in indonesian
    assert '<html lang="en">' in english and "20 May 2026 10:00 WIB" in english
    for html in (indonesian, english):
        assert case.tracking_code in html and "Jalan rusak parah di Kota Semarang" in html
