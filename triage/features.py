"""The features the trained triage models read: the same function at training and at run time.

Training text (LaporGub) is already stemmed and stop-word filtered; text at run time is raw
citizen writing. Both go through the same steps, so the two meet in the middle:

1. :func:`triage.normalise.tokenise` — URLs, mentions and the program hashtag go, other hashtags
   keep their word, repeated letters are squeezed, casing is dropped, common slang is expanded.
2. Stop words (``data/stopwords-id.txt``, stopwords-iso, MIT) and one-letter tokens are dropped,
   and so is every token that carries a digit (house numbers, NIKs, phone numbers, dates: they
   say nothing about the sector and may be personal data).
3. A light Indonesian stemmer (:func:`stem`): particles, possessives, derivational suffixes and
   the common prefixes go, so "kebakaran", "terbakar" and LaporGub's "bakar" share a feature.
4. Features: ``w:`` each stemmed word and ``b:`` each pair of neighbouring stemmed words.
   Character 3- to 5-grams (:func:`char_ngrams`) were measured too and made the model bigger,
   slower and slightly worse on both held-out splits, so they are not used (see MODEL_CARD.md).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import lru_cache

from triage.normalise import DATA_DIR, tokenise

CHAR_NGRAMS = (3, 4, 5)

# Longest first; each strip keeps a stem of at least three letters.
_PARTICLES = ("lah", "kah", "tah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")
_SUFFIXES = ("kan", "an", "i")
# (prefix, what a nasal prefix stands for before the stem's first vowel: "menyapu" -> "sapu").
_PREFIXES = (
    ("meny", "s"),
    ("peny", "s"),
    ("meng", ""),  # "mengurus" -> "urus" (and, wrongly, "mengirim" -> "irim": the n-grams cover it)
    ("peng", ""),
    ("mem", "p"),
    ("pem", "p"),
    ("men", "t"),
    ("pen", "t"),
    ("ber", "r"),  # "berupa" -> "rupa"
    ("per", "r"),  # "perumahan" -> "rumah"
    ("ter", "r"),  # "terasa" -> "rasa"
    ("me", ""),
    ("pe", ""),
    ("be", ""),
    ("di", ""),
    ("ke", ""),
    ("se", ""),
)
_VOWELS = frozenset("aiueo")
_MIN_STEM = 3


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The shipped Indonesian stop words (stopwords-iso, MIT)."""
    text = (DATA_DIR / "stopwords-id.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light, dictionary-free Indonesian stemmer (a small part of Nazief–Adriani).

    It over-stems sometimes ("pelayanan" -> "layan" is right, "perumahan" -> "rumah" is right,
    "beras" -> "ras" would be wrong, hence the three-letter floor and no ``ber`` strip on short
    words); what matters is that training and run-time text are stemmed alike.
    """
    if len(word) <= 4:
        return word
    for ending in _PARTICLES:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM + 2:
            word = word[: -len(ending)]
            break
    for ending in _POSSESSIVES:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM + 2:
            word = word[: -len(ending)]
            break
    for ending in _SUFFIXES:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM + 2:
            word = word[: -len(ending)]
            break
    for _ in range(2):  # "diperbaiki" -> "perbaik" -> "baik"
        stripped = _strip_prefix(word)
        if stripped == word:
            break
        word = stripped
    return word


def _strip_prefix(word: str) -> str:
    for prefix, nasal in _PREFIXES:
        if not word.startswith(prefix):
            continue
        rest = word[len(prefix) :]
        if len(rest) < _MIN_STEM:
            return word
        if rest[0] in _VOWELS:
            return nasal + rest
        if prefix in ("me", "pe") and rest[0] not in "lrwy":
            return word  # "mengapa", "meja", "pesan": not a prefix we can strip safely
        return rest
    return word


def words(text: str) -> list[str]:
    """Steps 1-2 of the module docstring: the content words of ``text``, unstemmed."""
    return content_words(tokenise(text))


def content_words(tokens: Sequence[str]) -> list[str]:
    """Step 2 on tokens that :func:`triage.normalise.tokenise` made."""
    stop = stopwords()
    return [
        token for token in tokens if len(token) > 1 and token not in stop and not any(char.isdigit() for char in token)
    ]


# token -> its stem, or "" when step 2 drops it; bounded like the stemmer's cache, and never
# keyed by a long token (a 25,000-letter "word" is read once, not remembered).
_CONTENT_STEMS: dict[str, str] = {}
_CONTENT_STEMS_LIMIT = 200_000
_CACHED_TOKEN_LENGTH = 40


def _content_stem(token: str) -> str:
    cached = _CONTENT_STEMS.get(token)
    if cached is not None:
        return cached
    keep = len(token) > 1 and token not in stopwords() and not any(char.isdigit() for char in token)
    result = stem(token) if keep else ""
    if len(token) <= _CACHED_TOKEN_LENGTH:
        if len(_CONTENT_STEMS) >= _CONTENT_STEMS_LIMIT:
            _CONTENT_STEMS.clear()
        _CONTENT_STEMS[token] = result
    return result


def analyse(text: str) -> list[str]:
    """All features of ``text`` (with repeats: the vectoriser counts them): stems and stem pairs."""
    return analyse_tokens(tokenise(text))


def analyse_tokens(tokens: Sequence[str]) -> list[str]:
    """:func:`analyse` of a text whose :func:`triage.normalise.tokenise` is ``tokens``: readers that
    already normalised a post for the rules pass the tokens on instead of normalising it again."""
    stems = [item for item in map(_content_stem, tokens) if item]
    features = ["w:" + item for item in stems]
    features.extend(f"b:{first} {second}" for first, second in itertools.pairwise(stems))
    return features


def char_ngrams(text: str) -> list[str]:
    """Character 3- to 5-grams of each content word framed by spaces (measured, not used: see the card)."""
    features: list[str] = []
    for word in words(text):
        framed = f" {word} "
        for size in CHAR_NGRAMS:
            features.extend("c:" + framed[start : start + size] for start in range(len(framed) - size + 1))
    return features
