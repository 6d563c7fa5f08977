"""The sandbox's X API v2 over real HTTP: shapes, validation, auth, rate limits and fault knobs."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandbox.server import SandboxServer
from sandbox.store import SANDBOX_APP_BEARER
from sandbox.xapi import RateLimits

APP = {"Authorization": f"Bearer {SANDBOX_APP_BEARER}"}
SEARCH = "/2/tweets/search/recent"


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(port=0) as running:
        yield running


@pytest.fixture
def http(server: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=5) as client:
        yield client


def user(server: SandboxServer, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.store.ensure_account(username)['token']}"}


def search(http: httpx.Client, query: str, **params: Any) -> httpx.Response:
    return http.get(SEARCH, params={"query": query, **params}, headers=APP)


def test_search_response_shape_matches_platforms_md(server: SandboxServer, http: httpx.Client) -> None:
    store = server.store
    store.ensure_account("warga", "Warga", "Semarang")
    posted = store.create_post(
        username="warga",
        text="Jalan rusak #KemalaJateng",
        place={"id": "abc123", "full_name": "Semarang, Indonesia", "bbox": [110.3, -7.1, 110.5, -6.9]},
    )
    response = search(
        http,
        "#KemalaJateng",
        **{
            "tweet.fields": "id,text,author_id,created_at,conversation_id,lang,geo,entities,edit_history_tweet_ids",
            "expansions": "author_id,geo.place_id",
            "user.fields": "username,name,location",
            "place.fields": "full_name,country_code,geo",
        },
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"data", "includes", "meta"}
    (tweet,) = body["data"]
    assert tweet == {
        "id": posted["id"],
        "text": "Jalan rusak #KemalaJateng",
        "author_id": posted["author_id"],
        "created_at": posted["created_at"],
        "conversation_id": posted["id"],
        "lang": "in",
        "edit_history_tweet_ids": [posted["id"]],
        "geo": {"place_id": "abc123"},
        "entities": {"hashtags": [{"start": 12, "end": 25, "tag": "KemalaJateng"}]},
    }
    assert all(isinstance(tweet[k], str) for k in ("id", "author_id", "conversation_id"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", tweet["created_at"])
    assert body["includes"]["users"] == [
        {"id": posted["author_id"], "name": "Warga", "username": "warga", "location": "Semarang"}
    ]
    assert body["includes"]["places"] == [
        {
            "id": "abc123",
            "full_name": "Semarang, Indonesia",
            "country_code": "ID",
            "geo": {"type": "Feature", "bbox": [110.3, -7.1, 110.5, -6.9], "properties": {}},
        }
    ]
    assert body["meta"] == {"newest_id": posted["id"], "oldest_id": posted["id"], "result_count": 1}


def test_default_fields_are_id_text_and_edit_history(server: SandboxServer, http: httpx.Client) -> None:
    server.store.create_post(username="warga", text="#KemalaJateng")
    (tweet,) = search(http, "#KemalaJateng").json()["data"]
    assert set(tweet) == {"id", "text", "edit_history_tweet_ids"}


def test_empty_result_omits_data(http: httpx.Client) -> None:
    response = search(http, "#KemalaJateng")
    assert response.status_code == 200
    assert response.json() == {"meta": {"result_count": 0}}


def test_hashtag_match_is_exact_and_case_insensitive(server: SandboxServer, http: httpx.Client) -> None:
    store = server.store
    hit = store.create_post(username="a", text="lapor #kemalajateng")
    store.create_post(username="b", text="lapor #KemalaJatengBaru")
    store.create_post(username="c", text="lapor KemalaJateng tanpa tanda")
    ids = [t["id"] for t in search(http, "#KEMALAJATENG").json()["data"]]
    assert ids == [hit["id"]]


def test_query_operators(server: SandboxServer, http: httpx.Client) -> None:
    store = server.store
    root = store.create_post(username="warga", text="Jalan rusak #KemalaJateng")
    retweet = store.create_post(username="other", text="", retweet_of_id=root["id"])
    reply = store.create_post(username="DinasPU", text="Kami cek #KemalaJateng", in_reply_to_id=root["id"])
    banjir = store.create_post(username="warga", text="Banjir di Demak #KemalaJateng")

    def ids(query: str) -> list[str]:
        return [t["id"] for t in search(http, query).json().get("data", [])]

    assert ids("#KemalaJateng") == [banjir["id"], reply["id"], retweet["id"], root["id"]]
    assert ids("#KemalaJateng -is:retweet") == [banjir["id"], reply["id"], root["id"]]
    assert ids("#KemalaJateng is:reply") == [reply["id"]]
    assert ids(f"conversation_id:{root['id']} from:dinaspu") == [reply["id"]]
    assert ids(f"in_reply_to_tweet_id:{root['id']}") == [reply["id"]]
    assert ids("#KemalaJateng banjir") == [banjir["id"]]
    assert ids("#KemalaJateng -banjir -is:retweet -from:DinasPU") == [root["id"]]
    assert ids('"jalan rusak" OR (banjir demak)') == [banjir["id"], retweet["id"], root["id"]]
    assert ids("#KemalaJateng -(banjir OR is:retweet)") == [reply["id"], root["id"]]


def test_since_id_and_until_id_are_exclusive(server: SandboxServer, http: httpx.Client) -> None:
    posts = [server.store.create_post(username="w", text=f"#KemalaJateng {i}") for i in range(5)]
    data = search(http, "#KemalaJateng", since_id=posts[1]["id"], until_id=posts[4]["id"]).json()["data"]
    assert [t["id"] for t in data] == [posts[3]["id"], posts[2]["id"]]


def test_pagination_is_newest_first_with_opaque_token(server: SandboxServer, http: httpx.Client) -> None:
    posts = [server.store.create_post(username="w", text=f"#KemalaJateng {i}") for i in range(25)]
    seen: list[str] = []
    token = None
    pages = 0
    while True:
        params = {"max_results": 10, **({"next_token": token} if token else {})}
        body = search(http, "#KemalaJateng", **params).json()
        seen += [t["id"] for t in body["data"]]
        assert body["meta"]["result_count"] == len(body["data"])
        pages += 1
        token = body["meta"].get("next_token")
        if token is None:
            break
        assert re.fullmatch(r"[a-z0-9]+", token)
    assert pages == 3
    assert seen == [p["id"] for p in reversed(posts)]
    # `pagination_token` is the same thing under its other name.
    first = search(http, "#KemalaJateng", max_results=10).json()["meta"]["next_token"]
    second = search(http, "#KemalaJateng", max_results=10, pagination_token=first).json()
    assert second["data"][0]["id"] == posts[14]["id"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"max_results": "5"}, "max_results"),
        ({"max_results": "101"}, "max_results"),
        ({"max_results": "ten"}, "max_results"),
        ({"since_id": "abc"}, "since_id"),
        ({"until_id": "12345678901234567890"}, "until_id"),
        ({"next_token": "not-a-token"}, "next_token"),
        ({"start_time": "yesterday"}, "start_time"),
        ({"bogus": "1"}, "bogus"),
    ],
)
def test_invalid_parameters_are_400_problems(http: httpx.Client, params: dict[str, str], parameter: str) -> None:
    response = search(http, "#KemalaJateng", **params)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == "Invalid Request"
    assert body["type"] == "https://api.twitter.com/2/problems/invalid-request"
    assert parameter in body["errors"][0]["parameters"]
    assert "x-rate-limit-remaining" in response.headers


def test_post_fields_spelling_and_unknown_fields(server: SandboxServer, http: httpx.Client) -> None:
    server.store.create_post(username="w", text="#KemalaJateng")
    (tweet,) = search(http, "#KemalaJateng", **{"post.fields": "author_id,made_up_field"}).json()["data"]
    assert set(tweet) == {"id", "text", "edit_history_tweet_ids", "author_id"}


def test_referenced_tweets_expansion_and_partial_errors(server: SandboxServer, http: httpx.Client) -> None:
    store = server.store
    root = store.create_post(username="warga", text="Jalan rusak")
    quote = store.create_post(username="other", text="Setuju #KemalaJateng", quote_of_id=root["id"])
    params = {"expansions": "referenced_tweets.id", "tweet.fields": "referenced_tweets"}
    body = search(http, "#KemalaJateng", **params).json()
    assert body["includes"]["tweets"][0]["id"] == root["id"]
    store.delete_post(root["id"])
    body = search(http, "#KemalaJateng", **params).json()
    assert body["data"][0]["id"] == quote["id"]
    assert "includes" not in body
    assert body["errors"][0]["type"] == "https://api.twitter.com/2/problems/resource-not-found"
    assert body["errors"][0]["resource_id"] == root["id"]


def test_auth_is_required_and_limits_are_in_every_response(server: SandboxServer, http: httpx.Client) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        response = http.get(SEARCH, params={"query": "#x"}, headers=headers)
        assert response.status_code == 401
        assert response.json() == {
            "title": "Unauthorized",
            "type": "about:blank",
            "status": 401,
            "detail": "Unauthorized",
        }
        assert {"x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"} <= set(response.headers)
    ok = search(http, "#x")
    assert ok.headers["x-rate-limit-limit"] == "450"
    assert ok.headers["x-rate-limit-remaining"] == "449"
    assert abs(int(ok.headers["x-rate-limit-reset"]) - (time.time() + 900)) < 5


def test_rate_limit_counts_per_window() -> None:
    with (
        SandboxServer(rate_limits=RateLimits(search=2, post=1)) as server,
        httpx.Client(base_url=server.base_url) as http,
    ):
        assert [search(http, "#x").status_code for _ in range(3)] == [200, 200, 429]
        limited = search(http, "#x")
        assert limited.json() == {
            "title": "Too Many Requests",
            "type": "about:blank",
            "status": 429,
            "detail": "Too Many Requests",
        }
        assert limited.headers["x-rate-limit-remaining"] == "0"
        # POST is counted per user, not per app.
        for name in ("a", "b"):
            response = http.post("/2/tweets", json={"text": f"hi {name}"}, headers=user(server, name))
            assert response.status_code == 201
        assert http.post("/2/tweets", json={"text": "again"}, headers=user(server, "a")).status_code == 429


def test_post_reply_from_user_account(server: SandboxServer, http: httpx.Client) -> None:
    root = server.store.create_post(username="warga", text="Jalan rusak #KemalaJateng")
    response = http.post(
        "/2/tweets",
        json={"text": "Terima kasih, kami tindak lanjuti.", "reply": {"in_reply_to_tweet_id": root["id"]}},
        headers=user(server, "DinasPU"),
    )
    assert response.status_code == 201
    data = response.json()["data"]
    assert set(data) == {"id", "text", "edit_history_tweet_ids"}
    stored = server.store.get(data["id"])
    assert stored is not None
    assert stored["conversation_id"] == root["id"]
    assert stored["author_id"] == server.store.account("DinasPU")["id"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        ({"text": "x" * 281}, 400, "too long"),
        ({"text": "🚧" * 141}, 400, "too long"),
        ({"text": "ok", "reply": {"in_reply_to_tweet_id": "1", "extra": True}}, 400, "additional properties"),
        ({"text": "ok", "reply": {"in_reply_to_tweet_id": "abc"}}, 400, "does not match pattern"),
        ({"text": "ok", "unknown": 1}, 400, "additional properties"),
        ({"text": ""}, 400, "empty"),
        (
            {"text": "ok", "reply": {"in_reply_to_tweet_id": "1234567890123456789"}},
            403,
            "deleted or not visible",
        ),
    ],
)
def test_post_validation(
    server: SandboxServer, http: httpx.Client, body: dict[str, Any], status: int, needle: str
) -> None:
    response = http.post("/2/tweets", json=body, headers=user(server, "DinasPU"))
    assert response.status_code == status
    assert needle in response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_post_needs_user_context(http: httpx.Client) -> None:
    assert http.post("/2/tweets", json={"text": "hi"}).status_code == 401
    response = http.post("/2/tweets", json={"text": "hi"}, headers=APP)
    assert response.status_code == 403
    assert response.json()["title"] == "Unsupported Authentication"


def test_oauth1_header_is_accepted_by_token(server: SandboxServer, http: httpx.Client) -> None:
    token = server.store.ensure_account("DinasPU")["token"]
    header = f'OAuth oauth_consumer_key="ck", oauth_token="{token}", oauth_signature="sig"'
    assert http.post("/2/tweets", json={"text": "hi"}, headers={"Authorization": header}).status_code == 201
    bad = 'OAuth oauth_consumer_key="ck", oauth_token="nope", oauth_signature="sig"'
    assert http.post("/2/tweets", json={"text": "hi"}, headers={"Authorization": bad}).status_code == 401


def test_duplicate_text_is_refused(server: SandboxServer, http: httpx.Client) -> None:
    headers = user(server, "DinasPU")
    assert http.post("/2/tweets", json={"text": "Sudah kami terima"}, headers=headers).status_code == 201
    again = http.post("/2/tweets", json={"text": "Sudah kami terima"}, headers=headers)
    assert again.status_code == 403
    assert "duplicate content" in again.json()["detail"]


def test_summon_rule_for_self_serve_tiers() -> None:
    with SandboxServer(summon_rule=True) as server, httpx.Client(base_url=server.base_url) as http:
        store = server.store
        headers = user(server, "DinasPU")
        plain = store.create_post(username="warga", text="Jalan rusak #KemalaJateng")
        summoned = store.create_post(username="warga", text="@DinasPU jalan rusak #KemalaJateng")
        refused = http.post(
            "/2/tweets",
            json={"text": "Kami cek", "reply": {"in_reply_to_tweet_id": plain["id"]}},
            headers=headers,
        )
        assert refused.status_code == 403
        assert "not been mentioned" in refused.json()["detail"]
        accepted = http.post(
            "/2/tweets",
            json={"text": "Kami cek", "reply": {"in_reply_to_tweet_id": summoned["id"]}},
            headers=headers,
        )
        assert accepted.status_code == 201


def test_lookup_delete_and_me(server: SandboxServer, http: httpx.Client) -> None:
    headers = user(server, "DinasPU")
    created = http.post("/2/tweets", json={"text": "hapus saya"}, headers=headers).json()["data"]
    got = http.get(f"/2/tweets/{created['id']}", params={"tweet.fields": "conversation_id"}, headers=APP).json()
    assert got["data"]["conversation_id"] == created["id"]
    me = http.get("/2/users/me", headers=headers).json()["data"]
    assert me["username"] == "DinasPU" and set(me) == {"id", "name", "username"}
    assert http.get("/2/users/me", headers=APP).status_code == 403
    assert http.delete(f"/2/tweets/{created['id']}", headers=user(server, "other")).status_code == 403
    assert http.delete(f"/2/tweets/{created['id']}", headers=headers).json() == {"data": {"deleted": True}}
    missing = http.get(f"/2/tweets/{created['id']}", headers=APP)
    assert missing.status_code == 200
    assert "data" not in missing.json()
    assert missing.json()["errors"][0]["title"] == "Not Found Error"


def test_fault_knobs_over_http(server: SandboxServer, http: httpx.Client) -> None:
    server.store.create_post(username="w", text="#KemalaJateng")
    added = http.post(
        "/_sandbox/faults",
        json=[
            {"kind": "rate_limit", "path": SEARCH, "reset_in": 30},
            {"kind": "server_error", "path": SEARCH, "status": 503},
            {"kind": "malformed", "path": SEARCH},
        ],
    )
    assert added.status_code == 201
    assert len(http.get("/_sandbox/faults").json()["faults"]) == 3
    limited = search(http, "#KemalaJateng")
    assert limited.status_code == 429
    assert 25 <= int(limited.headers["x-rate-limit-reset"]) - time.time() <= 31
    assert search(http, "#KemalaJateng").status_code == 503
    broken = search(http, "#KemalaJateng")
    assert broken.status_code == 200
    with pytest.raises(ValueError):
        broken.json()
    assert search(http, "#KemalaJateng").json()["meta"]["result_count"] == 1
    assert http.post("/_sandbox/faults", json={"kind": "nope", "path": "/"}).status_code == 400
    server.faults.server_error(SEARCH, times=5)
    assert http.delete("/_sandbox/faults").json() == {"faults": []}
    assert search(http, "#KemalaJateng").status_code == 200


def test_page_faults(server: SandboxServer, http: httpx.Client) -> None:
    posts = [server.store.create_post(username="w", text=f"#KemalaJateng {i}") for i in range(12)]
    server.faults.missing_field(SEARCH, field="text", index=1)
    body = search(http, "#KemalaJateng").json()
    assert "text" in body["data"][0] and "text" not in body["data"][1]

    server.faults.duplicate(SEARCH)
    first = search(http, "#KemalaJateng").json()
    second = search(http, "#KemalaJateng", next_token=first["meta"]["next_token"]).json()
    assert first["data"][-1]["id"] == second["data"][0]["id"] == posts[1]["id"]
    assert first["meta"]["result_count"] == 11

    server.faults.empty_page(SEARCH)
    empty = search(http, "#KemalaJateng").json()
    assert empty["meta"]["result_count"] == 0 and "data" not in empty
    refill = search(http, "#KemalaJateng", next_token=empty["meta"]["next_token"]).json()
    assert refill["data"][0]["id"] == posts[-1]["id"]


def test_delay_fault_makes_clients_time_out(server: SandboxServer, http: httpx.Client) -> None:
    server.faults.delay(SEARCH, 0.2)
    with pytest.raises(httpx.TimeoutException):
        http.get(SEARCH, params={"query": "#x"}, headers=APP, timeout=0.05)
    assert search(http, "#x").status_code == 200


def test_recent_search_sees_seven_days() -> None:
    from datetime import UTC, datetime, timedelta

    from sandbox.store import SandboxStore

    now = [datetime.now(UTC) - timedelta(days=8)]
    store = SandboxStore(clock=lambda: now[0])
    store.create_post(username="w", text="lama #KemalaJateng")
    now[0] = datetime.now(UTC)
    fresh = store.create_post(username="w", text="baru #KemalaJateng")
    with SandboxServer(store=store) as server, httpx.Client(base_url=server.base_url) as http:
        assert [t["id"] for t in search(http, "#KemalaJateng").json()["data"]] == [fresh["id"]]
