"""Who sees what over the API: every endpoint × every member of the cast, by token and by session."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from rest_framework.authtoken.models import Token

from insight import rollup
from programs.models import Agency, Program

if TYPE_CHECKING:
    from tests.api.conftest import World

ROLES = ["admin", "operator_a", "operator_b", "analyst", "outsider"]
CAST = [(role, auth) for role in ROLES for auth in ("token", "session")] + [("anonymous", None)]
ALL_CASES = {"a", "b", "new"}
ALL_POSTS = {"a", "b", "new", "unlinked"}
MEMBERS = ("admin", "operator_a", "operator_b", "analyst")

# endpoint → role → (status, what the response shows: set of names for lists, one name for details).
EXPECTED: dict[str, dict[str, tuple[int, Any]]] = {
    "cases-list": {
        "admin": (200, ALL_CASES),
        "analyst": (200, ALL_CASES),
        "operator_a": (200, {"a"}),
        "operator_b": (200, {"b"}),
        "outsider": (200, set()),
        "anonymous": (401, None),
    },
    "case-a": {
        "admin": (200, "a"),
        "analyst": (200, "a"),
        "operator_a": (200, "a"),
        "operator_b": (404, None),
        "outsider": (404, None),
        "anonymous": (401, None),
    },
    "case-b": {
        "admin": (200, "b"),
        "analyst": (200, "b"),
        "operator_a": (404, None),
        "operator_b": (200, "b"),
        "outsider": (404, None),
        "anonymous": (401, None),
    },
    "case-new": {
        "admin": (200, "new"),
        "analyst": (200, "new"),
        "operator_a": (404, None),
        "operator_b": (404, None),
        "outsider": (404, None),
        "anonymous": (401, None),
    },
    "posts-list": {
        "admin": (200, ALL_POSTS),
        "analyst": (200, ALL_POSTS),
        "operator_a": (200, {"a"}),
        "operator_b": (200, {"b"}),
        "outsider": (200, set()),
        "anonymous": (401, None),
    },
    "post-a": {
        "admin": (200, "a"),
        "analyst": (200, "a"),
        "operator_a": (200, "a"),
        "operator_b": (404, None),
        "outsider": (404, None),
        "anonymous": (401, None),
    },
    "post-unlinked": {
        "admin": (200, "unlinked"),
        "analyst": (200, "unlinked"),
        "operator_a": (404, None),
        "operator_b": (404, None),
        "outsider": (404, None),
        "anonymous": (401, None),
    },
    "agencies-list": {
        **{role: (200, "all agencies") for role in MEMBERS},
        "outsider": (200, set()),
        "anonymous": (401, None),
    },
    "agency-a": {
        **{role: (200, "dpu-bmck") for role in MEMBERS},
        "outsider": (404, None),
        "anonymous": (401, None),
    },
    "board": {role: (200, "board") for role in [*ROLES, "anonymous"]},
    "schema": {role: (200, "schema") for role in [*ROLES, "anonymous"]},
    "docs": {role: (200, "docs") for role in [*ROLES, "anonymous"]},
    "token": {**{role: (200, "own token") for role in ROLES}, "anonymous": (400, None)},
}


def _url(endpoint: str, world: World) -> str:
    return {
        "cases-list": "/api/cases/",
        "case-a": f"/api/cases/{world.case_a.tracking_code}/",
        "case-b": f"/api/cases/{world.case_b.tracking_code}/",
        "case-new": f"/api/cases/{world.case_new.tracking_code}/",
        "posts-list": "/api/posts/",
        "post-a": f"/api/posts/{world.post(world.case_a).pk}/",
        "post-unlinked": f"/api/posts/{world.unlinked.pk}/",
        "agencies-list": "/api/agencies/?limit=500",
        "agency-a": "/api/agencies/dpu-bmck/",
        "board": "/api/board?period=all",
        "schema": "/api/schema/?format=json",
        "docs": "/api/docs/",
        "token": "/api/token/",
    }[endpoint]


def _client(role: str, auth: str | None, users: dict[str, AbstractBaseUser]) -> Client:
    if auth == "token":
        token, _ = Token.objects.get_or_create(user=users[role])
        return Client(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="en")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if auth == "session":
        client.force_login(users[role])
    return client


def _shown(endpoint: str, body: Any, world: World, program: Program, role: str) -> Any:
    """Translate a successful response into what EXPECTED describes."""
    names = {
        world.case_a.tracking_code: "a",
        world.case_b.tracking_code: "b",
        world.case_new.tracking_code: "new",
    }
    post_names = {
        world.post(world.case_a).pk: "a",
        world.post(world.case_b).pk: "b",
        world.post(world.case_new).pk: "new",
        world.unlinked.pk: "unlinked",
    }
    if endpoint == "cases-list":
        assert body["count"] == len(body["results"])
        return {names[item["tracking_code"]] for item in body["results"]}
    if endpoint.startswith("case-"):
        return names[body["tracking_code"]]
    if endpoint == "posts-list":
        assert body["count"] == len(body["results"])
        return {post_names[item["id"]] for item in body["results"]}
    if endpoint.startswith("post-"):
        return post_names[body["id"]]
    if endpoint == "agencies-list":
        codes = {item["code"] for item in body["results"]}
        expected = set(Agency.objects.filter(program=program).values_list("code", flat=True))
        return "all agencies" if codes == expected and len(expected) == 95 else codes
    if endpoint == "agency-a":
        return body["code"]
    if endpoint == "board":
        # The same public figures for everyone, whoever is logged in.
        return "board" if (body["program"], body["total_cases"], body["answered_cases"]) == ("jateng", 3, 0) else body
    if endpoint == "schema":
        return "schema" if body["openapi"].startswith("3.") and "/api/cases/" in body["paths"] else body
    if endpoint == "token":
        return "own token" if body["token"] == Token.objects.get(user__username=role).key else body
    raise AssertionError(endpoint)


@pytest.mark.parametrize("endpoint", list(EXPECTED))
@pytest.mark.parametrize(("role", "auth"), CAST)
def test_permission_matrix(
    endpoint: str,
    role: str,
    auth: str | None,
    world: World,
    program: Program,
    admin_user: AbstractBaseUser,
    operator_a: AbstractBaseUser,
    operator_b: AbstractBaseUser,
    analyst: AbstractBaseUser,
    outsider: AbstractBaseUser,
) -> None:
    users = {
        "admin": admin_user,
        "operator_a": operator_a,
        "operator_b": operator_b,
        "analyst": analyst,
        "outsider": outsider,
    }
    client = _client(role, auth, users)
    url = _url(endpoint, world)
    if endpoint == "token":
        credentials = {"username": role, "password": f"pw-{role}"} if role in users else {}
        response = client.post(url, credentials, content_type="application/json")
    else:
        if endpoint == "board":
            rollup.rebuild(program)  # the worker keeps the board's figures current
        response = client.get(url)
    status, shown = EXPECTED[endpoint][role]
    assert response.status_code == status, response.content[:300]
    if status == 401:
        assert response.json() == {"detail": "Authentication credentials were not provided."}
        assert response["WWW-Authenticate"] == "Token"
    elif status == 404:
        assert set(response.json()) == {"detail"}  # nothing about the object leaks
    elif endpoint == "docs":
        assert b"/api/cases/{tracking_code}/" in response.content
    elif status == 200:
        assert _shown(endpoint, response.json(), world, program, role) == shown
    else:
        assert response.json() == {"error": "Give a username and a password."}


def test_a_bad_token_is_refused_not_ignored(world: World) -> None:
    response = Client(HTTP_AUTHORIZATION="Token 0000", HTTP_ACCEPT_LANGUAGE="en").get("/api/cases/")
    assert (response.status_code, response.json()) == (401, {"detail": "Invalid token."})


def test_inactive_users_lose_access(world: World, operator_a: AbstractBaseUser) -> None:
    token, _ = Token.objects.get_or_create(user=operator_a)
    operator_a.is_active = False
    operator_a.save()
    response = Client(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="en").get("/api/cases/")
    assert (response.status_code, response.json()) == (401, {"detail": "User inactive or deleted."})
