"""Simulated citizens posting #KemalaJateng to the sandbox's fake X network.

A `CitizenSimulator` drives a store (the fake network) the way a province's citizens would:
a few posts a minute on average, in bursts with exponential gaps; new problems; the same
problem reported by several citizens; retweets and quotes in support; follow-ups in a
citizen's own thread minutes later (days, in real life); answers to an agency's reply; spam
and chatter. Given a seed it is deterministic, and it remembers the label of every top-level
post it made (`labels`), so tests and benchmarks can use it as a labelled source.
"""

from __future__ import annotations

import logging
import random
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any, Protocol

from sandbox import corpus
from sandbox.corpus import CitizenPost

log = logging.getLogger(__name__)

__all__ = ["ACTIONS", "CitizenPost", "CitizenSimulator", "SocialStore", "make_corpus_sample"]


class SocialStore(Protocol):
    """The part of the fake network the simulator uses."""

    def ensure_account(self, username: str, name: str | None = None, location: str | None = None) -> dict[str, Any]:
        """Create the account if new; return it (with its "id")."""
        ...

    def create_post(
        self,
        *,
        username: str,
        text: str,
        in_reply_to_id: str | None = None,
        retweet_of_id: str | None = None,
        quote_of_id: str | None = None,
        place: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Publish as `username`; return the tweet as X API v2 renders it."""
        ...

    def timeline(self, limit: int) -> list[dict[str, Any]]:
        """The newest `limit` tweets, newest first."""
        ...


# What one action can be. `new`, `duplicate`, `spam` and `offtopic` are top-level posts;
# `follow_up` and `answer` are replies; `retweet` and `quote` are support for another post.
ACTIONS = ("new", "duplicate", "retweet", "quote", "follow_up", "answer", "spam", "offtopic")

# The mix of actions. "new" draws from the corpus, which itself yields spam and chatter; the
# others fall back to "new" when there is nothing to act on yet.
_ACTION_WEIGHTS: dict[str, int] = {
    "new": 60,
    "duplicate": 10,
    "retweet": 10,
    "quote": 3,
    "follow_up": 9,
    "answer": 8,
}

# Burst sizes: usually one action, sometimes several at once (a bus of commuters stuck in a flood).
_BURST_SIZES = (1, 2, 3, 4, 6)
_BURST_WEIGHTS = (70, 18, 8, 3, 1)
MEAN_BURST = sum(s * w for s, w in zip(_BURST_SIZES, _BURST_WEIGHTS, strict=True)) / sum(_BURST_WEIGHTS)

_FOLLOW_UP_AFTER_MINUTES = 2.0  # a follow-up comes at least this long after the post it nudges
_MAX_FOLLOW_UPS = 3
_KEEP_THREADS = 400  # recent threads the simulator can still act on
_TIMELINE_WINDOW = 200  # how far back it looks for an agency's replies


@dataclass(slots=True)
class _Citizen:
    username: str
    name: str
    location: str | None
    author_id: str | None = None  # known after the first post


@dataclass(slots=True)
class _Thread:
    """A top-level citizen post and what has happened in its thread since."""

    root_id: str
    last_id: str  # the citizen's latest post in the thread: where a follow-up replies
    citizen: _Citizen
    post: CitizenPost
    at_minute: float
    follow_ups: int = 0
    settled: bool = False  # the citizen thanked the agency: no more nudges


class CitizenSimulator:
    """Citizens posting to `store`, `rate_per_minute` actions a minute on average."""

    def __init__(self, store: SocialStore, *, rate_per_minute: float = 3.0, seed: int | None = None) -> None:
        if rate_per_minute <= 0:
            raise ValueError("rate_per_minute must be positive")
        self.store = store
        self.rate_per_minute = rate_per_minute
        self.rng = random.Random(seed)
        self.minute = 0.0  # simulated clock: minutes since the first burst
        self.next_delay = 0.0  # seconds `run()` waits before the next burst
        self.counts: Counter[str] = Counter()  # actions done, by kind
        self.labels: dict[str, CitizenPost] = {}  # tweet id → intended reading, for top-level posts
        self._citizens: list[_Citizen] = []
        self._spammers: list[_Citizen] = []
        self._usernames: set[str] = set()
        self._author_ids: set[str] = set()
        self._threads: list[_Thread] = []
        self._by_root: dict[str, _Thread] = {}
        self._retweeted: set[tuple[str, str]] = set()  # (username, tweet id)
        self._answered: set[str] = set()  # agency reply ids a citizen has answered

    # ------------------------------------------------------------------ running

    def step(self) -> list[str]:
        """Do one burst of actions at the current simulated minute; return one log line per action."""
        lines: list[str] = []
        try:
            size = self.rng.choices(_BURST_SIZES, weights=_BURST_WEIGHTS)[0]
            for _ in range(size):
                lines.append(self._act())
        finally:
            # Exponential gaps between bursts give Poisson-like arrivals at the requested mean rate.
            gap_minutes = self.rng.expovariate(self.rate_per_minute / MEAN_BURST)
            self.next_delay = gap_minutes * 60.0
            self.minute += gap_minutes
        return lines

    def run(self, stop_event: threading.Event) -> None:
        """Post until `stop_event` is set; a failed burst is logged and the simulation goes on."""
        while not stop_event.is_set():
            try:
                for line in self.step():
                    log.info("citizen %s", line)
            except Exception:
                log.exception("citizen simulator burst failed")
            stop_event.wait(self.next_delay)

    # ------------------------------------------------------------------ actions

    def _act(self) -> str:
        action = self.rng.choices(list(_ACTION_WEIGHTS), weights=list(_ACTION_WEIGHTS.values()))[0]
        handler = {
            "new": self._new,
            "duplicate": self._duplicate,
            "retweet": self._retweet,
            "quote": self._quote,
            "follow_up": self._follow_up,
            "answer": self._answer,
        }[action]
        line = handler()
        if line is None:  # nothing to act on yet, or the post it chose was deleted
            line = self._new()
        self.counts[line.split(" ", 1)[0]] += 1
        return line

    def _new(self) -> str:
        post = corpus.generate_post(self.rng)
        if post.kind == "spam":
            citizen = self._spammer()
            action = "spam"
        else:
            citizen = self._citizen()
            action = "offtopic" if post.kind == "other" else "new"
        return self._publish_root(action, citizen, post)

    def _duplicate(self) -> str | None:
        candidates = [t for t in self._threads if t.post.kind == "complaint" and t.post.place is not None]
        if not candidates:
            return None
        original = self.rng.choice(candidates[-60:])
        post = corpus.generate_same_problem(self.rng, original.post)
        citizen = self._citizen(avoid=original.citizen)
        return self._publish_root("duplicate", citizen, post, of=original.root_id)

    def _retweet(self) -> str | None:
        candidates = [t for t in self._threads[-60:] if t.post.kind in ("complaint", "suggestion")]
        if not candidates:
            return None
        thread = self.rng.choice(candidates)
        citizen = self._citizen(avoid=thread.citizen, regular=0.6)
        if (citizen.username, thread.root_id) in self._retweeted:
            return None
        tweet = self._post_in(thread, citizen, text="", retweet_of_id=thread.root_id)
        if tweet is None:
            return None
        self._retweeted.add((citizen.username, thread.root_id))
        return f"retweet {tweet['id']} @{citizen.username}: of {thread.root_id}"

    def _quote(self) -> str | None:
        candidates = [t for t in self._threads[-60:] if t.post.kind == "complaint"]
        if not candidates:
            return None
        thread = self.rng.choice(candidates)
        citizen = self._citizen(avoid=thread.citizen, regular=0.5)
        text = corpus.generate_support(self.rng)
        tweet = self._post_in(thread, citizen, text=text, quote_of_id=thread.root_id)
        if tweet is None:
            return None
        return f"quote {tweet['id']} @{citizen.username}: {_short(text)} (of {thread.root_id})"

    def _follow_up(self) -> str | None:
        candidates = [
            t
            for t in self._threads
            if t.post.kind in ("complaint", "question")
            and not t.settled
            and t.follow_ups < _MAX_FOLLOW_UPS
            and self.minute - t.at_minute >= _FOLLOW_UP_AFTER_MINUTES
        ]
        if not candidates:
            return None
        thread = self.rng.choice(candidates)
        text = self._maybe_tag(corpus.generate_follow_up(self.rng, thread.post), 0.5)
        tweet = self._post_in(thread, thread.citizen, text=text, in_reply_to_id=thread.last_id)
        if tweet is None:
            return None
        thread.last_id = tweet["id"]
        thread.follow_ups += 1
        return f"follow_up {tweet['id']} @{thread.citizen.username}: {_short(text)} (in {thread.root_id})"

    def _answer(self) -> str | None:
        """Answer an agency's reply in a citizen's thread: thanks, or "not fixed yet"."""
        if not self._by_root:
            return None
        for tweet in reversed(self.store.timeline(_TIMELINE_WINDOW)):  # oldest first
            thread = self._by_root.get(str(tweet.get("conversation_id")))
            tweet_id = str(tweet["id"])
            if (
                thread is None
                or tweet_id == thread.root_id
                or tweet_id in self._answered
                or str(tweet.get("author_id")) in self._author_ids
                or any(ref.get("type") == "retweeted" for ref in tweet.get("referenced_tweets", []))
            ):
                continue
            satisfied = self.rng.random() < 0.55
            text = self._maybe_tag(corpus.generate_agency_answer_reply(self.rng, satisfied), 0.3)
            self._answered.add(tweet_id)
            reply = self._post_in(thread, thread.citizen, text=text, in_reply_to_id=tweet_id)
            if reply is None:
                return None
            thread.last_id = reply["id"]
            thread.settled = satisfied
            return f"answer {reply['id']} @{thread.citizen.username}: {_short(text)} (to {tweet_id})"
        return None

    # ------------------------------------------------------------------ helpers

    def _publish_root(self, action: str, citizen: _Citizen, post: CitizenPost, *, of: str | None = None) -> str:
        place = None
        if post.place is not None and self.rng.random() < 0.2:
            place = corpus.geotag(self.rng, post.place.kabkota)
        tweet = self._post(citizen, text=post.text, place=place)
        tweet_id = str(tweet["id"])
        self.labels[tweet_id] = post
        if post.kind not in ("spam", "other"):
            thread = _Thread(tweet_id, tweet_id, citizen, post, self.minute)
            self._threads.append(thread)
            self._by_root[tweet_id] = thread
            if len(self._threads) > _KEEP_THREADS:
                self._forget(self._threads[0])
        same = f" (same as {of})" if of else ""
        return f"{action} {tweet_id} @{citizen.username}: {_short(post.text)}{same}"

    def _post(self, citizen: _Citizen, *, text: str, **refs: Any) -> dict[str, Any]:
        if citizen.author_id is None:
            account = self.store.ensure_account(citizen.username, citizen.name, citizen.location)
            citizen.author_id = str(account["id"]) if account.get("id") is not None else None
        tweet = self.store.create_post(username=citizen.username, text=text, **refs)
        citizen.author_id = str(tweet["author_id"])
        self._author_ids.add(citizen.author_id)
        return tweet

    def _post_in(self, thread: _Thread, citizen: _Citizen, *, text: str, **refs: Any) -> dict[str, Any] | None:
        """Post with a reference into `thread`; forget the thread if the store says its posts are gone."""
        try:
            return self._post(citizen, text=text, **refs)
        except KeyError:  # the store raises KeyError for a deleted or unknown target
            self._forget(thread)
            return None

    def _forget(self, thread: _Thread) -> None:
        if thread in self._threads:
            self._threads.remove(thread)
        self._by_root.pop(thread.root_id, None)

    def _citizen(self, *, avoid: _Citizen | None = None, regular: float = 0.3) -> _Citizen:
        """A citizen who has posted before (with probability `regular`) or a new one."""
        if self.rng.random() < regular and len(self._citizens) > 1:
            citizen = self.rng.choice(self._citizens)
            if citizen is not avoid:
                return citizen
        citizen = self._new_account(corpus.generate_persona(self.rng))
        self._citizens.append(citizen)
        return citizen

    def _spammer(self) -> _Citizen:
        if self._spammers and self.rng.random() < 0.6:
            return self.rng.choice(self._spammers)
        spammer = self._new_account(corpus.generate_spammer(self.rng))
        self._spammers.append(spammer)
        return spammer

    def _new_account(self, persona: tuple[str, str, str | None]) -> _Citizen:
        username, name, location = persona
        base, suffix = username, 1
        while username.lower() in self._usernames:
            suffix += 1
            tail = str(suffix)
            username = base[: 15 - len(tail)] + tail
        self._usernames.add(username.lower())
        return _Citizen(username, name, location)

    def _maybe_tag(self, text: str, probability: float) -> str:
        """Replies carry the program hashtag only sometimes, as on the real platform."""
        if self.rng.random() < probability:
            return f"{text} {corpus.program_hashtag(self.rng)}"
        return text


def _short(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def make_corpus_sample(n: int, seed: int) -> list[CitizenPost]:
    """`n` labelled top-level posts, the same for the same seed: a benchmark set without a store."""
    rng = random.Random(seed)
    return [corpus.generate_post(rng) for _ in range(n)]
