"""The region policy: precision over recall — a wrong region is worse than none.

Each case is a short post naming places the way citizens do; the expected code comes from the
shipped Kemendagri reference files.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tests.triage.support import shared_reader
from triage import Reader


@pytest.fixture(scope="module")
def reader() -> Reader:
    return shared_reader()


def _region(reader: Reader, text: str, author_location: str | None = None) -> str | None:
    return reader.read(text, author_location=author_location).region


@pytest.mark.parametrize(
    ("text", "region"),
    [
        # informal names
        ("jalan rusak di smg", "33.74"),  # "smg" after a locative cue
        ("jalan rusak di semarang", "33.74"),  # bare "semarang" is the kota …
        ("jalan rusak di kab. smg", "33.22"),  # … unless the kabupaten is said
        ("jalan rusak di kabupaten semarang", "33.22"),
        ("jalan rusak di kota semarang", "33.74"),
        ("jalan rusak di ungaran", "33.22"),
        ("semarang, jalan ke ambarawa rusak", "33.22.10"),  # a kecamatan of the kabupaten settles it
        ("macet parah di solo", "33.72"),
        ("jalan rusak di purwokerto", "33.02"),
        ("jalan rusak di pwt", "33.02"),
        ("lampu mati di surakarta", "33.72"),
        # kota or kabupaten of the same name
        ("kota magelang banjir", "33.71"),
        ("kab magelang banjir", "33.08"),
        ("pemkot tegal lambat", "33.76"),
        ("bupati pekalongan tolong", "33.26"),
        ("jalan di mertoyudan magelang rusak", "33.08.10"),
        ("jalan di slawi tegal rusak", "33.28.10"),
        # the most specific consistent place
        ("jalan di kec tembalang rusak", "33.74.10"),
        ("jalan berlubang di desa sidomulyo kec ungaran timur kab semarang", "33.22.19.1001"),
        ("banjir di kel. kaligawe kota semarang", "33.74.04.1002"),
        ("sampah di kaligawe semarang", "33.74.04.1002"),  # an ambiguous kelurahan settled by its kota
        ("pipa bocor di kel. gisikdrono", "33.74.13.1007"),  # a unique kelurahan with its cue
        # common words need a cue
        ("jalan di kec bawang batang rusak", "33.25.05"),
        ("jalan rusak di batang", "33.25"),
        # a kecamatan beats a few homonymous desa elsewhere
        ("jembatan di sokaraja retak", "33.02.19"),
        ("jalan rusak di mranggen", "33.21.01"),
    ],
)
def test_region_is_found(reader: Reader, text: str, region: str) -> None:
    assert _region(reader, text) == region


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("smg cepat diperbaiki ya", '"smg" without a cue is "semoga"'),
        ("magelang banjir lagi", "bare magelang: kota or kabupaten?"),
        ("tegal panas banget", "bare tegal: kota or kabupaten?"),
        ("pekalongan macet", "bare pekalongan: kota or kabupaten?"),
        ("harga bawang naik terus", '"bawang" is an onion before it is a kecamatan'),
        ("batang pohon besar melintang", '"batang" without a cue is a trunk'),
        ("terima kasih, tolong dibantu", "desa called Kasih or Tolong are not meant"),
        ("jalan di desa sidomulyo rusak", "25 desa are called Sidomulyo"),
        ("banjir di kaligawe", "Kaligawe is in Kota Semarang, Klaten and Pekalongan"),
        ("jalan di wonosari rusak", "16 desa, a kecamatan in Klaten, and a town in Gunungkidul"),
        ("dari kendal ke semarang jalannya rusak semua", "two kab/kota, equally named"),
        ("jalan rusak di jogja", "not Central Java"),
        ("macet di jakarta", "not Central Java"),
        ("jalan rusak parah", "no place at all"),
        ("desa kelurahan kecamatan", "administrative words are not names"),
        ("info dari dukuh krajan rt 3", "a sub-village name is not a desa"),
    ],
)
def test_no_region_rather_than_a_wrong_one(reader: Reader, text: str, why: str) -> None:
    assert _region(reader, text) is None, why


def test_region_evidence_names_the_words_that_decided(reader: Reader) -> None:
    assert reader.read("jalan rusak di kab. smg").region_evidence == "kab smg"
    assert reader.read("pipa bocor di kel. gisikdrono").region_evidence == "kel gisikdrono"
    assert reader.read("jalan rusak").region_evidence is None


def test_author_location_is_a_weaker_fallback(reader: Reader) -> None:
    assert _region(reader, "jalan rusak parah", author_location="Purwokerto") == "33.02"
    assert _region(reader, "jalan rusak parah", author_location="Indonesia") is None
    assert _region(reader, "jalan rusak di tembalang", author_location="Purwokerto") == "33.74.10"
    assert _region(reader, "jalan rusak di jogja", author_location="Purwokerto") is None


def test_every_kabkota_is_found_by_its_name_with_a_cue(reader: Reader) -> None:
    import csv

    from triage import default_reference_dir

    with (default_reference_dir() / "jateng_kabkota.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 35
    for row in rows:
        cue, name = row["nama"].split(" ", 1)
        cue = "kab" if cue == "Kabupaten" else "kota"
        assert _region(reader, f"jalan rusak di {cue} {name}") == row["kode"], row["nama"]


def test_triage_has_no_django_imports() -> None:
    package = Path(__file__).resolve().parents[2] / "triage"
    for source in package.rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(name.split(".")[0] == "django" for name in names), source


def test_importing_triage_does_not_import_django() -> None:
    import subprocess

    code = "import sys, triage; triage.Reader; print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
