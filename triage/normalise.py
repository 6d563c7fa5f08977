"""Text normalisation for informal Indonesian (and common Javanese) social-media posts.

Every other part of triage reads the *normalised* text, so this module decides what a "word" is:

1. Unicode NFKC, so full-width letters and the "𝐛𝐨𝐥𝐝" letters spammers use become plain ASCII.
2. URLs and @mentions are removed (they name accounts, not problems); e-mail addresses are not
   mentions and are left to the punctuation step.
3. The program hashtag ``#KemalaJateng`` is removed (every post has it, it says nothing); other
   hashtags keep their word (``#jalanrusak`` -> ``jalanrusak``).
4. Lower case; runs of three or more identical letters squeezed to one (``rusakkkk`` -> ``rusak``;
   legitimate doubles such as ``maaf`` or ``saat`` are kept); the reduplication digit is dropped
   (``rusak2`` -> ``rusak``).
5. Everything that is not a letter or digit becomes a space.
6. Informal words are expanded from ``data/slang-id.txt`` (written for this project).

The result is the tokens joined by single spaces.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

PROGRAM_HASHTAG = "kemalajateng"

_URL = re.compile(r"(?:https?://|www\.)\S*", re.IGNORECASE)
# A mention starts an account name; "budi@mail.com" is an address, not a mention, hence the
# look-behind that refuses a word character or a dot before the "@".
_MENTION = re.compile(r"(?<![\w.])@\w+")
_PROGRAM_HASHTAG = re.compile(r"#" + PROGRAM_HASHTAG + r"\b", re.IGNORECASE)
_WORD_WITH_REPEATED_LETTER = re.compile(r"[a-z]*([a-z])\1{2,}[a-z]*")
_REPEATED_LETTER = re.compile(r"([a-z])\1{2,}")
# Acronyms that really have a letter three times; squeezing would turn "pppk" into "pk".
_KEEP_REPEATED = frozenset({"pppk", "www"})
_NOT_WORD = re.compile(r"[\W_]+")
_REDUPLICATION = re.compile(r"^([a-z]{2,})2$")


@lru_cache(maxsize=1)
def slang_map() -> dict[str, tuple[str, ...]]:
    """Informal word -> the standard word(s) it stands for, loaded once."""
    mapping: dict[str, tuple[str, ...]] = {}
    text = (DATA_DIR / "slang-id.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        informal, _, standard = line.partition("\t")
        if informal and standard:
            mapping[informal.strip()] = tuple(standard.split())
    return mapping


def _squeeze(match: re.Match[str]) -> str:
    word = match.group()
    return word if word in _KEEP_REPEATED else _REPEATED_LETTER.sub(r"\1", word)


def _clean(text: str) -> str:
    """Steps 1-5 of the module docstring: the text as lower-case words and spaces."""
    if not text.isascii():  # NFKC cannot change ASCII, and most posts are ASCII
        text = unicodedata.normalize("NFKC", text)
    # Each substitution only when its cheap precondition holds: most posts have no URL, some no mention,
    # few a squeezable letter run, and the word-level squeeze is the dearest pattern of a reading.
    # (The three removal patterns ignore case, so looking in the lower-cased text finds the same.)
    lowered = text.lower()
    if "http" in lowered or "www." in lowered:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _MENTION.sub(" ", text)
    if "#" in text:
        text = _PROGRAM_HASHTAG.sub(" ", text)
    text = text.lower()
    if _REPEATED_LETTER.search(text):
        text = _WORD_WITH_REPEATED_LETTER.sub(_squeeze, text)
    return _NOT_WORD.sub(" ", text)


def tokenise(text: str) -> list[str]:
    """The normalised tokens of ``text`` (see the module docstring)."""
    slang = slang_map()
    tokens: list[str] = []
    for word in _clean(text).split():
        if word[-1] == "2":
            reduplicated = _REDUPLICATION.match(word)
            if reduplicated:
                word = reduplicated.group(1)
        expansion = slang.get(word)
        if expansion is None:
            tokens.append(word)
        else:
            tokens.extend(expansion)
    return tokens


def normalise(text: str) -> str:
    """Lower-case, de-slanged, punctuation-free form of a post; see the module docstring."""
    return " ".join(tokenise(text))
