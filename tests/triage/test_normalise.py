"""normalise(): what every other triage rule reads."""

from __future__ import annotations

import pytest

from triage import normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jalan RUSAK", "jalan rusak"),
        ("rusakkkk parahhh", "rusak parah"),  # stretched letters squeezed
        ("maaf, saat ini", "maaf saat ini"),  # real double letters kept
        ("#KemalaJateng jalan rusak", "jalan rusak"),  # the program hashtag says nothing
        ("#kemalajateng jalan", "jalan"),
        ("#jalanrusak di sini", "jalanrusak di sini"),  # other hashtags keep their word
        ("@ganjarpranowo @humasjateng tolong", "tolong"),  # mentions removed
        ("cek https://t.co/AbC123 dan www.contoh.go.id ya", "cek dan ya"),  # URLs removed
        ("jln rusak gk dibenerin", "jalan rusak tidak dibenerin"),  # slang expanded
        (
            "yg dgn udh blm tdk sdh krn utk tp sy bs lg",
            "yang dengan sudah belum tidak sudah karena untuk tapi saya bisa lagi",
        ),
        ("makasih min", "terima kasih min"),  # one word may stand for two
        ("dalane durung didandani", "jalan belum didandani"),  # Javanese
        ("rusak2 semua", "rusak semua"),  # reduplication digit
        ("jalan-rusak!!!(parah)", "jalan rusak parah"),  # punctuation to spaces
        ("ＪＡＬＡＮ 𝐑𝐔𝐒𝐀𝐊", "jalan rusak"),  # full-width and mathematical letters (NFKC)
        ("PPPK honorer", "pppk honorer"),  # an acronym with a tripled letter is not "stretched"
        ("", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_email_is_not_taken_for_a_mention() -> None:
    assert normalise("kirim ke budi@example.com") == "kirim ke budi example com"


def test_ambiguous_slang_is_left_alone() -> None:
    # "smg" is "semoga" or "Semarang", "kk" is "kakak" or "kartu keluarga": the region matcher and
    # the keyword rules decide from context, so normalise() must not guess.
    assert normalise("smg kk sd") == "smg kk sd"


@pytest.mark.parametrize(
    "text",
    ["\x00\x00", "\ud800 lone surrogate", "مرحبا بالعالم", "😀" * 100, "<script>alert(1)</script>", " \n\t "],
)
def test_normalise_never_fails(text: str) -> None:
    result = normalise(text)
    assert isinstance(result, str)
    assert "  " not in result
    assert result == result.strip()
