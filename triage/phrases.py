"""A token n-gram dictionary: find known phrases in a token list in (almost) linear time.

Keyword rules and the region gazetteer both need "which of these thousands of phrases occur in
this post?". A loop of one regular expression per phrase would cost thousands of scans per post;
instead every phrase is stored as a tuple of tokens, and a first-token table says how long the
longest phrase starting with that token is. A post is then scanned once: at each position only
the lengths that can match are tried, longest first, and the longest match wins (so "jalan
provinsi" is found as itself, not as "jalan" plus "provinsi").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Payload = TypeVar("Payload")

# Indonesian attaches these to nouns and verbs ("jalannya", "rusaklah", "apakah"); a token that is
# not itself known is looked up again without them.
_ENCLITICS = ("nya", "lah", "kah", "pun", "ku", "mu")


@dataclass(frozen=True, slots=True)
class PhraseMatch(Generic[Payload]):
    start: int  # index of the first token
    end: int  # index after the last token
    phrase: tuple[str, ...]
    payloads: tuple[Payload, ...]


class PhraseIndex(Generic[Payload]):
    """Maps token tuples to payloads; finds the longest non-overlapping matches in a token list."""

    def __init__(self, strip_enclitics: bool = False) -> None:
        self._entries: dict[tuple[str, ...], list[Payload]] = {}
        self._longest_from_first: dict[str, int] = {}
        self._known_tokens: set[str] = set()
        self._strip_enclitics = strip_enclitics
        self._frozen: dict[tuple[str, ...], tuple[Payload, ...]] = {}

    def add(self, phrase: Sequence[str], payload: Payload) -> None:
        key = tuple(phrase)
        if not key:
            raise ValueError("an empty phrase can never match")
        self._entries.setdefault(key, []).append(payload)
        self._frozen.pop(key, None)
        first = key[0]
        self._longest_from_first[first] = max(self._longest_from_first.get(first, 0), len(key))
        self._known_tokens.update(key)

    def __contains__(self, phrase: object) -> bool:
        return phrase in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, phrase: tuple[str, ...]) -> tuple[Payload, ...]:
        return self._payloads(phrase) if phrase in self._entries else ()

    @property
    def known_tokens(self) -> frozenset[str]:
        return frozenset(self._known_tokens)

    def _payloads(self, key: tuple[str, ...]) -> tuple[Payload, ...]:
        frozen = self._frozen.get(key)
        if frozen is None:
            frozen = tuple(self._entries[key])
            self._frozen[key] = frozen
        return frozen

    def _lookup_form(self, token: str) -> str:
        if not self._strip_enclitics or token in self._known_tokens:
            return token
        for enclitic in _ENCLITICS:
            if token.endswith(enclitic) and len(token) - len(enclitic) >= 3:
                stem = token[: -len(enclitic)]
                if stem in self._known_tokens:
                    return stem
        return token

    def find(self, tokens: Sequence[str]) -> list[PhraseMatch[Payload]]:
        """Longest non-overlapping matches, left to right."""
        forms: Sequence[str] = (
            [self._lookup_form(token) for token in tokens] if self._strip_enclitics else tokens
        )
        matches: list[PhraseMatch[Payload]] = []
        position = 0
        count = len(forms)
        longest_from_first = self._longest_from_first
        entries = self._entries
        while position < count:
            longest = longest_from_first.get(forms[position], 0)
            matched = 0
            for length in range(min(longest, count - position), 0, -1):
                key = tuple(forms[position : position + length])
                if key in entries:
                    matches.append(PhraseMatch(position, position + length, key, self._payloads(key)))
                    matched = length
                    break
            position += matched or 1
        return matches


def build_index(
    rows: Iterable[tuple[Sequence[str], Payload]], strip_enclitics: bool = False
) -> PhraseIndex[Payload]:
    index: PhraseIndex[Payload] = PhraseIndex(strip_enclitics=strip_enclitics)
    for phrase, payload in rows:
        index.add(phrase, payload)
    return index
