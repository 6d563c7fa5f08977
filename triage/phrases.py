"""A token n-gram dictionary: find known phrases in a token list in (almost) linear time.

Keyword rules and the region gazetteer both need "which of these thousands of phrases occur in
this post?". A loop of one regular expression per phrase would cost thousands of scans per post;
instead every phrase is stored as a tuple of tokens, and a first-token table says how long the
longest phrase starting with that token is. A post is then scanned once: at each position only
the lengths that can match are tried, longest first, and the longest match wins (so "jalan
provinsi" is found as itself, not as "jalan" plus "provinsi").

:class:`StemCache` lets keyword lookups see through enclitics ("jalannya" -> "jalan").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Payload = TypeVar("Payload")

# Indonesian attaches these to nouns and verbs ("jalannya", "rusaklah", "apakah"); a token that is
# not itself known is looked up again without them.
ENCLITICS = ("nya", "lah", "kah", "pun", "ku", "mu")


@dataclass(frozen=True, slots=True)
class PhraseMatch(Generic[Payload]):
    start: int  # index of the first token
    end: int  # index after the last token
    phrase: tuple[str, ...]
    payloads: tuple[Payload, ...]


class PhraseIndex(Generic[Payload]):
    """Maps token tuples to payloads; finds the longest non-overlapping matches in a token list."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, ...], tuple[Payload, ...]] = {}
        self._longest_from_first: dict[str, int] = {}

    def add(self, phrase: Sequence[str], payload: Payload) -> None:
        key = tuple(phrase)
        if not key:
            raise ValueError("an empty phrase can never match")
        self._entries[key] = (*self._entries.get(key, ()), payload)
        first = key[0]
        self._longest_from_first[first] = max(self._longest_from_first.get(first, 0), len(key))

    def __contains__(self, phrase: object) -> bool:
        return phrase in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def vocabulary(self) -> set[str]:
        return {token for phrase in self._entries for token in phrase}

    def find(self, tokens: Sequence[str]) -> list[PhraseMatch[Payload]]:
        """Longest non-overlapping matches, left to right."""
        matches: list[PhraseMatch[Payload]] = []
        longest_from_first = self._longest_from_first
        entries = self._entries
        count = len(tokens)
        position = 0
        while position < count:
            longest = longest_from_first.get(tokens[position], 0)
            if not longest:
                position += 1
                continue
            matched = 0
            for length in range(min(longest, count - position), 0, -1):
                key = tuple(tokens[position : position + length])
                payloads = entries.get(key)
                if payloads is not None:
                    matches.append(PhraseMatch(position, position + length, key, payloads))
                    matched = length
                    break
            position += matched or 1
        return matches


class StemCache:
    """Maps a token to the form the keyword indexes know: itself, or itself minus an enclitic.

    Built from the keyword vocabulary; remembers its answers (bounded) because the same few
    thousand words make up almost every post.
    """

    _LIMIT = 200_000

    def __init__(self, vocabulary: set[str]) -> None:
        self._vocabulary = frozenset(vocabulary)
        self._cache: dict[str, str] = {}

    def form(self, token: str) -> str:
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        result = token
        if token not in self._vocabulary:
            for enclitic in ENCLITICS:
                if token.endswith(enclitic) and len(token) - len(enclitic) >= 3:
                    stem = token[: -len(enclitic)]
                    if stem in self._vocabulary:
                        result = stem
                        break
        if len(self._cache) >= self._LIMIT:
            self._cache.clear()
        self._cache[token] = result
        return result

    def forms(self, tokens: Sequence[str]) -> list[str]:
        return [self.form(token) for token in tokens]
