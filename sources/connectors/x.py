"""X API v2 connector: recent search for capture, POST /2/tweets for replies (PLATFORMS.md §1).

A thin httpx client rather than tweepy, because tweepy cannot be given a base URL (§0.4) and
Kemala must talk to the loopback fake as well as to api.x.com.

Cursor: normally the largest post id captured (the next poll's `since_id`). Search pages go
newest first, so when a poll stops at `max_pages` with older results still unread, the cursor
instead records the unread range as `backlog:<since_id>:<until_id>:<newest>`; the next poll
reads that range before moving on to new posts, so a long outage never leaves a gap.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import ssl
import time
import unicodedata
from datetime import UTC, datetime
from typing import Any

import certifi
import httpx

from sources.connectors.base import (
    ConnectorError,
    FetchedPost,
    FetchResult,
    PublishResult,
    QuarantinedItem,
    RateLimited,
)

logger = logging.getLogger(__name__)

SEARCH_PATH = "/2/tweets/search/recent"
TWEETS_PATH = "/2/tweets"
TWEET_FIELDS = (
    "id,text,author_id,created_at,conversation_id,in_reply_to_user_id,lang,geo,entities,"
    "referenced_tweets,public_metrics,edit_history_tweet_ids,note_tweet"
)
EXPANSIONS = "author_id,referenced_tweets.id,geo.place_id"
USER_FIELDS = "username,name,location"
PLACE_FIELDS = "full_name,country_code"
_ID_RE = re.compile(r"^[0-9]{1,19}$")
_BACKLOG_RE = re.compile(r"^backlog:([0-9]{0,19}):([0-9]{1,19}):([0-9]{1,19})$")
_REF_FIELDS = {"retweeted": "repost_of_id", "replied_to": "in_reply_to_id", "quoted": "quote_of_id"}


class MalformedPage(ValueError):
    """The page as a whole cannot be trusted; nothing from it may be stored."""


class XConnector:
    """Connector for X API v2 (or the sandbox, given its `base_url` and `public_base_url`)."""

    platform = "x"
    max_reply_length = 280  # weighted characters (PLATFORMS.md §1.4)

    def __init__(
        self,
        *,
        base_url: str = "https://api.x.com",
        bearer_token: str,
        query: str,
        max_pages: int = 20,
        page_size: int = 100,
        timeout: float = 10.0,
        client: httpx.Client | None = None,
        public_base_url: str = "https://x.com",
    ) -> None:
        if not 10 <= page_size <= 100:
            raise ValueError("X search takes max_results between 10 and 100")
        if max_pages < 1:
            raise ValueError("max_pages must be at least 1")
        self.base_url = base_url.rstrip("/")
        self.public_base_url = public_base_url.rstrip("/")
        self.query = query
        self.max_pages = max_pages
        self.page_size = page_size
        self._bearer_token = bearer_token
        self._owns_client = client is None
        self._client = client or httpx.Client(
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": "Kemala-XConnector/1"},
            verify=_tls_context(),
        )

    def __repr__(self) -> str:
        # Deliberately without the token: connectors end up in logs and tracebacks.
        return f"XConnector(base_url={self.base_url!r}, query={self.query!r})"

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> XConnector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ capture

    def fetch(self, cursor: str | None) -> FetchResult:
        since_id, until_id, backlog_newest = parse_cursor(cursor)
        params: dict[str, str] = {
            "query": self.query,
            "max_results": str(self.page_size),
            "tweet.fields": TWEET_FIELDS,
            "expansions": EXPANSIONS,
            "user.fields": USER_FIELDS,
            "place.fields": PLACE_FIELDS,
        }
        if since_id is not None:
            params["since_id"] = str(since_id)
        if until_id is not None:
            params["until_id"] = str(until_id)

        posts: dict[str, FetchedPost] = {}
        quarantined: list[QuarantinedItem] = []
        newest: int | None = None
        oldest: int | None = None
        response: httpx.Response | None = None
        next_token: str | None = None
        pages = 0
        while True:
            if next_token:
                params["next_token"] = next_token
            response = self._request("GET", SEARCH_PATH, self._bearer_token, "search", params=params)
            pages += 1
            try:
                page_posts, page_quarantined, page_ids, next_token = self._read_page(response)
            except MalformedPage as exc:
                raise ConnectorError(f"X search: malformed page: {exc}", status=response.status_code) from None
            for post in page_posts:
                posts.setdefault(post.external_id, post)  # a post repeated on two pages is one post
            quarantined.extend(page_quarantined)
            if page_ids:
                newest = max(newest or 0, max(page_ids))
                oldest = min(oldest or max(page_ids), min(page_ids))
            if not next_token or pages >= self.max_pages:
                break

        quarantined = _unique_quarantine(quarantined, posts)
        new_cursor = self._next_cursor(since_id, newest, oldest, backlog_newest, truncated=bool(next_token))
        ordered = sorted(posts.values(), key=lambda p: int(p.external_id))
        logger.info(
            "x fetch: %d posts, %d quarantined, %d pages, cursor %s -> %s",
            len(ordered),
            len(quarantined),
            pages,
            cursor,
            new_cursor,
        )
        remaining, reset = _rate_limit_headers(response)
        return FetchResult(
            posts=ordered,
            cursor=new_cursor,
            quarantined=quarantined,
            rate_limit_remaining=remaining,
            rate_limit_reset=reset,
        )

    def _next_cursor(
        self,
        since_id: int | None,
        newest: int | None,
        oldest: int | None,
        backlog_newest: int | None,
        *,
        truncated: bool,
    ) -> str | None:
        high = max((x for x in (newest, backlog_newest) if x is not None), default=None)
        if truncated:
            if oldest is None:
                return None  # only empty pages so far: try the same range again next time
            return f"backlog:{since_id if since_id is not None else ''}:{oldest}:{high}"
        if high is None or (since_id is not None and high <= since_id):
            return None
        return str(high)

    def _read_page(
        self, response: httpx.Response
    ) -> tuple[list[FetchedPost], list[QuarantinedItem], list[int], str | None]:
        """Validate one search page; return its posts, quarantined items, ids seen and next token."""
        try:
            body = response.json()
        except ValueError as exc:
            raise MalformedPage(f"body is not JSON ({exc})") from None
        if not isinstance(body, dict):
            raise MalformedPage("body is not a JSON object")
        meta = body.get("meta")
        if not isinstance(meta, dict):
            raise MalformedPage("no meta object")
        data = body.get("data", [])
        if not isinstance(data, list):
            raise MalformedPage("data is not a list")
        includes = body.get("includes", {})
        if not isinstance(includes, dict) or not all(
            isinstance(includes.get(k, []), list) for k in ("users", "tweets", "places")
        ):
            raise MalformedPage("includes is not an object of lists")
        next_token = meta.get("next_token")
        if next_token is not None and (not isinstance(next_token, str) or not next_token):
            raise MalformedPage("meta.next_token is not a string")
        ids: list[int] = []
        for key in ("newest_id", "oldest_id"):
            value = meta.get(key)
            if value is None:
                continue
            if not isinstance(value, str) or not _ID_RE.match(value):
                raise MalformedPage(f"meta.{key} is not an id")
            ids.append(int(value))
        # A partial `errors[]` beside `data` (e.g. a deleted referenced post) is normal on X.
        if isinstance(body.get("errors"), list) and body["errors"]:
            logger.info("x search: %d partial errors on a 200 page", len(body["errors"]))

        index = _Includes(includes)
        posts: list[FetchedPost] = []
        quarantined: list[QuarantinedItem] = []
        for item in data:
            post, problem = self._to_post(item, index)
            if post is not None:
                posts.append(post)
                ids.append(int(post.external_id))
            else:
                item_id = item.get("id") if isinstance(item, dict) else None
                quarantined.append(
                    QuarantinedItem(
                        raw=item,
                        reason=problem or "unreadable",
                        external_id=item_id if isinstance(item_id, str) else None,
                    )
                )
        return posts, quarantined, ids, next_token

    def _to_post(self, item: Any, index: _Includes) -> tuple[FetchedPost | None, str | None]:
        if not isinstance(item, dict):
            return None, "item is not an object"
        tweet_id = item.get("id")
        if not isinstance(tweet_id, str) or not _ID_RE.match(tweet_id):
            return None, "missing or invalid id"
        note = item.get("note_tweet")
        text = note.get("text") if isinstance(note, dict) and isinstance(note.get("text"), str) else None
        if text is None:
            text = item.get("text")
        if not isinstance(text, str):
            return None, "missing text"
        author_id = item.get("author_id")
        if not isinstance(author_id, str) or not author_id:
            return None, "missing author_id"
        author = index.users.get(author_id)
        if author is None or not isinstance(author.get("username"), str):
            return None, f"author {author_id} not in includes.users"
        created_at = _parse_time(item.get("created_at"))
        if created_at is None:
            return None, "missing or invalid created_at"

        refs: dict[str, str] = {}
        referenced_raw = item.get("referenced_tweets", [])
        if not isinstance(referenced_raw, list):
            return None, "referenced_tweets is not a list"
        referenced_tweets = []
        for ref in referenced_raw:
            if isinstance(ref, dict) and ref.get("type") in _REF_FIELDS and isinstance(ref.get("id"), str):
                refs.setdefault(_REF_FIELDS[ref["type"]], ref["id"])
                if ref["id"] in index.tweets:
                    referenced_tweets.append(index.tweets[ref["id"]])

        geo = item.get("geo")
        place = index.places.get(str(geo.get("place_id"))) if isinstance(geo, dict) else None
        evidence_users = [author]
        for referenced in referenced_tweets:
            other = index.users.get(str(referenced.get("author_id")))
            if other is not None and other not in evidence_users:
                evidence_users.append(other)
        evidence: dict[str, Any] = {"users": evidence_users}
        if referenced_tweets:
            evidence["tweets"] = referenced_tweets
        if place is not None:
            evidence["places"] = [place]

        username = author["username"]
        conversation_id = item.get("conversation_id")
        lang = item.get("lang")
        location = author.get("location")
        place_name = place.get("full_name") if place is not None else None
        post = FetchedPost(
            external_id=tweet_id,
            text=text,
            author_id=author_id,
            author_handle=username,
            author_name=str(author.get("name") or username),
            created_at=created_at,
            url=f"{self.public_base_url}/{username}/status/{tweet_id}",
            raw={"data": item, "includes": evidence},
            author_location=location if isinstance(location, str) and location else None,
            conversation_id=conversation_id if isinstance(conversation_id, str) else None,
            in_reply_to_id=refs.get("in_reply_to_id"),
            repost_of_id=refs.get("repost_of_id"),
            quote_of_id=refs.get("quote_of_id"),
            lang=lang if isinstance(lang, str) else None,
            place_name=place_name if isinstance(place_name, str) else None,
        )
        return post, None

    # ------------------------------------------------------------------ replies

    def publish_reply(
        self, *, in_reply_to_id: str, text: str, credentials: dict[str, str], idempotency_key: str
    ) -> PublishResult:
        """Post `text` as a reply. X has no idempotency key, so `idempotency_key` is unused here:
        after an unknown outcome the caller should `find_reply` before trying again."""
        # An OAuth 2.0 user-context token; PublishingAccount rows may call it either name.
        token = credentials.get("access_token") or credentials.get("bearer_token")
        if not token:
            raise ConnectorError("X reply: the account's credentials have no access_token", retryable=False)
        body = {"text": text, "reply": {"in_reply_to_tweet_id": in_reply_to_id}}
        response = self._request("POST", TWEETS_PATH, token, "reply", json=body)
        try:
            data = response.json()["data"]
            reply_id = data["id"]
            if not isinstance(reply_id, str) or not _ID_RE.match(reply_id):
                raise ValueError(reply_id)
        except (ValueError, KeyError, TypeError):
            # The post may well exist: say so, so the caller looks before it retries.
            raise ConnectorError(
                f"X reply: HTTP {response.status_code} with an unreadable body; the reply may have been published",
                retryable=True,
                status=response.status_code,
            ) from None
        return PublishResult(external_id=reply_id, url=self._post_url(credentials.get("username"), reply_id))

    def find_reply(
        self, in_reply_to_id: str, username: str, text_prefix: str, *, conversation_id: str | None = None
    ) -> PublishResult | None:
        """Look for a reply `username` already posted to `in_reply_to_id` starting with `text_prefix`.

        Searches `conversation_id:<root> from:<username>`. The post replied to may itself be a
        follow-up inside a thread, so unless `conversation_id` is given it is looked up first.
        """
        if conversation_id is None:
            conversation_id = self._conversation_of(in_reply_to_id)
        query = f"conversation_id:{conversation_id} from:{username.lstrip('@')}"
        params = {
            "query": query,
            "max_results": "100",
            "tweet.fields": "id,text,author_id,created_at,conversation_id,referenced_tweets,note_tweet",
        }
        prefix = _normalise(text_prefix)
        found: list[int] = []
        next_token: str | None = None
        for _ in range(self.max_pages):
            if next_token:
                params["next_token"] = next_token
            response = self._request("GET", SEARCH_PATH, self._bearer_token, "find reply", params=params)
            try:
                body = response.json()
                data = body.get("data", [])
                next_token = body["meta"].get("next_token")
            except (ValueError, KeyError, TypeError, AttributeError):
                raise ConnectorError("X find reply: malformed page", status=response.status_code) from None
            for item in data if isinstance(data, list) else []:
                if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                    continue
                replied_to = [
                    r.get("id")
                    for r in item.get("referenced_tweets", [])
                    if isinstance(r, dict) and r.get("type") == "replied_to"
                ]
                note = item.get("note_tweet")
                text = note.get("text") if isinstance(note, dict) else item.get("text")
                if in_reply_to_id in replied_to and _normalise(str(text or "")).startswith(prefix):
                    found.append(int(item["id"]))
            if not next_token:
                break
        if not found:
            return None
        first = str(min(found))  # the earliest match is the one that was published first
        return PublishResult(external_id=first, url=self._post_url(username, first))

    def _conversation_of(self, tweet_id: str) -> str:
        """The thread root of a post; the post itself if X no longer shows it."""
        response = self._request(
            "GET",
            f"{TWEETS_PATH}/{tweet_id}",
            self._bearer_token,
            "find reply",
            params={"tweet.fields": "conversation_id"},
        )
        try:
            conversation_id = response.json()["data"]["conversation_id"]
        except (ValueError, KeyError, TypeError):
            return tweet_id  # X answers a deleted post with 200 and only `errors`
        return conversation_id if isinstance(conversation_id, str) and _ID_RE.match(conversation_id) else tweet_id

    # ------------------------------------------------------------------ HTTP

    def _post_url(self, username: str | None, tweet_id: str) -> str:
        if username:
            return f"{self.public_base_url}/{username.lstrip('@')}/status/{tweet_id}"
        return f"{self.public_base_url}/i/web/status/{tweet_id}"  # X resolves this without a handle

    def _request(
        self,
        method: str,
        path: str,
        token: str,
        action: str,
        *,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
    ) -> httpx.Response:
        try:
            response = self._client.request(
                method,
                f"{self.base_url}{path}",
                params=params,
                json=json,
                headers={"Authorization": f"Bearer {token}"},
            )
        except httpx.TimeoutException as exc:
            raise ConnectorError(f"X {action}: timed out ({type(exc).__name__})", retryable=True) from None
        except httpx.HTTPError as exc:
            raise ConnectorError(f"X {action}: {type(exc).__name__}: {exc}", retryable=True) from None
        status = response.status_code
        if status < 400:
            return response
        detail = _problem_summary(response)
        message = f"X {action}: HTTP {status}: {detail}"
        if status == 429:
            raise RateLimited(message, retryable=True, retry_after=_retry_after(response), status=status)
        if status >= 500:
            raise ConnectorError(message, retryable=True, status=status)
        # 400 (our request is wrong), 401/403 (credentials, permissions, X's reply rules):
        # trying the same request again cannot help.
        raise ConnectorError(message, retryable=False, status=status)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One verifying TLS context for all connectors: building one costs ~35 ms, and the runner
    makes a connector for every poll."""
    return ssl.create_default_context(cafile=certifi.where())


class _Includes:
    """`includes` indexed by id, skipping entries too broken to use."""

    def __init__(self, includes: dict[str, Any]) -> None:
        self.users = _by_id(includes.get("users", []))
        self.tweets = _by_id(includes.get("tweets", []))
        self.places = _by_id(includes.get("places", []))


def _by_id(items: list[Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)}


def parse_cursor(cursor: str | None) -> tuple[int | None, int | None, int | None]:
    """Return (since_id, until_id, newest id already seen) for a stored cursor."""
    if cursor is None or cursor == "":
        return None, None, None
    if _ID_RE.match(cursor):
        return int(cursor), None, None
    match = _BACKLOG_RE.match(cursor)
    if match is None:
        raise ConnectorError(f"X: unreadable cursor {cursor!r}", retryable=False)
    since = int(match.group(1)) if match.group(1) else None
    return since, int(match.group(2)), int(match.group(3))


def _unique_quarantine(items: list[QuarantinedItem], posts: dict[str, FetchedPost]) -> list[QuarantinedItem]:
    """Drop quarantined copies of posts that were readable elsewhere, and repeats."""
    seen: set[tuple[str | None, str]] = set()
    unique = []
    for item in items:
        if item.external_id is not None and item.external_id in posts:
            continue
        key = (item.external_id, item.reason)
        if item.external_id is not None and key in seen:
            continue
        seen.add(key)
        unique.append(item)
    return unique


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC)


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _problem_summary(response: httpx.Response) -> str:
    """The platform's own words for an error (RFC 7807 Problem, or the older `errors` shape)."""
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase or "error"
    if not isinstance(body, dict):
        return response.reason_phrase or "error"
    parts = []
    for key in ("title", "detail"):
        if isinstance(body.get(key), str) and body[key] not in parts:
            parts.append(body[key])
    errors = body.get("errors")
    if isinstance(errors, list):
        for error in errors[:3]:
            if isinstance(error, dict):
                message = error.get("message") or error.get("detail")
                if isinstance(message, str):
                    parts.append(message)
    return "; ".join(parts)[:500] or (response.reason_phrase or "error")


def _retry_after(response: httpx.Response) -> float | None:
    reset = response.headers.get("x-rate-limit-reset")
    if reset is not None:
        try:
            return max(float(reset) - time.time(), 0.0)
        except ValueError:
            pass
    retry_after = response.headers.get("retry-after")
    if retry_after is not None:
        try:
            return max(float(retry_after), 0.0)
        except ValueError:
            return None
    return None


def _rate_limit_headers(response: httpx.Response | None) -> tuple[int | None, datetime | None]:
    if response is None:
        return None, None
    remaining: int | None = None
    reset: datetime | None = None
    with contextlib.suppress(KeyError, ValueError):
        remaining = int(response.headers["x-rate-limit-remaining"])
    with contextlib.suppress(KeyError, ValueError, OverflowError, OSError):
        reset = datetime.fromtimestamp(int(response.headers["x-rate-limit-reset"]), tz=UTC)
    return remaining, reset
