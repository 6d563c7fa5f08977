"""The small interface every platform connector implements.

A connector knows one platform's wire format and nothing about Django: it turns the
platform's pages into `FetchedPost` values and publishes replies. The source runner
(`sources.runner`) stores posts and advances the cursor only after they are committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class FetchedPost:
    """One post as read from a platform, normalised just enough to store it."""

    external_id: str
    text: str
    author_id: str
    author_handle: str
    author_name: str
    created_at: datetime  # timezone-aware, UTC
    url: str
    raw: dict[str, Any]  # the platform's item plus the `includes` entries it references: evidence
    author_location: str | None = None  # free-text profile location
    conversation_id: str | None = None  # the root of the thread on the platform
    in_reply_to_id: str | None = None  # the post this one answers
    repost_of_id: str | None = None  # set for a retweet/boost: support, not a new case
    quote_of_id: str | None = None
    lang: str | None = None
    place_name: str | None = None  # geotag's full name, a weak region signal


@dataclass(frozen=True, slots=True)
class QuarantinedItem:
    """An item the connector could not turn into a post: kept with the reason, never dropped silently."""

    raw: Any
    reason: str
    external_id: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    posts: list[FetchedPost]  # oldest first
    cursor: str | None  # the cursor to store once `posts` are committed; None keeps the old one
    quarantined: list[QuarantinedItem] = field(default_factory=list)
    rate_limit_remaining: int | None = None
    rate_limit_reset: datetime | None = None


@dataclass(frozen=True, slots=True)
class PublishResult:
    external_id: str
    url: str


class ConnectorError(Exception):
    """A platform call failed. `retryable` says whether trying again later can help."""

    def __init__(
        self,
        message: str,
        *,
        retryable: bool = True,
        retry_after: float | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after  # seconds, from the platform's own rate-limit headers
        self.status = status


class RateLimited(ConnectorError):
    pass


class Connector(Protocol):
    platform: str

    def fetch(self, cursor: str | None) -> FetchResult:
        """Read everything newer than `cursor`; raise ConnectorError without side effects on failure."""
        ...

    def publish_reply(
        self, *, in_reply_to_id: str, text: str, credentials: dict[str, str], idempotency_key: str
    ) -> PublishResult:
        """Publish `text` as a reply to `in_reply_to_id` from the account `credentials` belong to."""
        ...
