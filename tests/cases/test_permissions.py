"""Who gets what on every page and action of the case desk, for a case delegated to agency A.

Columns: admin, operator of A, operator of B, analyst, outsider (no role), anonymous. A refused request must
change nothing: the case keeps its state and no audit event is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from cases.models import AuditEvent, Case, Reply, Status
from tests.cases.conftest import body

USERS = ("admin_user", "operator_a", "operator_b", "analyst", "outsider", "anonymous")

PAGES: dict[str, tuple[int, ...]] = {
    #          admin  op_a  op_b  analyst outsider anon
    "inbox": (200, 403, 403, 403, 403, 302),
    "queue": (403, 200, 200, 403, 403, 302),
    "all": (200, 403, 403, 200, 403, 302),
    "export": (200, 200, 200, 200, 403, 302),
    "detail": (200, 200, 404, 200, 403, 302),
    "replies": (200, 200, 404, 200, 403, 302),
}
# Whether the case shows on the page when the page answers 200.
SHOWN: dict[str, tuple[bool, ...]] = {
    "inbox": (False, False, False, False, False, False),  # delegated: not in the inbox's default statuses
    "queue": (False, True, False, False, False, False),
    "all": (True, False, False, True, False, False),
    "export": (True, True, False, True, False, False),
    "detail": (True, True, False, True, False, False),
    "replies": (True, True, False, True, False, False),
}
ADMIN_ACTION = (302, 403, 404, 403, 403, 302)
AGENCY_ACTION = (403, 302, 404, 403, 403, 302)
ACTIONS: dict[str, tuple[tuple[int, ...], dict[str, str]]] = {
    "triage": (ADMIN_ACTION, {"sector": "infrastruktur", "region": "33.74"}),
    "delegate": (ADMIN_ACTION, {"agency": "kota-semarang"}),
    "reject": (ADMIN_ACTION, {"reason": "spam"}),
    "merge": (ADMIN_ACTION, {"into": "OTHER"}),
    "close": (ADMIN_ACTION, {}),
    "acknowledge": (AGENCY_ACTION, {}),
    "reply": (AGENCY_ACTION, {"text": "Terima kasih, segera kami tangani."}),
    "transfer": (AGENCY_ACTION, {"reason": "Jalan kota, kewenangan Pemkot."}),
    "resolve": (AGENCY_ACTION, {}),
    "retry-reply": (AGENCY_ACTION, {}),
}


@pytest.fixture
def world(delegated_case: Case, failed_reply: Reply, make_case: Callable[..., Case]) -> dict[str, Any]:
    other = make_case("Lampu jalan mati #KemalaJateng")
    return {"case": delegated_case, "reply": failed_reply, "other": other}


def _client(request: pytest.FixtureRequest, who: str, client_for: Callable[..., Client]) -> Client:
    user: AbstractBaseUser | None = None if who == "anonymous" else request.getfixturevalue(who)
    return client_for(user)


def _url(name: str, world: dict[str, Any]) -> str:
    case = world["case"]
    if name in ("inbox", "queue", "all", "export"):
        return reverse(f"cases:{name}")
    if name == "retry-reply":
        return reverse("cases:retry-reply", args=[case.tracking_code, world["reply"].pk])
    return reverse(f"cases:{name}", args=[case.tracking_code])


def _assert_unchanged(world: dict[str, Any], events_before: int) -> None:
    case = world["case"]
    case.refresh_from_db()
    assert case.status == Status.DELEGATED
    assert AuditEvent.objects.count() == events_before
    assert Reply.objects.filter(case=case).count() == 1


def _assert_login_redirect(response: Any) -> None:
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("page", list(PAGES))
def test_page(
    page: str, who: str, world: dict[str, Any], request: pytest.FixtureRequest, client_for: Callable[..., Client]
) -> None:
    expected = PAGES[page][USERS.index(who)]
    events_before = AuditEvent.objects.count()
    response = _client(request, who, client_for).get(_url(page, world))
    assert response.status_code == expected
    if expected == 200:
        content = b"".join(response.streaming_content).decode() if response.streaming else body(response)
        marker = world["reply"].text if page == "replies" else world["case"].tracking_code
        assert (marker in content) == SHOWN[page][USERS.index(who)]
    elif expected == 302:
        _assert_login_redirect(response)
    _assert_unchanged(world, events_before)


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("page", list(PAGES))
def test_pages_refuse_post(
    page: str, who: str, world: dict[str, Any], request: pytest.FixtureRequest, client_for: Callable[..., Client]
) -> None:
    response = _client(request, who, client_for).post(_url(page, world))
    assert response.status_code == 405


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_action(
    action: str,
    who: str,
    world: dict[str, Any],
    request: pytest.FixtureRequest,
    client_for: Callable[..., Client],
) -> None:
    expected, data = ACTIONS[action]
    status = expected[USERS.index(who)]
    if action == "merge":
        data = {"into": world["other"].tracking_code}
    events_before = AuditEvent.objects.count()
    response = _client(request, who, client_for).post(_url(action, world), data)
    assert response.status_code == status
    if status == 302 and who == "anonymous":
        _assert_login_redirect(response)
    elif status == 302:
        # Through to the service: back to the case page, whatever the service decided.
        assert response["Location"] == reverse("cases:detail", args=[world["case"].tracking_code])
    else:
        _assert_unchanged(world, events_before)


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_action_refuses_get(
    action: str,
    who: str,
    world: dict[str, Any],
    request: pytest.FixtureRequest,
    client_for: Callable[..., Client],
) -> None:
    events_before = AuditEvent.objects.count()
    response = _client(request, who, client_for).get(_url(action, world))
    assert response.status_code == 405
    _assert_unchanged(world, events_before)


def test_unknown_case_is_404_for_everyone_with_a_role(admin_client: Client) -> None:
    assert admin_client.get(reverse("cases:detail", args=["JATE-0000-NOPE00"])).status_code == 404
    assert admin_client.post(reverse("cases:delegate", args=["JATE-0000-NOPE00"])).status_code == 404


def test_retry_of_a_reply_of_another_case_is_404(
    world: dict[str, Any], operator_a_client: Client, make_case: Callable[..., Case], agency_a: Any
) -> None:
    second = make_case("Jembatan retak #KemalaJateng", status=Status.DELEGATED, agency=agency_a)
    url = reverse("cases:retry-reply", args=[second.tracking_code, world["reply"].pk])
    assert operator_a_client.post(url).status_code == 404
    world["reply"].refresh_from_db()
    assert world["reply"].status == "failed"


def test_outsider_sees_the_no_role_page(outsider: AbstractBaseUser, client_for: Callable[..., Client]) -> None:
    response = client_for(outsider).get(reverse("cases:all"))
    assert response.status_code == 403
    assert "no role in this program" in body(response)


def test_htmx_action_after_the_session_expired_sends_the_whole_page_to_login(
    make_case: Callable[..., Case], agency_b: Any
) -> None:
    case = make_case()
    response = Client().post(
        reverse("cases:delegate", args=[case.tracking_code]),
        {"agency": agency_b.code},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/cases/inbox/?sector=infrastruktur",
    )
    assert response.status_code == 200
    assert response.content == b""  # nothing to swap into the row
    assert response["HX-Redirect"] == "/accounts/login/?next=/cases/inbox/%3Fsector%3Dinfrastruktur"
    case.refresh_from_db()
    assert case.status == Status.NEW
    off_site = Client().post(
        reverse("cases:delegate", args=[case.tracking_code]),
        {"agency": agency_b.code},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="https://evil.example/phish",
    )
    assert off_site["HX-Redirect"] == "/accounts/login/?next=/home/"
    plain = Client().post(reverse("cases:delegate", args=[case.tracking_code]), {"agency": agency_b.code})
    assert plain.status_code == 302
    assert plain["Location"] == f"/accounts/login/?next=/cases/{case.tracking_code}/delegate/"
