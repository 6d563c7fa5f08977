"""Personal data: NIK, phone and e-mail spans point into the original text; masking keeps none of it.

Every number and address here is invented (NIK-shaped test values, example.com addresses).
"""

from __future__ import annotations

import itertools
import re

import pytest

from triage import PiiSpan, find_pii, mask_pii
from triage.pii import EMAIL_MASK, NIK_MASK, PHONE_MASK, is_plausible_nik


def _found(text: str) -> list[tuple[str, str]]:
    return [(span.kind, text[span.start : span.end]) for span in find_pii(text)]


@pytest.mark.parametrize(
    "nik",
    [
        "3374011203850001",  # Kota Semarang, born 12-03-85
        "3374015203850001",  # the same date for a woman: day + 40
        "1171013112990002",  # Aceh, 31 December
        "9601010101010001",  # a 2022 Papua province code
    ],
)
def test_plausible_nik_is_found(nik: str) -> None:
    text = f"NIK saya {nik} mohon dicek"
    assert _found(text) == [("nik", nik)]


@pytest.mark.parametrize(
    ("digits", "why"),
    [
        ("3374011213850001", "month 13"),
        ("3374013203850001", "day 32"),
        ("3374017203850001", "day 72"),
        ("3374010003850001", "day 00"),
        ("1074011203850001", "province 10 does not exist"),
        ("9974011203850001", "province 99 does not exist"),
        ("3300011203850001", "kab/kota 00"),
        ("3374011203850000", "serial 0000"),
        ("33740112038500011", "17 digits"),
        ("337401120385000", "15 digits"),
        ("3374 0112 0385 0001", "grouped digits are not read as a NIK (strict on purpose)"),
    ],
)
def test_implausible_sixteen_digits_are_not_a_nik(digits: str, why: str) -> None:
    assert [kind for kind, _ in _found(f"nomor {digits}.") if kind == "nik"] == [], why


def test_nik_structure_check() -> None:
    assert is_plausible_nik("3374011203850001")
    assert not is_plausible_nik("337401120385000")
    assert not is_plausible_nik("٣٣٧٤٠١١٢٠٣٨٥٠٠٠١")  # Arabic-Indic digits are not a NIK


@pytest.mark.parametrize(
    "phone",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "0812.3456.789",
        "08123456789",
        "0857123456789",  # 13 digits, the longest
        "+6281234567890",
        "+62 812-3456-7890",
        "6281234567890",
    ],
)
def test_mobile_number_is_found(phone: str) -> None:
    text = f"hubungi {phone} ya"
    assert _found(text) == [("phone", phone)]


@pytest.mark.parametrize(
    "not_a_phone",
    ["0812345", "08123456789012345", "Rp 081.000", "0212345678", "tahun 2024 bulan 08"],
)
def test_other_numbers_are_not_phones(not_a_phone: str) -> None:
    assert [kind for kind, _ in _found(not_a_phone) if kind == "phone"] == []


def test_email_is_found_and_mentions_are_not() -> None:
    text = "email ke budi.santoso+lapor@example.co.id atau tag @budi_santoso"
    assert _found(text) == [("email", "budi.santoso+lapor@example.co.id")]


def test_spans_point_into_the_original_text_even_after_emoji_and_rtl() -> None:
    nik = "3374011203850001"
    phone = "0812-3456-7890"
    email = "warga@example.com"
    text = f"😡🙏 مرحبا NIK:{nik}, hp {phone} \u200f email {email}!!"
    spans = find_pii(text)
    assert [span.kind for span in spans] == ["nik", "phone", "email"]
    assert [text[span.start : span.end] for span in spans] == [nik, phone, email]
    assert all(isinstance(span, PiiSpan) for span in spans)


def test_spans_are_sorted_and_never_overlap() -> None:
    text = "3374011203850001 081234567890 a@example.com 3374011203850001"
    spans = find_pii(text)
    assert spans == sorted(spans, key=lambda span: span.start)
    assert all(left.end <= right.start for left, right in itertools.pairwise(spans))


def test_mask_replaces_every_datum_and_keeps_the_rest() -> None:
    text = "NIK 3374011203850001, WA 0812-3456-7890, email warga@example.com. Jalan rusak!"
    masked = mask_pii(text)
    assert masked == f"NIK {NIK_MASK}, WA {PHONE_MASK}, email {EMAIL_MASK}. Jalan rusak!"
    assert not re.search(r"\d", masked)
    assert "@" not in masked


def test_mask_is_idempotent() -> None:
    text = "hp +62 812 3456 7890 / 3374015203850001 / x@example.net"
    once = mask_pii(text)
    assert mask_pii(once) == once
    assert find_pii(once) == []


def test_mask_leaves_text_without_personal_data_untouched() -> None:
    text = "Jalan di Tembalang rusak sejak 2023, sudah 3 bulan 🙏"
    assert mask_pii(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "\ud800 0812-3456-7890 \udfff",  # lone surrogates around a phone number
        "\x00" * 10 + "3374011203850001" + "\x00",
        "<script>alert('0812-3456-7890')</script>",
        "a" * 25_000 + "@example.com",  # a 25,000-letter local part must not be slow
        "@" * 25_000,
        "1" * 25_000,
        "0812 " * 5_000,
    ],
)
def test_pii_never_fails_on_hostile_input(text: str) -> None:
    spans = find_pii(text)
    masked = mask_pii(text)
    assert all(0 <= span.start < span.end <= len(text) for span in spans)
    assert mask_pii(masked) == masked
