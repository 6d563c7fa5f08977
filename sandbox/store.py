"""The sandbox's social network: accounts and posts, in memory, optionally saved to a JSON file.

Objects are kept in the exact shape X API v2 returns them (PLATFORMS.md §1.2), so the HTTP
layer only has to pick fields. Every public method takes the lock and returns deep copies, so
the simulator thread, the HTTP threads and the tests never see a half-made post.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import tempfile
import threading
from bisect import bisect_left
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sandbox import xtext

SANDBOX_APP_BEARER = "sandbox-app-bearer"

# X's snowflake epoch (2010-11-04). Ids made from the clock look and sort like real ones and
# are 19 digits for any date after 2022.
TWEPOCH_MS = 1288834974657
# X caps handles at 15 characters; the sandbox takes up to 30 because Kemala's demo derives
# agency handles from agency names, and refusing them would stop `make run` from starting.
_USERNAME_RE = re.compile(r"^[A-Za-z0-9_]{1,30}$")
_RETWEET_MAX = 140  # v2 gives a retweet's text as "RT @user: " plus the original, cut like this
_STATE_VERSION = 1

# Post states. A superseded post is an older version of an edited post: X still serves it by
# id, but search and timelines show only the latest version.
LIVE, SUPERSEDED, DELETED = "live", "superseded", "deleted"


def format_time(moment: datetime) -> str:
    """X's created_at: RFC 3339 in UTC with milliseconds."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def user_token(username: str) -> str:
    """The user-context token of a sandbox account, as the account was first spelled."""
    return f"sandbox-user-{username}"


class SandboxStore:
    """Thread-safe state of the fake network. `state_path` makes it survive restarts."""

    def __init__(
        self,
        state_path: str | os.PathLike[str] | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.state_path = Path(state_path) if state_path is not None else None
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self._lock = threading.RLock()
        self._accounts: dict[str, dict[str, Any]] = {}  # lower-cased username -> account
        # lower-cased username -> id, kept as accounts are made: every post's mentions are resolved with it
        self._ids_by_username: dict[str, str] = {}
        self._accounts_by_id: dict[str, str] = {}  # id -> lower-cased username
        self._tweets: dict[str, dict[str, Any]] = {}
        self._status: dict[str, str] = {}
        self._order: list[str] = []  # every post id, ascending; ids only grow, so appending keeps it sorted
        self._places: dict[str, dict[str, Any]] = {}
        self._last_id = 0
        self._next_user_id = 1_500_000_001
        if self.state_path is not None and self.state_path.exists():
            self._load(self.state_path)

    # ------------------------------------------------------------------ accounts

    def ensure_account(self, username: str, name: str | None = None, location: str | None = None) -> dict:
        """Return the account, creating it (with token `sandbox-user-<username>`) if needed."""
        if not _USERNAME_RE.match(username):
            raise ValueError(f"usernames are 1-30 letters, digits or underscores: {username!r}")
        with self._lock:
            key = username.lower()
            account = self._accounts.get(key)
            if account is None:
                account = {
                    "id": str(self._next_user_id),
                    "username": username,
                    "name": name or username,
                    "created_at": format_time(self.clock()),
                    "token": user_token(username),
                }
                if location:
                    account["location"] = location
                self._next_user_id += 1
                self._accounts[key] = account
                self._accounts_by_id[account["id"]] = key
                self._ids_by_username[key] = account["id"]
                self._save()
            else:
                changed = False
                if name is not None and account["name"] != name:
                    account["name"] = name
                    changed = True
                if location is not None and account.get("location") != location:
                    account["location"] = location
                    changed = True
                if changed:
                    self._save()
            return copy.deepcopy(account)

    def account(self, username: str) -> dict | None:
        with self._lock:
            account = self._accounts.get(username.lower())
            return copy.deepcopy(account) if account else None

    def account_by_id(self, user_id: str) -> dict | None:
        with self._lock:
            key = self._accounts_by_id.get(user_id)
            return copy.deepcopy(self._accounts[key]) if key else None

    def account_for_token(self, token: str) -> dict | None:
        with self._lock:
            for account in self._accounts.values():
                if account["token"] == token:
                    return copy.deepcopy(account)
            return None

    def accounts(self) -> list[dict]:
        with self._lock:
            return [copy.deepcopy(a) for a in self._accounts.values()]

    # ------------------------------------------------------------------ posts

    def create_post(
        self,
        *,
        username: str,
        text: str,
        in_reply_to_id: str | None = None,
        retweet_of_id: str | None = None,
        quote_of_id: str | None = None,
        place: dict | None = None,
    ) -> dict:
        """Post as `username` (created if new). Raises KeyError for an unknown or deleted target."""
        with self._lock:
            if username.lower() not in self._accounts:
                self.ensure_account(username)
            author = self._accounts[username.lower()]
            now = self.clock()
            tweet_id = self._new_id(now)
            tweet: dict[str, Any] = {
                "id": tweet_id,
                "author_id": author["id"],
                "created_at": format_time(now),
            }
            referenced: list[dict[str, str]] = []
            conversation_id = tweet_id

            if retweet_of_id is not None:
                original = self._visible(retweet_of_id)
                # Retweeting a retweet retweets the original, as on X.
                for ref in original.get("referenced_tweets", []):
                    if ref["type"] == "retweeted":
                        original = self._visible(ref["id"])
                orig_author = self._accounts[self._accounts_by_id[original["author_id"]]]
                full = original.get("note_tweet", {}).get("text", original["text"])
                text = f"RT @{orig_author['username']}: {full}"
                if len(text) > _RETWEET_MAX:
                    text = text[: _RETWEET_MAX - 1] + "…"
                referenced.append({"type": "retweeted", "id": original["id"]})
                original["public_metrics"]["retweet_count"] += 1
            else:
                text = xtext.normalise(text)
                if not text.strip():
                    raise ValueError("a post needs text")
                if in_reply_to_id is not None:
                    parent = self._visible(in_reply_to_id)
                    conversation_id = parent["conversation_id"]
                    tweet["in_reply_to_user_id"] = parent["author_id"]
                    referenced.append({"type": "replied_to", "id": parent["id"]})
                    parent["public_metrics"]["reply_count"] += 1
                if quote_of_id is not None:
                    quoted = self._visible(quote_of_id)
                    referenced.append({"type": "quoted", "id": quoted["id"]})
                    quoted["public_metrics"]["quote_count"] += 1

            tweet["conversation_id"] = conversation_id
            tweet["lang"] = "in"
            tweet["edit_history_tweet_ids"] = [tweet_id]
            tweet["public_metrics"] = {
                "retweet_count": 0,
                "reply_count": 0,
                "like_count": 0,
                "quote_count": 0,
                "bookmark_count": 0,
                "impression_count": 0,
            }
            if referenced:
                tweet["referenced_tweets"] = referenced
            if place:
                tweet["geo"] = self._attach_place(place)
            self._set_text(tweet, text)
            self._tweets[tweet_id] = tweet
            self._status[tweet_id] = LIVE
            self._order.append(tweet_id)
            self._save()
            return copy.deepcopy(tweet)

    def edit_post(self, tweet_id: str, new_text: str) -> dict:
        """X edit: a new post with a new id; every version lists the whole edit history."""
        with self._lock:
            old = self._visible(tweet_id)
            if self._status[tweet_id] != LIVE:
                raise ValueError("only the latest version of a post can be edited")
            if any(ref["type"] == "retweeted" for ref in old.get("referenced_tweets", [])):
                raise ValueError("a retweet cannot be edited")
            now = self.clock()
            new_id = self._new_id(now)
            new = copy.deepcopy(old)
            new["id"] = new_id
            new["created_at"] = format_time(now)
            new.pop("note_tweet", None)
            self._set_text(new, xtext.normalise(new_text))
            history = [*old["edit_history_tweet_ids"], new_id]
            for version_id in history[:-1]:
                self._tweets[version_id]["edit_history_tweet_ids"] = list(history)
                self._status[version_id] = SUPERSEDED
            new["edit_history_tweet_ids"] = list(history)
            self._tweets[new_id] = new
            self._status[new_id] = LIVE
            self._order.append(new_id)
            self._save()
            return copy.deepcopy(new)

    def delete_post(self, tweet_id: str) -> bool:
        """Delete a post (all its versions, and retweets of it, as X does). False if unknown."""
        with self._lock:
            tweet = self._tweets.get(tweet_id)
            if tweet is None or self._status[tweet_id] == DELETED:
                return False
            doomed = set(tweet["edit_history_tweet_ids"])
            for other_id, other in self._tweets.items():
                if any(
                    ref["type"] == "retweeted" and ref["id"] in doomed for ref in other.get("referenced_tweets", [])
                ):
                    doomed.add(other_id)
            for doomed_id in doomed:
                self._status[doomed_id] = DELETED
            self._save()
            return True

    def get(self, tweet_id: str) -> dict | None:
        """Any version that is not deleted (X serves old versions of edited posts by id)."""
        with self._lock:
            tweet = self._tweets.get(tweet_id)
            if tweet is None or self._status[tweet_id] == DELETED:
                return None
            return copy.deepcopy(tweet)

    def is_latest(self, tweet_id: str) -> bool:
        with self._lock:
            return self._status.get(tweet_id) == LIVE

    def timeline(self, limit: int = 100) -> list[dict]:
        """Latest versions of live posts, newest first."""
        with self._lock:
            return [copy.deepcopy(t) for t in self._live_newest_first()[:limit]]

    def search(
        self,
        match: Callable[[dict[str, Any]], bool],
        *,
        limit: int,
        since_id: int | None = None,
        until_id: int | None = None,
        not_before: datetime | None = None,
    ) -> list[dict]:
        """Up to `limit` live posts, newest first, with since_id < id < until_id, created at or
        after `not_before`, for which `match` is true. Only the matches are copied, so a search
        costs little even with a long timeline."""
        found: list[dict] = []
        with self._lock:
            # Ids only grow (`_new_id`), so `_order` is sorted: start below until_id by bisection instead of
            # walking down from the newest post (a backlog read of an old range walked the whole timeline).
            start = len(self._order) if until_id is None else bisect_left(self._order, until_id, key=int)
            for index in range(start - 1, -1, -1):
                tweet_id = self._order[index]
                number = int(tweet_id)
                if since_id is not None and number <= since_id:
                    break
                if self._status[tweet_id] != LIVE:
                    continue
                tweet = self._tweets[tweet_id]
                if not_before is not None and parse_time(tweet["created_at"]) < not_before:
                    break
                if match(tweet):
                    found.append(copy.deepcopy(tweet))
                    if len(found) >= limit:
                        break
        return found

    def thread(self, conversation_id: str) -> list[dict]:
        """Live posts of one conversation, oldest first."""
        with self._lock:
            posts = [t for t in self._live_newest_first() if t["conversation_id"] == conversation_id]
            return [copy.deepcopy(t) for t in reversed(posts)]

    def place(self, place_id: str) -> dict | None:
        with self._lock:
            place = self._places.get(place_id)
            return copy.deepcopy(place) if place else None

    def snapshot(self) -> dict[str, Any]:
        """Everything, as saved to disk (tokens included: it is the sandbox's own file)."""
        with self._lock:
            return copy.deepcopy(
                {
                    "version": _STATE_VERSION,
                    "last_id": str(self._last_id),
                    "next_user_id": self._next_user_id,
                    "accounts": list(self._accounts.values()),
                    "tweets": [{"tweet": t, "status": self._status[i]} for i, t in self._tweets.items()],
                    "places": list(self._places.values()),
                }
            )

    # ------------------------------------------------------------------ internals

    def _new_id(self, now: datetime) -> str:
        # Snowflake from the clock; never repeat or go backwards, even if the clock does.
        candidate = (int(now.timestamp() * 1000) - TWEPOCH_MS) << 22
        self._last_id = max(candidate, self._last_id + 1)
        return str(self._last_id)

    def _visible(self, tweet_id: str) -> dict[str, Any]:
        tweet = self._tweets.get(str(tweet_id))
        if tweet is None or self._status[str(tweet_id)] == DELETED:
            raise KeyError(f"no such post: {tweet_id}")
        return tweet

    def _live_newest_first(self) -> list[dict[str, Any]]:
        return [self._tweets[i] for i in reversed(self._order) if self._status[i] == LIVE]

    def _set_text(self, tweet: dict[str, Any], text: str) -> None:
        user_ids = self._ids_by_username
        if xtext.weighted_length(text) > xtext.MAX_WEIGHTED_LENGTH:
            # A long post (X Premium): `text` is cut, the whole text is in `note_tweet`.
            short = text[:270].rstrip() + "…"
            tweet["text"] = short
            tweet["note_tweet"] = {"text": text}
            long_entities = xtext.extract_entities(text, user_ids)
            if long_entities:
                tweet["note_tweet"]["entities"] = long_entities
            text = short
        else:
            tweet["text"] = text
        entities = xtext.extract_entities(text, user_ids)
        if entities:
            tweet["entities"] = entities
        else:
            tweet.pop("entities", None)

    def _attach_place(self, place: dict) -> dict[str, Any]:
        full_name = str(place.get("full_name") or place.get("name") or "Indonesia")
        place_id = str(place.get("id") or hashlib.sha1(full_name.encode()).hexdigest()[:16])  # noqa: S324
        stored: dict[str, Any] = {
            "id": place_id,
            "full_name": full_name,
            "name": str(place.get("name") or full_name.split(",")[0]),
            "country": str(place.get("country") or "Indonesia"),
            "country_code": str(place.get("country_code") or "ID"),
            "place_type": str(place.get("place_type") or "city"),
        }
        if "geo" in place:
            stored["geo"] = place["geo"]
        elif "bbox" in place:
            stored["geo"] = {"type": "Feature", "bbox": list(place["bbox"]), "properties": {}}
        self._places[place_id] = stored
        geo: dict[str, Any] = {"place_id": place_id}
        if "coordinates" in place:  # [lon, lat], as GeoJSON and X order them
            geo["coordinates"] = {"type": "Point", "coordinates": list(place["coordinates"])}
        return geo

    def _save(self) -> None:
        if self.state_path is None:
            return
        data = json.dumps(self.snapshot(), ensure_ascii=False, separators=(",", ":"))
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        # Write a sibling temp file and rename it over the old one: a crash mid-write leaves
        # the previous state, never half a file.
        fd, tmp = tempfile.mkstemp(prefix=".sandbox-", suffix=".json", dir=self.state_path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.state_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _load(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != _STATE_VERSION:
            raise ValueError(f"{path}: unknown sandbox state version {data.get('version')!r}")
        self._last_id = int(data["last_id"])
        self._next_user_id = int(data["next_user_id"])
        for account in data["accounts"]:
            key = account["username"].lower()
            self._accounts[key] = account
            self._accounts_by_id[account["id"]] = key
            self._ids_by_username[key] = account["id"]
        for entry in data["tweets"]:
            tweet = entry["tweet"]
            self._tweets[tweet["id"]] = tweet
            self._status[tweet["id"]] = entry["status"]
        for place in data["places"]:
            self._places[place["id"]] = place
        self._order = sorted(self._tweets, key=int)
