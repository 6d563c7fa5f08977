"""Citizen text is untrusted: it is escaped on every page of the case desk and never becomes a link target."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from cases.models import AuditEvent, Case, Status
from programs.models import Agency, Program
from tests.cases.conftest import body

HOSTILE = 'Jalan rusak <script>alert(1)</script> <img src=x onerror=alert(1)> "quoted" #KemalaJateng'


@pytest.fixture
def hostile_cases(
    make_case: Callable[..., Case], agency_a: Agency, program: Program, operator_a: AbstractBaseUser
) -> dict[str, Case]:
    fresh = make_case(HOSTILE, author="<b>handle</b>")
    delegated = make_case(HOSTILE, status=Status.TRANSFER_REQUESTED, agency=agency_a)
    for case in (fresh, delegated):
        post = case.posts.get()
        post.author_name = "<svg onload=alert(2)>"
        post.url = "javascript:alert(3)"
        post.save()
    AuditEvent.objects.create(
        program=program,
        case=delegated,
        actor=operator_a,
        action="request_transfer",
        from_status="delegated",
        to_status="transfer_requested",
        reason="<script>alert(4)</script>",
    )
    return {"fresh": fresh, "delegated": delegated}


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("admin_user", "inbox"),
        ("admin_user", "all"),
        ("operator_a", "queue"),
        ("admin_user", "detail-fresh"),
        ("admin_user", "detail-delegated"),
        ("operator_a", "detail-delegated"),
    ],
)
def test_citizen_text_is_escaped(
    who: str,
    page: str,
    hostile_cases: dict[str, Case],
    request: pytest.FixtureRequest,
    client_for: Callable[..., Client],
) -> None:
    if page.startswith("detail-"):
        url = reverse("cases:detail", args=[hostile_cases[page.removeprefix("detail-")].tracking_code])
    else:
        url = reverse(f"cases:{page}")
    response = client_for(request.getfixturevalue(who)).get(url)
    assert response.status_code == 200
    html = body(response)

    assert escape(HOSTILE) in html
    for raw in ("<script>alert", "<img src=x", "<svg", "<b>handle", "javascript:"):
        assert raw not in html
    assert "&lt;svg onload=alert(2)&gt;" in html
    if page in ("inbox", "detail-delegated"):
        assert "&lt;script&gt;alert(4)&lt;/script&gt;" in html  # the operator's transfer reason


def test_htmx_fragments_escape_too(admin_client: Client, hostile_cases: dict[str, Case]) -> None:
    case = hostile_cases["fresh"]
    response = admin_client.post(
        reverse("cases:merge", args=[case.tracking_code]),
        {"into": case.tracking_code, "surface": "inbox"},
        HTTP_HX_REQUEST="true",
    )
    html = body(response)
    assert "A case cannot be merged into itself." in html
    assert escape(HOSTILE) in html and "<script>alert" not in html
