"""`normalise._clean` skips a substitution when its precondition is absent; it must give exactly what applying
every substitution gives."""

from __future__ import annotations

import random
import unicodedata
from importlib import import_module

import pytest

# The module, not the function of the same name that the triage package exports.
n = import_module("triage.normalise")


def clean_applying_everything(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = n._URL.sub(" ", text)
    text = n._MENTION.sub(" ", text)
    text = n._PROGRAM_HASHTAG.sub(" ", text)
    text = text.lower()
    text = n._WORD_WITH_REPEATED_LETTER.sub(n._squeeze, text)
    return n._NOT_WORD.sub(" ", text)


SAMPLES = [
    "",
    "Jalan RUSAKKK parah!!! HTTPS://Example.com/x?a=1 cek WWW.pemkot.go.id",
    "hubungi budi@mail.com atau @DinasPU_Jateng #KEMALAJATENG #JalanRusak",
    "#kemalajatengku bukan tagar program, #KemalaJateng iya",
    "maaf saat pppk www wwwx httpx://bukan-url",
    "Ｊａｌａｎ　ｒｕｓａｋ ＃ＫｅｍａｌａＪａｔｅｎｇ ＠ｂｕｐａｔｉ",
    "İstanbul ß ﬁ 𝐛𝐨𝐥𝐝 rusak2 jalan2 ooooke",
    "emoji 🙏🙏🙏 dan aaa bbb cccc",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_guards_change_nothing(text: str) -> None:
    assert n._clean(text) == clean_applying_everything(text)


def test_guards_change_nothing_on_random_text() -> None:
    rng = random.Random(2016)
    alphabet = "aAbBkK @#.:/wWhHtTpPsS2 İﬁ＠＃🙏_-"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        text = text.replace("KK", "kkk").replace("hh", "http://").replace("ww", "www.")
        assert n._clean(text) == clean_applying_everything(text), text
