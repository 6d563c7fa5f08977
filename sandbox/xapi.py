"""The X API v2 subset Kemala uses, on top of `SandboxStore` (PLATFORMS.md §1).

Endpoints: GET /2/tweets/search/recent, POST /2/tweets, GET and DELETE /2/tweets/:id,
GET /2/users/me. Shapes, status codes, Problem bodies and x-rate-limit-* headers follow X so
the real connector can be tested against it unchanged.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sandbox import faults as F
from sandbox import xtext
from sandbox.faults import Faults
from sandbox.store import SANDBOX_APP_BEARER, SandboxStore, parse_time
from sandbox.wire import Request, Response

PROBLEMS = "https://api.twitter.com/2/problems"
_ID_RE = re.compile(r"^[0-9]{1,19}$")
_TWEET_PATH_RE = re.compile(r"^/2/tweets/([^/]+)$")
SEARCH_WINDOW = timedelta(days=7)  # recent search sees the last 7 days only
DUPLICATE_WINDOW = timedelta(hours=24)

SEARCH_PARAMS = frozenset(
    {
        "query",
        "start_time",
        "end_time",
        "since_id",
        "until_id",
        "max_results",
        "next_token",
        "pagination_token",
        "sort_order",
        "tweet.fields",
        "post.fields",
        "expansions",
        "media.fields",
        "poll.fields",
        "user.fields",
        "place.fields",
    }
)
LOOKUP_PARAMS = frozenset(
    {
        "tweet.fields",
        "post.fields",
        "expansions",
        "media.fields",
        "poll.fields",
        "user.fields",
        "place.fields",
    }
)
DEFAULT_TWEET_FIELDS = ("id", "text", "edit_history_tweet_ids")
KNOWN_TWEET_FIELDS = frozenset(
    {
        "author_id",
        "conversation_id",
        "created_at",
        "entities",
        "geo",
        "in_reply_to_user_id",
        "lang",
        "note_tweet",
        "public_metrics",
        "referenced_tweets",
        "possibly_sensitive",
        "reply_settings",
        "source",
        "edit_controls",
    }
)
KNOWN_USER_FIELDS = frozenset({"created_at", "location", "description", "verified", "protected", "profile_image_url"})
KNOWN_PLACE_FIELDS = frozenset({"country", "country_code", "geo", "name", "place_type", "contained_within"})
POST_BODY_KEYS = frozenset(
    {
        "text",
        "reply",
        "quote_tweet_id",
        "reply_settings",
        "for_super_followers_only",
        "direct_message_deep_link",
        "geo",
        "media",
        "poll",
        "nullcast",
        "community_id",
        "card_uri",
        "edit_options",
        "made_with_ai",
        "paid_partnership",
        "share_with_followers",
    }
)
REPLY_KEYS = frozenset({"in_reply_to_tweet_id", "exclude_reply_user_ids", "auto_populate_reply_metadata"})

TOO_MANY_REQUESTS = {
    "title": "Too Many Requests",
    "type": "about:blank",
    "status": 429,
    "detail": "Too Many Requests",
}
UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
APP_ONLY_FORBIDDEN = {
    "title": "Unsupported Authentication",
    "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported "
    "authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
    "type": f"{PROBLEMS}/unsupported-authentication",
    "status": 403,
}
NOT_SUMMONED = (
    "Reply to this conversation is not allowed because you have not been mentioned or otherwise "
    "engaged by the author of the post you are replying to."
)


@dataclass(slots=True)
class RateLimits:
    """Requests per window, per app (bearer) or per user (user token), as in X's table."""

    window_seconds: int = 15 * 60
    search: int = 450
    post: int = 100
    delete: int = 50
    lookup: int = 900
    users_me: int = 75


class RateLimiter:
    """Fixed windows per (endpoint, principal), like X: the window starts at the first call."""

    def __init__(self, limits: RateLimits, now: Callable[[], float] = time.time) -> None:
        self.limits = limits
        self._now = now
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], tuple[float, int]] = {}  # key -> (reset, used)

    def hit(self, endpoint: str, principal: str, *, count: bool = True) -> tuple[bool, dict[str, str]]:
        """Count one request; say whether it is allowed and give the three headers."""
        limit = int(getattr(self.limits, endpoint))
        now = self._now()
        with self._lock:
            reset, used = self._windows.get((endpoint, principal), (0.0, 0))
            if now >= reset:
                reset, used = now + self.limits.window_seconds, 0
            allowed = used < limit
            if count and allowed:
                used += 1
            self._windows[(endpoint, principal)] = (reset, used)
        headers = {
            "x-rate-limit-limit": str(limit),
            "x-rate-limit-remaining": str(max(limit - used, 0)),
            "x-rate-limit-reset": str(int(reset)),
        }
        return allowed, headers

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()


class BadRequest(Exception):
    """An invalid-request Problem (400) about one parameter."""

    def __init__(self, message: str, parameter: str | None = None, value: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.parameter = parameter
        self.value = value

    def response(self) -> Response:
        error: dict[str, Any] = {"message": self.message}
        if self.parameter is not None:
            error["parameters"] = {self.parameter: [self.value if self.value is not None else ""]}
        return invalid_request([error])


def invalid_request(errors: list[dict[str, Any]]) -> Response:
    return Response.problem(
        400,
        {
            "errors": errors,
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": f"{PROBLEMS}/invalid-request",
        },
    )


def forbidden(detail: str) -> Response:
    return Response.problem(403, {"detail": detail, "type": "about:blank", "title": "Forbidden", "status": 403})


def not_found_error(value: str, parameter: str) -> dict[str, Any]:
    """The ResourceNotFound item X puts in `errors[]` (partial errors on a 200)."""
    return {
        "value": value,
        "detail": f"Could not find tweet with {parameter}: [{value}].",
        "title": "Not Found Error",
        "resource_type": "tweet",
        "parameter": parameter,
        "resource_id": value,
        "type": f"{PROBLEMS}/resource-not-found",
    }


# ---------------------------------------------------------------------------- search query


class QueryError(ValueError):
    pass


Predicate = Callable[["SearchContext", dict[str, Any]], bool]


@dataclass(slots=True)
class SearchContext:
    """What a predicate needs beyond the tweet itself."""

    store: SandboxStore

    def username_of(self, user_id: str) -> str:
        account = self.store.account_by_id(user_id)
        return account["username"].lower() if account else ""


def _full_text(tweet: dict[str, Any]) -> str:
    return str(tweet.get("note_tweet", {}).get("text", tweet["text"]))


def _entities(tweet: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    found = list(tweet.get("entities", {}).get(kind, []))
    found += tweet.get("note_tweet", {}).get("entities", {}).get(kind, [])
    return found


def _refs(tweet: dict[str, Any], ref_type: str) -> list[str]:
    return [r["id"] for r in tweet.get("referenced_tweets", []) if r["type"] == ref_type]


def _term(token: str, ctx: SearchContext) -> Predicate:
    """One search term (without a leading '-') as a predicate."""
    lowered = token.lower()
    if token.startswith('"') and token.endswith('"') and len(token) >= 2:
        phrase = lowered[1:-1]
        return lambda c, t: phrase in _full_text(t).lower()
    if token[:1] in "#＃" and len(token) > 1:
        tag = lowered[1:]
        return lambda c, t: any(h["tag"].lower() == tag for h in _entities(t, "hashtags"))
    if token[:1] == "@" and len(token) > 1:
        name = lowered[1:]
        return lambda c, t: any(m["username"].lower() == name for m in _entities(t, "mentions"))
    operator, colon, value = token.partition(":")
    if colon and re.fullmatch(r"[a-z_]+", operator.lower()) and value:
        operator = operator.lower()
        value_l = value.lower()
        if operator == "from":
            return lambda c, t: t["author_id"] == value or c.username_of(t["author_id"]) == value_l
        if operator == "to":
            return lambda c, t: (
                t.get("in_reply_to_user_id") == value
                or ("in_reply_to_user_id" in t and c.username_of(t["in_reply_to_user_id"]) == value_l)
            )
        if operator == "conversation_id":
            return lambda c, t: t["conversation_id"] == value
        if operator in ("in_reply_to_tweet_id", "in_reply_to_status_id"):
            return lambda c, t: value in _refs(t, "replied_to")
        if operator in ("retweets_of_tweet_id", "retweets_of_status_id"):
            return lambda c, t: value in _refs(t, "retweeted")
        if operator == "quotes_of_tweet_id":
            return lambda c, t: value in _refs(t, "quoted")
        if operator == "lang":
            return lambda c, t: t.get("lang", "").lower() == value_l
        if operator == "place_country":
            return lambda c, t: _place_field(c, t, "country_code").lower() == value_l
        if operator == "place":
            return lambda c, t: value_l.strip('"') in _place_field(c, t, "full_name").lower()
        if operator == "is":
            kinds = {"retweet": "retweeted", "reply": "replied_to", "quote": "quoted"}
            if value_l in kinds:
                ref_type = kinds[value_l]
                return lambda c, t: bool(_refs(t, ref_type))
            if value_l in ("verified", "nullcast"):
                return lambda c, t: False
            raise QueryError(f"Reference to invalid field 'is:{value}'")
        if operator == "has":
            if value_l == "geo":
                return lambda c, t: "geo" in t
            entity_kind = {"hashtags": "hashtags", "mentions": "mentions", "links": "urls"}.get(value_l)
            if entity_kind is not None:
                kind = entity_kind
                return lambda c, t: bool(_entities(t, kind))
            if value_l in ("media", "images", "videos", "cashtags"):
                return lambda c, t: False
            raise QueryError(f"Reference to invalid field 'has:{value}'")
        if operator not in ("http", "https"):
            raise QueryError(f"Reference to invalid operator '{operator}'")
    words = re.findall(r"\w+", lowered)
    if not words:
        return lambda c, t: True

    def keyword(c: SearchContext, t: dict[str, Any]) -> bool:
        text_words = re.findall(r"\w+", _full_text(t).lower())
        # A multi-part keyword (e.g. "jawa-tengah") matches as a phrase of its parts.
        n = len(words)
        return any(text_words[i : i + n] == words for i in range(len(text_words) - n + 1))

    return keyword


def _place_field(ctx: SearchContext, tweet: dict[str, Any], name: str) -> str:
    place_id = tweet.get("geo", {}).get("place_id")
    place = ctx.store.place(place_id) if place_id else None
    return str(place.get(name, "")) if place else ""


_TOKEN_RE = re.compile(r'-?\(|\)|-?"[^"]*"|[^\s()]+')


def parse_query(query: str, ctx: SearchContext) -> Predicate:
    """Parse X search syntax: terms ANDed by spaces, OR, parentheses and '-' negation."""
    tokens = _TOKEN_RE.findall(query)
    position = 0

    def parse_or() -> Predicate:
        nonlocal position
        alternatives = [parse_and()]
        while position < len(tokens) and tokens[position] == "OR":
            position += 1
            alternatives.append(parse_and())
        if len(alternatives) == 1:
            return alternatives[0]
        return lambda c, t: any(p(c, t) for p in alternatives)

    def parse_and() -> Predicate:
        nonlocal position
        parts: list[Predicate] = []
        while position < len(tokens) and tokens[position] not in ("OR", ")"):
            part = tokens[position]
            negate = part.startswith("-") and len(part) > 1
            if negate:
                part = part[1:]
            position += 1
            if part == "(":
                inner = parse_or()
                if position >= len(tokens) or tokens[position] != ")":
                    raise QueryError("Unbalanced parentheses")
                position += 1
            else:
                inner = _term(part, ctx)
            parts.append((lambda p: lambda c, t: not p(c, t))(inner) if negate else inner)
        if not parts:
            raise QueryError("There were errors processing your request: empty clause")
        return lambda c, t: all(p(c, t) for p in parts)

    predicate = parse_or()
    if position != len(tokens):
        raise QueryError("Unbalanced parentheses")
    return predicate


def encode_token(bound: int) -> str:
    """Opaque pagination token carrying the exclusive upper id bound of the next page."""
    return base64.b32encode(f"kemala-sandbox:{bound}".encode()).decode().lower().rstrip("=")


def decode_token(token: str) -> int:
    try:
        padded = token.upper() + "=" * (-len(token) % 8)
        prefix, _, bound = base64.b32decode(padded).decode().partition(":")
        if prefix != "kemala-sandbox":
            raise ValueError(token)
        return int(bound)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise ValueError(token) from exc


def _not_in_schema(pointer: str) -> str:
    return f"{pointer}: is not defined in the schema and the schema does not allow additional properties"


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


# ---------------------------------------------------------------------------- the API


class XApi:
    """Request handler for `/2/...`; returns None for paths it does not own."""

    def __init__(
        self,
        store: SandboxStore,
        faults: Faults,
        *,
        rate_limits: RateLimits | None = None,
        summon_rule: bool = False,
        reject_duplicates: bool = True,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.faults = faults
        self.limiter = RateLimiter(rate_limits or RateLimits(), now)
        # X self-serve tiers may reply only when summoned (PLATFORMS.md §0.1). Off by default,
        # as for an Enterprise account; turn on to see the refusal path.
        self.summon_rule = summon_rule
        # X refuses a post whose text repeats one of the author's recent posts (403).
        self.reject_duplicates = reject_duplicates
        self._post_lock = threading.Lock()

    def handle(self, request: Request) -> Response | None:
        if not request.path.startswith("/2/"):
            return None
        route = self._route(request)
        if route is None:
            return Response.problem(
                404, {"title": "Not Found", "type": "about:blank", "status": 404, "detail": "Not Found"}
            )
        endpoint, handler, needs_user = route
        principal, account, auth_error = self._authenticate(request)
        if auth_error is not None:
            _, headers = self.limiter.hit(endpoint, "anonymous", count=False)
            auth_error.headers.update(headers)
            return auth_error
        if needs_user and account is None:
            response = Response.problem(403, APP_ONLY_FORBIDDEN)
            _, headers = self.limiter.hit(endpoint, principal, count=False)
            response.headers.update(headers)
            return response
        allowed, headers = self.limiter.hit(endpoint, principal)
        if not allowed:
            response = Response.problem(429, TOO_MANY_REQUESTS)
        else:
            try:
                response = handler(request, account)
            except BadRequest as exc:
                response = exc.response()
        response.headers.update(headers)
        return response

    def limit_for(self, request: Request) -> int:
        """The per-window limit of the endpoint this request is for (for injected 429s)."""
        route = self._route(request)
        return int(getattr(self.limiter.limits, route[0] if route else "lookup"))

    def _route(self, request: Request) -> tuple[str, Callable[[Request, dict | None], Response], bool] | None:
        method, path = request.method, request.path
        if path == "/2/tweets/search/recent" and method == "GET":
            return "search", self.search_recent, False
        if path == "/2/tweets" and method == "POST":
            return "post", self.create_tweet, True
        if path == "/2/users/me" and method == "GET":
            return "users_me", self.users_me, True
        if _TWEET_PATH_RE.match(path) and path != "/2/tweets/search":
            if method == "GET":
                return "lookup", self.lookup, False
            if method == "DELETE":
                return "delete", self.delete_tweet, True
        return None

    def _authenticate(self, request: Request) -> tuple[str, dict | None, Response | None]:
        """Return (rate-limit principal, user account or None for the app, error response)."""
        header = (request.header("authorization") or "").strip()
        if header.startswith("Bearer "):
            token = header[len("Bearer ") :].strip()
            if token == SANDBOX_APP_BEARER:
                return "app", None, None
            account = self.store.account_for_token(token)
            if account is not None:
                return f"user:{account['id']}", account, None
        elif header.startswith("OAuth "):
            # OAuth 1.0a: the signature was made for api.x.com, so it cannot be verified here
            # (PLATFORMS.md §1.6); check the parts are there and find the user by oauth_token.
            params = dict(re.findall(r'(\w+)="([^"]*)"', header))
            if {"oauth_consumer_key", "oauth_token", "oauth_signature"} <= params.keys():
                account = self.store.account_for_token(params["oauth_token"])
                if account is not None:
                    return f"user:{account['id']}", account, None
        return "anonymous", None, Response.problem(401, UNAUTHORIZED)

    # ------------------------------------------------------------------ GET search/recent

    def search_recent(self, request: Request, account: dict | None) -> Response:
        unknown = sorted(set(request.query) - SEARCH_PARAMS)
        if unknown:
            raise BadRequest(
                f"The query parameter [{unknown[0]}] is not one of [{','.join(sorted(SEARCH_PARAMS))}]",
                unknown[0],
                request.param(unknown[0]),
            )
        query = request.param("query") or ""
        if not query.strip():
            raise BadRequest("The `query` query parameter can not be empty", "query", query)
        if len(query) > 512:
            raise BadRequest(f"The `query` query parameter value [{query}] is not valid", "query", query)
        max_results = self._int_param(request, "max_results", 10, 10, 100)
        since_id = self._id_param(request, "since_id")
        until_id = self._id_param(request, "until_id")
        token = request.param("next_token") or request.param("pagination_token")
        bound: int | None = None
        if token:
            try:
                bound = decode_token(token)
            except ValueError:
                name = "next_token" if request.param("next_token") else "pagination_token"
                raise BadRequest(f"The `{name}` query parameter value [{token}] is not valid", name, token) from None
        start_time = self._time_param(request, "start_time")
        end_time = self._time_param(request, "end_time")
        sort_order = request.param("sort_order")
        if sort_order not in (None, "recency", "relevancy"):
            raise BadRequest(
                f"The `sort_order` query parameter value [{sort_order}] is not one of [recency,relevancy]",
                "sort_order",
                sort_order,
            )
        ctx = SearchContext(self.store)
        try:
            predicate = parse_query(query, ctx)
        except QueryError as exc:
            raise BadRequest(f"There were errors processing your request: {exc}", "query", query) from None

        now = self.store.clock()
        oldest_allowed = now - SEARCH_WINDOW
        if since_id is not None:
            # X: "If since_id and start_time are both sent, only since_id is used."
            start_time = None
        bounds = [x for x in (until_id, bound) if x is not None]
        upper = min(bounds) if bounds else None

        def wanted(tweet: dict[str, Any]) -> bool:
            created = parse_time(tweet["created_at"])
            if start_time is not None and created < start_time:
                return False
            if end_time is not None and created >= end_time:
                return False
            return predicate(ctx, tweet)

        # One more than a page tells whether there is a next page (and which post a
        # duplicate-item fault repeats).
        candidates = self.store.search(
            wanted, limit=max_results + 1, since_id=since_id, until_id=upper, not_before=oldest_allowed
        )

        page = candidates[:max_results]
        more = len(candidates) > max_results
        next_token = encode_token(int(page[-1]["id"])) if more and page else None
        data_source = list(page)

        page_faults = {f.kind: f for f in self.faults.take_all(request.method, request.path, F.PAGE_KINDS)}
        if F.EMPTY_PAGE in page_faults:
            # X sometimes sends a page with nothing in it but a next_token: the results are
            # still there on the next request.
            data_source = []
            next_token = None
            if candidates:
                next_token = encode_token(upper if upper is not None else int(candidates[0]["id"]) + 1)
        if F.DUPLICATE in page_faults and data_source:
            data_source.append(candidates[max_results] if more else data_source[0])

        tweet_fields = self._fields(request, "tweet.fields") | self._fields(request, "post.fields")
        expansions = set(_split(request.param("expansions")))
        data = [self._render_tweet(t, tweet_fields) for t in data_source]
        if F.MISSING_FIELD in page_faults and data:
            fault = page_faults[F.MISSING_FIELD]
            item = data[min(fault.index, len(data) - 1)]
            if fault.value is None:
                item.pop(fault.field, None)
            else:
                item[fault.field] = fault.value

        payload: dict[str, Any] = {}
        if data:
            payload["data"] = data
            includes, errors = self._includes(data_source, expansions, tweet_fields, request)
            if includes:
                payload["includes"] = includes
            if errors:
                payload["errors"] = errors
        meta: dict[str, Any] = {}
        if data_source:
            ids = [int(t["id"]) for t in data_source]
            meta["newest_id"] = str(max(ids))
            meta["oldest_id"] = str(min(ids))
        meta["result_count"] = len(data)
        if next_token:
            meta["next_token"] = next_token
        payload["meta"] = meta
        return Response.json(200, payload)

    # ------------------------------------------------------------------ POST /2/tweets

    def create_tweet(self, request: Request, account: dict | None) -> Response:
        assert account is not None  # routed with needs_user
        try:
            body = json.loads(request.body or b"")
        except (ValueError, UnicodeDecodeError):
            return invalid_request([{"message": "Request body is not valid JSON."}])
        if not isinstance(body, dict):
            return invalid_request([{"message": "$: expected type: JSONObject, found: " + type(body).__name__}])
        extra = sorted(set(body) - POST_BODY_KEYS)
        if extra:
            return invalid_request([{"message": _not_in_schema(f"$.{extra[0]}")}])
        text = body.get("text")
        if text is not None and not isinstance(text, str):
            return invalid_request([{"message": "$.text: expected type: String"}])
        reply = body.get("reply")
        in_reply_to: str | None = None
        if reply is not None:
            if not isinstance(reply, dict):
                return invalid_request([{"message": "$.reply: expected type: JSONObject"}])
            extra = sorted(set(reply) - REPLY_KEYS)
            if extra:
                return invalid_request([{"message": _not_in_schema(f"$.reply.{extra[0]}")}])
            in_reply_to = reply.get("in_reply_to_tweet_id")
            if not isinstance(in_reply_to, str) or not _ID_RE.match(in_reply_to):
                return invalid_request(
                    [
                        {
                            "message": "$.reply.in_reply_to_tweet_id: string "
                            f"[{in_reply_to}] does not match pattern ^[0-9]{{1,19}}$"
                        }
                    ]
                )
        quote_id = body.get("quote_tweet_id")
        if quote_id is not None and (not isinstance(quote_id, str) or not _ID_RE.match(quote_id)):
            return invalid_request(
                [{"message": f"$.quote_tweet_id: string [{quote_id}] does not match pattern ^[0-9]{{1,19}}$"}]
            )
        if not text or not text.strip():
            return invalid_request([{"message": "Tweet text is empty"}])
        text = xtext.normalise(text)
        if xtext.weighted_length(text) > xtext.MAX_WEIGHTED_LENGTH:
            return Response.problem(
                400,
                {
                    "errors": [
                        {
                            "message": "Your Tweet text is too long. For more information on how X "
                            "determines text length see https://github.com/twitter/twitter-text."
                        }
                    ],
                    "title": "Invalid Request",
                    "detail": "One or more parameters to your request was invalid.",
                    "type": f"{PROBLEMS}/invalid-request",
                },
            )

        # One writer at a time, so two concurrent identical posts cannot both pass the
        # duplicate check.
        with self._post_lock:
            if in_reply_to is not None:
                parent = self.store.get(in_reply_to)
                if parent is None:
                    return forbidden("You attempted to reply to a Tweet that is deleted or not visible to you.")
                if self.summon_rule and not self._summoned(parent, account):
                    return forbidden(NOT_SUMMONED)
            if quote_id is not None and self.store.get(quote_id) is None:
                return forbidden("You attempted to quote a Tweet that is deleted or not visible to you.")
            if self.reject_duplicates and self._is_duplicate(account, text):
                return forbidden("You are not allowed to create a Tweet with duplicate content.")
            tweet = self.store.create_post(
                username=account["username"], text=text, in_reply_to_id=in_reply_to, quote_of_id=quote_id
            )
        return Response.json(
            201,
            {
                "data": {
                    "edit_history_tweet_ids": tweet["edit_history_tweet_ids"],
                    "id": tweet["id"],
                    "text": tweet.get("note_tweet", {}).get("text", tweet["text"]),
                }
            },
        )

    def _summoned(self, parent: dict[str, Any], account: dict[str, Any]) -> bool:
        """Self-serve rule: the author @mentioned this account or quoted one of its posts."""
        if any(m["username"].lower() == account["username"].lower() for m in _entities(parent, "mentions")):
            return True
        for quoted_id in _refs(parent, "quoted"):
            quoted = self.store.get(quoted_id)
            if quoted is not None and quoted["author_id"] == account["id"]:
                return True
        return False

    def _is_duplicate(self, account: dict[str, Any], text: str) -> bool:
        since = self.store.clock() - DUPLICATE_WINDOW
        same = self.store.search(
            lambda t: t["author_id"] == account["id"] and _full_text(t) == text, limit=1, not_before=since
        )
        return bool(same)

    # ------------------------------------------------------------------ other endpoints

    def lookup(self, request: Request, account: dict | None) -> Response:
        unknown = sorted(set(request.query) - LOOKUP_PARAMS)
        if unknown:
            raise BadRequest(
                f"The query parameter [{unknown[0]}] is not one of [id,{','.join(sorted(LOOKUP_PARAMS))}]",
                unknown[0],
                request.param(unknown[0]),
            )
        tweet_id = request.path.rsplit("/", 1)[1]
        if not _ID_RE.match(tweet_id):
            raise BadRequest(
                f"The `id` query parameter value [{tweet_id}] does not match ^[0-9]{{1,19}}$", "id", tweet_id
            )
        tweet = self.store.get(tweet_id)
        if tweet is None:
            # X answers a missing post with 200 and only `errors`.
            return Response.json(200, {"errors": [not_found_error(tweet_id, "id")]})
        tweet_fields = self._fields(request, "tweet.fields") | self._fields(request, "post.fields")
        payload: dict[str, Any] = {"data": self._render_tweet(tweet, tweet_fields)}
        includes, errors = self._includes([tweet], set(_split(request.param("expansions"))), tweet_fields, request)
        if includes:
            payload["includes"] = includes
        if errors:
            payload["errors"] = errors
        return Response.json(200, payload)

    def delete_tweet(self, request: Request, account: dict | None) -> Response:
        assert account is not None
        tweet_id = request.path.rsplit("/", 1)[1]
        if not _ID_RE.match(tweet_id):
            raise BadRequest(
                f"The `id` query parameter value [{tweet_id}] does not match ^[0-9]{{1,19}}$", "id", tweet_id
            )
        tweet = self.store.get(tweet_id)
        if tweet is None:
            return Response.json(200, {"data": {"deleted": False}})
        if tweet["author_id"] != account["id"]:
            return forbidden("You are not allowed to delete a Tweet you did not author.")
        return Response.json(200, {"data": {"deleted": self.store.delete_post(tweet_id)}})

    def users_me(self, request: Request, account: dict | None) -> Response:
        assert account is not None
        return Response.json(200, {"data": self._render_user(account, self._fields(request, "user.fields"))})

    # ------------------------------------------------------------------ rendering

    @staticmethod
    def _fields(request: Request, name: str) -> set[str]:
        return set(_split(request.param(name)))

    @staticmethod
    def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
        raw = request.param(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise BadRequest(f"The `{name}` query parameter value [{raw}] is not a number", name, raw) from None
        if not low <= value <= high:
            raise BadRequest(f"The `{name}` query parameter value [{raw}] is not between {low} and {high}", name, raw)
        return value

    @staticmethod
    def _id_param(request: Request, name: str) -> int | None:
        raw = request.param(name)
        if raw is None:
            return None
        if not _ID_RE.match(raw):
            raise BadRequest(f"The `{name}` query parameter value [{raw}] is not valid", name, raw)
        return int(raw)

    @staticmethod
    def _time_param(request: Request, name: str) -> datetime | None:
        raw = request.param(name)
        if raw is None:
            return None
        try:
            moment = parse_time(raw)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise BadRequest(f"The `{name}` query parameter value [{raw}] is not a valid RFC 3339 time", name, raw)
        return moment

    @staticmethod
    def _render_tweet(tweet: dict[str, Any], fields: set[str]) -> dict[str, Any]:
        wanted = (fields | {"edit_history_post_ids"}) & (KNOWN_TWEET_FIELDS | {"edit_history_post_ids"})
        rendered = {name: tweet[name] for name in DEFAULT_TWEET_FIELDS}
        for name in sorted(wanted):
            if name in tweet:
                rendered[name] = tweet[name]
            elif name == "possibly_sensitive":
                rendered[name] = False
            elif name == "reply_settings":
                rendered[name] = "everyone"
        return rendered

    def _render_user(self, account: dict[str, Any], fields: set[str]) -> dict[str, Any]:
        user = {"id": account["id"], "name": account["name"], "username": account["username"]}
        for name in sorted(fields & KNOWN_USER_FIELDS):
            if name in ("verified", "protected"):
                user[name] = False
            elif name == "description":
                user[name] = account.get("description", "")
            elif name == "profile_image_url":
                user[name] = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"
            elif name in account:
                user[name] = account[name]
        return user

    def _includes(
        self, tweets: list[dict[str, Any]], expansions: set[str], tweet_fields: set[str], request: Request
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Build `includes` for these tweets, plus partial errors for referenced posts that are gone."""
        user_fields = self._fields(request, "user.fields")
        place_fields = self._fields(request, "place.fields")
        user_ids: list[str] = []
        included_tweets: list[dict[str, Any]] = []
        place_ids: list[str] = []
        errors: list[dict[str, Any]] = []

        def want_user(user_id: str | None) -> None:
            if user_id and user_id not in user_ids:
                user_ids.append(user_id)

        seen_refs: set[str] = set()
        for tweet in tweets:
            if "author_id" in expansions:
                want_user(tweet["author_id"])
            if "in_reply_to_user_id" in expansions:
                want_user(tweet.get("in_reply_to_user_id"))
            if "entities.mentions.username" in expansions:
                for mention in _entities(tweet, "mentions"):
                    want_user(mention.get("id"))
            if "geo.place_id" in expansions:
                place_id = tweet.get("geo", {}).get("place_id")
                if place_id and place_id not in place_ids:
                    place_ids.append(place_id)
            if expansions & {"referenced_tweets.id", "referenced_posts", "referenced_tweets.id.author_id"}:
                for ref in tweet.get("referenced_tweets", []):
                    if ref["id"] in seen_refs:
                        continue
                    seen_refs.add(ref["id"])
                    referenced = self.store.get(ref["id"])
                    if referenced is None:
                        errors.append(not_found_error(ref["id"], "referenced_tweets.id"))
                        continue
                    included_tweets.append(self._render_tweet(referenced, tweet_fields))
                    if "referenced_tweets.id.author_id" in expansions:
                        want_user(referenced["author_id"])

        includes: dict[str, Any] = {}
        users = []
        for user_id in user_ids:
            account = self.store.account_by_id(user_id)
            if account is not None:
                users.append(self._render_user(account, user_fields))
        if users:
            includes["users"] = users
        if included_tweets:
            includes["tweets"] = included_tweets
        places = []
        for place_id in place_ids:
            place = self.store.place(place_id)
            if place is not None:
                rendered = {"id": place["id"], "full_name": place["full_name"]}
                for name in sorted(place_fields & KNOWN_PLACE_FIELDS):
                    if name in place:
                        rendered[name] = place[name]
                places.append(rendered)
        if places:
            includes["places"] = places
        return includes, errors
