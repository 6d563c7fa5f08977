"""X text rules the fake needs: entity extraction and weighted length.

An approximation of twitter-text (PLATFORMS.md §1.2, §1.4), good enough that the connector
and the reply outbox meet the same shapes and limits they will meet on X. Indices are Unicode
code points, which is what Python string indices already are.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

MAX_WEIGHTED_LENGTH = 280
URL_WEIGHT = 23

# A hashtag starts after a non-word character (or the start), may use the full-width sign, and
# must contain at least one non-digit, as twitter-text requires ("#2026" is not a hashtag).
_HASHTAG_RE = re.compile(r"(?<![\w&#＃])[#＃](?P<tag>\w*[^\W\d]\w*)", re.UNICODE)
# 30, not X's 15, to match the sandbox's lenient handles (see store._USERNAME_RE).
_MENTION_RE = re.compile(r"(?<![\w@＠!#$%&*])[@＠](?P<username>[A-Za-z0-9_]{1,30})(?![A-Za-z0-9_@＠])")
_URL_RE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING_URL_PUNCT = ".,;:!?)]}'\""

# twitter-text v3 config: these code point ranges weigh 1, everything else weighs 2.
_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
# Joiners and modifiers that make one emoji out of several code points; counting them again
# would make every family or skin-tone emoji look far longer than X counts it.
_ZERO_WEIGHT = {0x200D, 0xFE0E, 0xFE0F} | set(range(0x1F3FB, 0x1F400))


def normalise(text: str) -> str:
    """X stores text NFC-normalised."""
    return unicodedata.normalize("NFC", text)


def _url_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _URL_RE.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in _TRAILING_URL_PUNCT:
            end -= 1
        spans.append((match.start(), end))
    return spans


def weighted_length(text: str) -> int:
    """Count like X: URLs 23, Latin/punctuation 1, emoji/CJK/other scripts 2."""
    text = normalise(text)
    total = 0
    position = 0
    for start, end in _url_spans(text):
        total += _weigh(text[position:start]) + URL_WEIGHT
        position = end
    return total + _weigh(text[position:])


def _weigh(chunk: str) -> int:
    total = 0
    for char in chunk:
        point = ord(char)
        if point in _ZERO_WEIGHT:
            continue
        total += 1 if any(low <= point <= high for low, high in _LIGHT_RANGES) else 2
    return total


def extract_entities(text: str, user_ids: dict[str, str] | None = None) -> dict[str, Any]:
    """Entities as X v2 returns them; `user_ids` maps lower-cased usernames to ids for mentions."""
    user_ids = user_ids or {}
    url_spans = _url_spans(text)

    def inside_url(index: int) -> bool:
        return any(start <= index < end for start, end in url_spans)

    entities: dict[str, Any] = {}
    hashtags = [
        {"start": m.start(), "end": m.end(), "tag": m.group("tag")}
        for m in _HASHTAG_RE.finditer(text)
        if not inside_url(m.start())
    ]
    mentions = []
    for m in _MENTION_RE.finditer(text):
        if inside_url(m.start()):
            continue
        mention: dict[str, Any] = {"start": m.start(), "end": m.end(), "username": m.group("username")}
        user_id = user_ids.get(m.group("username").lower())
        if user_id is not None:
            mention["id"] = user_id
        mentions.append(mention)
    urls = [
        {
            "start": start,
            "end": end,
            "url": text[start:end],
            "expanded_url": text[start:end],
            "display_url": re.sub(r"^https?://", "", text[start:end])[:30],
        }
        for start, end in url_spans
    ]
    if hashtags:
        entities["hashtags"] = hashtags
    if mentions:
        entities["mentions"] = mentions
    if urls:
        entities["urls"] = urls
    return entities
