"""The real XConnector against the sandbox over HTTP: polling, paging, faults, replies."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from sandbox.server import SandboxServer
from sandbox.store import SANDBOX_APP_BEARER
from sources.connectors.base import ConnectorError, FetchResult, RateLimited
from sources.connectors.x import XConnector, parse_cursor

SEARCH = "/2/tweets/search/recent"
TAG = "#KemalaJateng"


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(port=0) as running:
        yield running


def connector_for(server: SandboxServer, **kwargs: object) -> XConnector:
    options: dict[str, object] = {
        "base_url": server.base_url,
        "bearer_token": SANDBOX_APP_BEARER,
        "query": f"{TAG} -is:retweet",
        "public_base_url": server.base_url,
        "timeout": 2.0,
        **kwargs,
    }
    return XConnector(**options)  # type: ignore[arg-type]


@pytest.fixture
def x(server: SandboxServer) -> Iterator[XConnector]:
    with connector_for(server) as connector:
        yield connector


def post(server: SandboxServer, text: str = f"Jalan rusak {TAG}", username: str = "warga", **kw: object) -> dict:
    return server.store.create_post(username=username, text=text, **kw)  # type: ignore[arg-type]


def ids(result: FetchResult) -> list[str]:
    return [p.external_id for p in result.posts]


def test_since_id_polling_across_polls(server: SandboxServer, x: XConnector) -> None:
    first = [post(server, f"Lapor {i} {TAG}") for i in range(3)]
    result = x.fetch(None)
    assert ids(result) == [p["id"] for p in first]  # oldest first
    assert result.cursor == first[-1]["id"]

    assert x.fetch(result.cursor).posts == []
    assert x.fetch(result.cursor).cursor is None  # nothing new keeps the stored cursor

    second = [post(server, f"Lagi {i} {TAG}") for i in range(2)]
    again = x.fetch(result.cursor)
    assert ids(again) == [p["id"] for p in second]
    assert again.cursor == second[-1]["id"]
    post(server, "tanpa tagar")
    assert x.fetch(again.cursor).cursor is None


def test_post_fields_are_mapped(server: SandboxServer, x: XConnector) -> None:
    server.store.ensure_account("warga", "Bu Sri", "Kab. Demak")
    place = {"id": "p1", "full_name": "Demak, Indonesia", "bbox": [110.5, -7.0, 110.7, -6.8]}
    root = post(server, f"Banjir di Sayung {TAG}", place=place)
    reply = post(server, f"Masih banjir {TAG}", in_reply_to_id=root["id"])
    quote = post(server, f"Setuju {TAG}", username="tetangga", quote_of_id=root["id"])
    long_text = "Keluhan panjang sekali " * 15 + TAG
    long = post(server, long_text)
    result = x.fetch(None)
    by_id = {p.external_id: p for p in result.posts}

    first = by_id[root["id"]]
    assert first.text == f"Banjir di Sayung {TAG}"
    assert first.author_handle == "warga" and first.author_name == "Bu Sri"
    assert first.author_location == "Kab. Demak"
    assert first.place_name == "Demak, Indonesia"
    assert first.lang == "in"
    assert first.conversation_id == root["id"]
    assert first.url == f"{server.base_url}/warga/status/{root['id']}"
    assert first.created_at.tzinfo is not None
    assert first.created_at == datetime.fromisoformat(root["created_at"].replace("Z", "+00:00")).astimezone(UTC)
    assert first.raw["data"]["id"] == root["id"]
    assert first.raw["includes"]["users"][0]["username"] == "warga"
    assert first.raw["includes"]["places"] == [{"id": "p1", "full_name": "Demak, Indonesia", "country_code": "ID"}]

    assert by_id[reply["id"]].in_reply_to_id == root["id"]
    assert by_id[reply["id"]].conversation_id == root["id"]
    assert by_id[reply["id"]].raw["includes"]["tweets"][0]["id"] == root["id"]
    assert by_id[quote["id"]].quote_of_id == root["id"]
    assert by_id[long["id"]].text == long_text  # note_tweet gives the whole post


def test_retweets_map_to_repost_of_id(server: SandboxServer) -> None:
    root = post(server)
    retweet = post(server, "", username="tetangga", retweet_of_id=root["id"])
    with connector_for(server, query=TAG) as x:
        result = x.fetch(None)
    repost = {p.external_id: p for p in result.posts}[retweet["id"]]
    assert repost.repost_of_id == root["id"]
    assert repost.text.startswith("RT @warga:")


def test_pagination_across_pages(server: SandboxServer) -> None:
    posts = [post(server, f"Lapor {i} {TAG}") for i in range(35)]
    with connector_for(server, page_size=10) as x:
        result = x.fetch(None)
    assert ids(result) == [p["id"] for p in posts]
    assert result.cursor == posts[-1]["id"]


def test_max_pages_leaves_a_backlog_cursor_and_no_gap(server: SandboxServer) -> None:
    old = post(server, f"lama {TAG}")
    with connector_for(server, page_size=10, max_pages=2) as x:
        cursor = x.fetch(None).cursor
        assert cursor == old["id"]
        backlog = [post(server, f"Lapor {i} {TAG}") for i in range(45)]
        collected: list[str] = []
        cursors = []
        for _ in range(5):
            result = x.fetch(cursor)
            collected += ids(result)
            cursor = result.cursor or cursor
            cursors.append(result.cursor)
            if not cursor.startswith("backlog:"):
                break
        assert sorted(collected, key=int) == [p["id"] for p in backlog]
        assert len(collected) == len(set(collected))
        assert cursor == backlog[-1]["id"]
        assert cursors[0] == f"backlog:{old['id']}:{backlog[25]['id']}:{backlog[-1]['id']}"
        fresh = post(server, f"baru {TAG}")
        assert ids(x.fetch(cursor)) == [fresh["id"]]


def test_parse_cursor() -> None:
    assert parse_cursor(None) == (None, None, None)
    assert parse_cursor("123") == (123, None, None)
    assert parse_cursor("backlog::5:9") == (None, 5, 9)
    with pytest.raises(ConnectorError) as error:
        parse_cursor("garbage")
    assert error.value.retryable is False


def test_empty_result(server: SandboxServer, x: XConnector) -> None:
    result = x.fetch(None)
    assert result.posts == [] and result.quarantined == [] and result.cursor is None
    assert result.rate_limit_remaining == 449
    assert result.rate_limit_reset is not None and result.rate_limit_reset > datetime.now(UTC)


def test_rate_limited(server: SandboxServer, x: XConnector) -> None:
    post(server)
    server.faults.rate_limit(SEARCH, reset_in=120)
    with pytest.raises(RateLimited) as error:
        x.fetch(None)
    assert error.value.status == 429 and error.value.retryable
    assert error.value.retry_after is not None and 110 <= error.value.retry_after <= 121
    assert len(x.fetch(None).posts) == 1


def test_real_rate_limit_counting(server: SandboxServer) -> None:
    server.xapi.limiter.limits.search = 2
    with connector_for(server) as x:
        x.fetch(None)
        x.fetch(None)
        with pytest.raises(RateLimited) as error:
            x.fetch(None)
    assert error.value.retry_after is not None and error.value.retry_after > 800


@pytest.mark.parametrize("status", [500, 503])
def test_server_error_is_retryable_and_gives_no_cursor(server: SandboxServer, x: XConnector, status: int) -> None:
    post(server)
    server.faults.server_error(SEARCH, status=status)
    with pytest.raises(ConnectorError) as error:
        x.fetch(None)
    assert error.value.retryable and error.value.status == status
    assert not isinstance(error.value, RateLimited)


def test_failure_on_a_later_page_gives_nothing(server: SandboxServer) -> None:
    for i in range(15):
        post(server, f"Lapor {i} {TAG}")
    # The first page is fine, the second fails: nothing from the first may be kept.
    server.faults.server_error(SEARCH, skip=1)
    with connector_for(server, page_size=10) as x:
        with pytest.raises(ConnectorError):
            x.fetch(None)
        server.faults.malformed(SEARCH, skip=1)
        with pytest.raises(ConnectorError):
            x.fetch(None)
        result = x.fetch(None)
    assert len(result.posts) == 15


def test_malformed_page(server: SandboxServer, x: XConnector) -> None:
    post(server)
    server.faults.malformed(SEARCH)
    with pytest.raises(ConnectorError) as error:
        x.fetch(None)
    assert error.value.retryable and "malformed" in str(error.value)


def test_wrong_shape_is_malformed(server: SandboxServer, x: XConnector) -> None:
    import httpx

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": {"id": "1"}, "meta": {"result_count": 1}})

    with (
        XConnector(bearer_token="t", query=TAG, client=httpx.Client(transport=httpx.MockTransport(handler))) as bad,
        pytest.raises(ConnectorError, match="data is not a list"),
    ):
        bad.fetch(None)


def test_timeout_is_retryable(server: SandboxServer) -> None:
    server.faults.delay(SEARCH, 0.2)
    with connector_for(server, timeout=0.05) as x, pytest.raises(ConnectorError) as error:
        x.fetch(None)
    assert error.value.retryable and "timed out" in str(error.value)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("text", None, "missing text"),
        ("id", None, "missing or invalid id"),
        ("author_id", None, "missing author_id"),
        ("created_at", "kemarin sore", "invalid created_at"),
        ("author_id", "999", "not in includes.users"),
    ],
)
def test_one_malformed_item_is_quarantined(
    server: SandboxServer, x: XConnector, field: str, value: str | None, reason: str
) -> None:
    posts = [post(server, f"Lapor {i} {TAG}") for i in range(3)]
    server.faults.missing_field(SEARCH, field=field, index=1, value=value)
    result = x.fetch(None)
    assert ids(result) == [posts[0]["id"], posts[2]["id"]]
    (bad,) = result.quarantined
    assert reason in bad.reason
    assert bad.external_id == (None if field == "id" else posts[1]["id"])
    assert result.cursor == posts[2]["id"]  # the page as a whole was read


def test_duplicate_across_pages_is_deduped(server: SandboxServer) -> None:
    posts = [post(server, f"Lapor {i} {TAG}") for i in range(15)]
    server.faults.duplicate(SEARCH)
    with connector_for(server, page_size=10) as x:
        result = x.fetch(None)
    assert ids(result) == [p["id"] for p in posts]


def test_empty_page_with_next_token(server: SandboxServer) -> None:
    posts = [post(server, f"Lapor {i} {TAG}") for i in range(12)]
    server.faults.empty_page(SEARCH)
    with connector_for(server, page_size=10) as x:
        result = x.fetch(None)
    assert ids(result) == [p["id"] for p in posts]


def test_bad_app_token_is_not_retryable(server: SandboxServer) -> None:
    x = connector_for(server, bearer_token="wrong-secret-token")
    with x, pytest.raises(ConnectorError) as error:
        x.fetch(None)
    assert error.value.status == 401 and error.value.retryable is False
    assert "wrong-secret-token" not in str(error.value)
    assert "wrong-secret-token" not in repr(x)


def test_partial_errors_are_not_fatal(server: SandboxServer, x: XConnector) -> None:
    root = post(server, "asal")
    quote = post(server, f"Setuju {TAG}", username="b", quote_of_id=root["id"])
    server.store.delete_post(root["id"])
    result = x.fetch(None)
    assert ids(result) == [quote["id"]] and result.posts[0].quote_of_id == root["id"]


# ---------------------------------------------------------------- replies


def credentials(server: SandboxServer, handle: str = "DinasPU") -> dict[str, str]:
    account = server.store.ensure_account(handle, "Dinas PU Jateng")
    return {"access_token": account["token"], "username": handle}


def test_publish_reply_lands_in_the_thread(server: SandboxServer, x: XConnector) -> None:
    root = post(server)
    result = x.publish_reply(
        in_reply_to_id=root["id"],
        text="Terima kasih, segera kami tangani.",
        credentials=credentials(server),
        idempotency_key="k1",
    )
    stored = server.store.get(result.external_id)
    assert stored is not None
    assert stored["conversation_id"] == root["id"]
    assert stored["referenced_tweets"] == [{"type": "replied_to", "id": root["id"]}]
    assert stored["author_id"] == server.store.account("DinasPU")["id"]  # type: ignore[index]
    assert result.url == f"{server.base_url}/DinasPU/status/{result.external_id}"


def test_publish_reply_accepts_bearer_token_key(server: SandboxServer, x: XConnector) -> None:
    root = post(server)
    creds = {"bearer_token": server.store.ensure_account("DinasPU")["token"]}
    result = x.publish_reply(in_reply_to_id=root["id"], text="Baik", credentials=creds, idempotency_key="k")
    assert result.url == f"{server.base_url}/i/web/status/{result.external_id}"


def test_publish_reply_bad_token(server: SandboxServer, x: XConnector) -> None:
    root = post(server)
    with pytest.raises(ConnectorError) as error:
        x.publish_reply(
            in_reply_to_id=root["id"],
            text="hi",
            credentials={"access_token": "stolen-token"},
            idempotency_key="k",
        )
    assert error.value.status == 401 and not error.value.retryable
    assert "stolen-token" not in str(error.value)
    with pytest.raises(ConnectorError) as missing:
        x.publish_reply(in_reply_to_id=root["id"], text="hi", credentials={}, idempotency_key="k")
    assert not missing.value.retryable


def test_publish_reply_too_long_is_not_retryable(server: SandboxServer, x: XConnector) -> None:
    root = post(server)
    with pytest.raises(ConnectorError) as error:
        x.publish_reply(
            in_reply_to_id=root["id"],
            text="panjang " * 40,
            credentials=credentials(server),
            idempotency_key="k",
        )
    assert error.value.status == 400 and not error.value.retryable
    assert "too long" in str(error.value)


def test_publish_reply_refusals_carry_the_platform_detail(server: SandboxServer, x: XConnector) -> None:
    with pytest.raises(ConnectorError) as error:
        x.publish_reply(
            in_reply_to_id="1234567890123456789",
            text="hi",
            credentials=credentials(server),
            idempotency_key="k",
        )
    assert error.value.status == 403 and not error.value.retryable
    assert "deleted or not visible" in str(error.value)
    server.xapi.summon_rule = True
    root = post(server)
    with pytest.raises(ConnectorError, match="not been mentioned"):
        x.publish_reply(in_reply_to_id=root["id"], text="hi", credentials=credentials(server), idempotency_key="k")


def test_publish_reply_rate_limit_and_server_error(server: SandboxServer, x: XConnector) -> None:
    root = post(server)
    server.faults.rate_limit("/2/tweets", reset_in=30)
    with pytest.raises(RateLimited) as limited:
        x.publish_reply(in_reply_to_id=root["id"], text="a", credentials=credentials(server), idempotency_key="k")
    assert limited.value.retry_after is not None and limited.value.retry_after <= 31
    server.faults.server_error("/2/tweets", status=503)
    with pytest.raises(ConnectorError) as failed:
        x.publish_reply(in_reply_to_id=root["id"], text="a", credentials=credentials(server), idempotency_key="k")
    assert failed.value.retryable and failed.value.status == 503
    assert server.store.thread(root["id"]) == [server.store.get(root["id"])]  # nothing was posted


def test_lost_response_then_find_reply(server: SandboxServer, x: XConnector) -> None:
    root = post(server)
    follow = post(server, "Kapan diperbaiki?", in_reply_to_id=root["id"])
    text = "Perbaikan dijadwalkan minggu depan."
    # The platform posts the reply but the answer never arrives.
    server.faults.delay("/2/tweets", 0.2, after=True)
    with connector_for(server, timeout=0.05) as impatient, pytest.raises(ConnectorError) as error:
        impatient.publish_reply(
            in_reply_to_id=follow["id"], text=text, credentials=credentials(server), idempotency_key="k"
        )
    assert error.value.retryable
    time.sleep(0.2)  # let the sandbox finish its delayed answer
    found = x.find_reply(follow["id"], "DinasPU", text[:20])
    assert found is not None
    stored = server.store.get(found.external_id)
    assert stored is not None and stored["text"] == text
    assert found.url == f"{server.base_url}/DinasPU/status/{found.external_id}"
    assert x.find_reply(root["id"], "DinasPU", text[:20]) is None  # a reply to the follow-up, not the root
    assert x.find_reply(follow["id"], "DinasPU", "Lain") is None
    assert x.find_reply(follow["id"], "OtherAgency", text[:20]) is None


def test_connector_validates_its_settings() -> None:
    with pytest.raises(ValueError):
        XConnector(bearer_token="t", query=TAG, page_size=5)
    with pytest.raises(ValueError):
        XConnector(bearer_token="t", query=TAG, max_pages=0)
