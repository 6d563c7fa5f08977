"""Personal data in citizen text: NIK numbers, Indonesian mobile numbers and e-mail addresses.

Spans are Python ``str`` offsets into the text exactly as given (nothing is normalised first), so
``text[span.start:span.end]`` is the personal datum and masking can replace it in place.

* **NIK** (Nomor Induk Kependudukan): exactly 16 consecutive ASCII digits, not touching another
  digit, with the structure of a real NIK: digits 1-2 a Kemendagri province code (11-19, 21,
  31-36, 51-53, 61-65, 71-76, 81-82, 91-96 — the last two are the 2022 Papua provinces), digits
  3-4 and 5-6 (kab/kota, kecamatan) not ``00``, digits 7-8 the day of birth 01-31 (women: +40,
  so 41-71), digits 9-10 the month 01-12, digits 13-16 a serial that is not ``0000``. Family-card
  (KK) numbers share this structure and are masked too, which is what we want.
* **Phone**: an Indonesian mobile number ``08…`` of 10-13 digits, or the same with ``+62``/``62``
  instead of the ``0``; single spaces, dashes or dots may separate digit groups.
* **E-mail**: ``local@domain.tld`` in ASCII; the local part is bounded (64 characters, as in
  RFC 5321) so that a 25,000-letter "word" cannot make the scan quadratic.
"""

from __future__ import annotations

import re

from triage.reading import PiiSpan

NIK_MASK = "[NIK disamarkan]"
PHONE_MASK = "[nomor telepon disamarkan]"
EMAIL_MASK = "[email disamarkan]"
MASKS = {"nik": NIK_MASK, "phone": PHONE_MASK, "email": EMAIL_MASK}

_PROVINCE_CODES = frozenset(
    (*range(11, 20), 21, *range(31, 37), *range(51, 54), *range(61, 66), *range(71, 77), 81, 82, *range(91, 97))
)

_SIXTEEN_DIGITS = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9+])(?:\+62|62|0)[ .-]?8[0-9](?:[ .-]?[0-9]){7,10}(?![0-9])")
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z0-9-])"
)


def is_plausible_nik(digits: str) -> bool:
    """True if 16 digits have the structure of a NIK (see the module docstring)."""
    if len(digits) != 16 or not digits.isascii() or not digits.isdigit():
        return False
    day = int(digits[6:8])
    month = int(digits[8:10])
    return (
        int(digits[0:2]) in _PROVINCE_CODES
        and digits[2:4] != "00"
        and digits[4:6] != "00"
        and (1 <= day <= 31 or 41 <= day <= 71)
        and 1 <= month <= 12
        and digits[12:16] != "0000"
    )


def find_pii(text: str) -> list[PiiSpan]:
    """NIK, phone and e-mail spans in ``text``, sorted by start, never overlapping."""
    candidates: list[PiiSpan] = [
        PiiSpan("nik", match.start(), match.end())
        for match in _SIXTEEN_DIGITS.finditer(text)
        if is_plausible_nik(match.group())
    ]
    candidates.extend(PiiSpan("phone", match.start(), match.end()) for match in _MOBILE.finditer(text))
    if "@" in text:
        candidates.extend(PiiSpan("email", match.start(), match.end()) for match in _EMAIL.finditer(text))
    # Earlier first; at the same start the longer span wins, and anything overlapping a kept span
    # is dropped, so masking never has to deal with overlaps.
    candidates.sort(key=lambda span: (span.start, -(span.end - span.start)))
    spans: list[PiiSpan] = []
    for span in candidates:
        if not spans or span.start >= spans[-1].end:
            spans.append(span)
    return spans


def mask_pii(text: str) -> str:
    """``text`` with every personal datum replaced by a mask that keeps none of its characters.

    The masks contain no digits and no "@", so masking a masked text changes nothing.
    """
    spans = find_pii(text)
    if not spans:
        return text
    pieces: list[str] = []
    position = 0
    for span in spans:
        pieces.append(text[position : span.start])
        pieces.append(MASKS[span.kind])
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)
