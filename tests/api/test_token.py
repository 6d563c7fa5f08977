"""POST /api/token/: a token for a username and password, and the throttle against guessing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from rest_framework.authtoken.models import Token


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def test_token_is_created_once_and_then_returned(client: Client, operator_a: AbstractBaseUser) -> None:
    first = client.post("/api/token/", {"username": "operator_a", "password": "pw-operator_a"})
    second = client.post(
        "/api/token/", {"username": "operator_a", "password": "pw-operator_a"}, content_type="application/json"
    )
    token = Token.objects.get(user=operator_a)
    assert first.json() == second.json() == {"token": token.key}
    used = client.get("/api/cases/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert (used.status_code, used.json()["count"]) == (200, 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "operator_a", "password": "wrong"}, "Wrong username or password."),
        ({"username": "nobody", "password": "pw-operator_a"}, "Wrong username or password."),
        ({"username": "operator_a"}, "Give a username and a password."),
    ],
)
def test_wrong_credentials_get_no_token(
    client: Client, operator_a: AbstractBaseUser, data: dict[str, str], message: str
) -> None:
    response = client.post("/api/token/", data)
    assert (response.status_code, response.json()) == (400, {"error": message})
    assert not Token.objects.exists()


def test_inactive_user_gets_no_token(client: Client, operator_a: AbstractBaseUser) -> None:
    operator_a.is_active = False
    operator_a.save()
    response = client.post("/api/token/", {"username": "operator_a", "password": "pw-operator_a"})
    assert (response.status_code, response.json()) == (400, {"error": "Wrong username or password."})
    assert not Token.objects.exists()


def test_get_is_not_allowed(client: Client) -> None:
    assert client.get("/api/token/").status_code == 405


def test_guessing_is_throttled(client: Client, operator_a: AbstractBaseUser) -> None:
    for _ in range(10):
        assert client.post("/api/token/", {"username": "operator_a", "password": "guess"}).status_code == 400
    blocked = client.post("/api/token/", {"username": "operator_a", "password": "pw-operator_a"})
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert not Token.objects.exists()  # even the right password waits
