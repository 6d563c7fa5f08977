"""The trained sector model: round trip, safe format, the shipped model, bad input, commands.

Every text here was written for these tests; nothing is copied from the training data.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from programs.reader import model_dir
from tests.triage.support import shared_reader
from triage.features import analyse, stem
from triage.model import LinearTextModel, ModelError
from triage.model_reader import ModelReader
from triage.reader import default_reference_dir
from triage.training import DEFAULT_DATA_DIR, Example, TrainingOptions, fit

SHIPPED = model_dir("jateng")

SMALL = [
    ("jalan rusak berlubang parah", "infrastruktur"),
    ("jalan desa rusak tolong diaspal", "infrastruktur"),
    ("lampu jalan mati gelap sekali", "infrastruktur"),
    ("jembatan retak dan rusak", "infrastruktur"),
    ("ktp belum jadi di dukcapil", "permades-kependudukan"),
    ("kk hilang mau urus di dukcapil", "permades-kependudukan"),
    ("akta kelahiran lama sekali di dukcapil", "permades-kependudukan"),
    ("ktp el sudah rekam belum jadi", "permades-kependudukan"),
    ("sampah numpuk bau", "lingkungan"),
    ("sampah di sungai bau sekali", "lingkungan"),
    ("limbah pabrik bikin sungai bau", "lingkungan"),
    ("sampah tidak diangkut sudah bau", "lingkungan"),
]
BAD_INPUT = ["", " ", "x" * 25_000, "😡😡😡🙏🙏", "#KemalaJateng", "\x00\x01\x02\xff\ufffd" * 50, "جالن روسق 路坏了"]


def _write_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "sector", "source"])
        writer.writerows((text, sector, "tests") for text, sector in rows)
    return path


@pytest.fixture(scope="module")
def small_model() -> LinearTextModel:
    examples = [Example(text, sector, "tests", order=i) for i, (text, sector) in enumerate(SMALL)]
    return fit(examples, "test-1", TrainingOptions(min_df=1, calibration_share=0))


def test_round_trip_gives_the_same_readings(small_model: LinearTextModel, tmp_path: Path) -> None:
    small_model.save(tmp_path / "m")
    loaded = LinearTextModel.load(tmp_path / "m")
    assert loaded.version == "test-1" and loaded.classes == small_model.classes
    rules = shared_reader()
    before, after = ModelReader(rules, small_model), ModelReader(rules, loaded)
    for text in ["jalan di kampung rusak", "ktp saya hilang", "bau sampah", *BAD_INPUT]:
        assert before.read(text) == after.read(text)
        assert after.read(text).model_version == "test-1"


def test_scores_match_scikit_learn(small_model: LinearTextModel) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts, labels = [t for t, _ in SMALL], [s for _, s in SMALL]
    vectoriser = TfidfVectorizer(analyzer=analyse, min_df=1, sublinear_tf=True, dtype=np.float32)
    model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=300).fit(
        vectoriser.fit_transform(texts), labels
    )
    probe = "jalan rusak dan sampah numpuk"
    expected = dict(zip(model.classes_, model.predict_proba(vectoriser.transform([probe]))[0], strict=True))
    got = dict(small_model.predict(probe).ranked)
    assert got == pytest.approx(expected, abs=1e-4)


def test_the_format_has_no_pickle_and_is_checked(small_model: LinearTextModel, tmp_path: Path) -> None:
    path = small_model.save(tmp_path / "m")
    assert sorted(p.name for p in path.iterdir()) == ["manifest.json", "vocabulary.json", "weights.npz"]
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["format"] == "kemala-linear-text-1" and manifest["sizes"]["features"] == len(small_model.vocabulary)
    with np.load(path / "weights.npz", allow_pickle=False) as arrays:
        assert {a.dtype for a in arrays.values()} == {np.dtype("float32")}
    (path / "vocabulary.json").write_text('["tampered"]')
    with pytest.raises(ModelError, match="checksum"):
        LinearTextModel.load(path)
    with pytest.raises(ModelError, match="no manifest"):
        LinearTextModel.load(tmp_path / "absent")


def test_stemmer_meets_laporgub_stems_halfway() -> None:
    assert [stem(w) for w in ["kebakaran", "terbakar", "pencemaran", "pelayanan", "perumahan", "beras"]] == [
        "bakar",
        "bakar",
        "cemar",
        "layan",
        "rumah",
        "beras",
    ]
    assert not any(any(c.isdigit() for c in f) for f in analyse("rt 05 rw 3 no 12b 081234567890 jalan"))


# -- the shipped model ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> ModelReader:
    if not (SHIPPED / "manifest.json").is_file():
        pytest.fail(f"the default model is missing from {SHIPPED}")
    return ModelReader.load(SHIPPED, default_reference_dir(), rules=shared_reader())


def test_shipped_vocabulary_keeps_no_digits(shipped: ModelReader) -> None:
    vocabulary = shipped.sector_model.vocabulary
    assert len(vocabulary) > 1000
    assert not [feature for feature in vocabulary if any(char.isdigit() for char in feature)]
    manifest = shipped.sector_model.manifest
    assert manifest["version"] == shipped.model_version and manifest["training"]["options"]["min_df"] >= 3


@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("jln di desa kami rusak parah, lubangnya dalam bgt, tiap hari ada yg jatuh", "infrastruktur"),
        ("lampu penerangan jalan di perempatan mati sdh seminggu, gelap", "infrastruktur"),
        ("sy sdh rekam ktp el 3 bulan lalu tp blm jadi jg, kapan ya", "permades-kependudukan"),
        ("bantuan pkh ibu sy tdk cair lagi padahal msh terdaftar dtks", "sosial-masyarakat"),
        ("anak sy daftar ppdb sma negeri tp gak ketrima padahal nilai bagus", "pendidikan"),
        ("listrik di kampung padam terus tiap malam, pln tolong", "energi"),
        ("antrian di puskesmas lama bgt, dokternya jarang ada", "kesehatan"),
        ("pupuk subsidi di kios kosong terus, petani susah", "pertanian"),
        ("sampah di tps numpuk berhari hari gak diangkut, baunya nyengat", "lingkungan"),
        ("bayar pajak kendaraan di samsat antri lama", "keuangan-aset"),
        ("pengangkatan guru honorer jadi pppk kapan ada kepastian", "kepegawaian"),
    ],
)
def test_shipped_model_reads_plain_complaints(shipped: ModelReader, text: str, sector: str) -> None:
    reading = shipped.read(text)
    assert reading.sector == sector
    assert reading.model_version == shipped.model_version


def test_agency_follows_responsibility_and_region(shipped: ModelReader) -> None:
    kabkota = shipped.read("jalan kampung di kec. tembalang semarang rusak parah berlubang")
    assert kabkota.agency == "kota-semarang" and kabkota.region is not None
    provincial = shipped.read("ppdb sma negeri online error terus")
    assert provincial.agency == "disdikbud"
    national = shipped.read("listrik padam terus di desa, pln gimana ini")
    assert national.agency == "pln-jateng"


def test_top3_and_confidences_are_well_formed(shipped: ModelReader) -> None:
    reading = shipped.read("jalan rusak di depan sekolah dan sampah numpuk di selokan")
    for top3, best, confidence in [
        (reading.sector_top3, reading.sector, reading.sector_confidence),
        (reading.agency_top3, reading.agency, reading.agency_confidence),
    ]:
        assert 1 <= len(top3) <= 3 and top3[0] == (best, confidence)
        assert len({code for code, _ in top3}) == len(top3)
        probabilities = [p for _, p in top3]
        assert probabilities == sorted(probabilities, reverse=True)
        assert all(0 < p <= 1 for p in probabilities) and sum(probabilities) <= 1 + 1e-6


@pytest.mark.parametrize("text", BAD_INPUT)
def test_bad_input_reads_as_other_with_low_confidence(shipped: ModelReader, text: str) -> None:
    reading = shipped.read(text)
    assert reading.kind == "other"
    assert reading.sector_confidence <= 0.5 and not math.isnan(reading.sector_confidence)


# -- commands --------------------------------------------------------------------------------


def test_train_and_evaluate_commands_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _write_csv(tmp_path / "train.csv", SMALL)
    call_command("train", str(data), "--out", str(tmp_path / "model"), "--min-df", "1", "--model-version", "cmd-1")
    assert "Trained cmd-1 on 12 examples" in capsys.readouterr().out
    call_command("evaluate", str(data), "--model", str(tmp_path / "model"), "--out", str(tmp_path / "eval"))
    out = capsys.readouterr().out
    assert "accuracy" in out and "macro-F1" in out and "confusion matrix" in out and "permades-kependudukan" in out
    png = (tmp_path / "eval" / "confusion.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and b"IEND" in png[-12:]
    metrics = json.loads((tmp_path / "eval" / "metrics.json").read_text())
    assert metrics["model_version"] == "cmd-1" and metrics["sector"]["accuracy"] == 1.0


def test_commands_refuse_bad_input_clearly(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("text,sector\n")
    with pytest.raises(CommandError, match="No usable"):
        call_command("train", str(empty), "--out", str(tmp_path / "m"))
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("body,label\nx,y\n")
    with pytest.raises(CommandError, match="missing column"):
        call_command("train", str(wrong), "--out", str(tmp_path / "m"))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("evaluate", str(tmp_path / "absent.csv"), "--model", str(tmp_path / "m"))
    with pytest.raises(CommandError):
        call_command("evaluate", str(_write_csv(tmp_path / "ok.csv", SMALL)), "--model", str(tmp_path / "absent"))


def test_train_without_csv_needs_the_shared_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import triage.training

    monkeypatch.setattr(triage.training, "DEFAULT_DATA_DIR", tmp_path / "nowhere")
    with pytest.raises(CommandError, match="default training data is not at"):
        call_command("train", "--out", str(tmp_path / "m"))


def test_shared_laporgub_labels_all_map_to_sectors() -> None:
    if not (DEFAULT_DATA_DIR / "laporgub_2024_2025_sectors_stemmed.csv").is_file():
        pytest.skip(f"../shared/data is absent ({DEFAULT_DATA_DIR}): cannot check the LaporGub sector mapping")
    from triage.training import LAPORGUB_SECTORS

    with (DEFAULT_DATA_DIR / "laporgub_2024_2025_sectors_stemmed.csv").open(encoding="utf-8") as handle:
        names = {row["sector"] for row in csv.DictReader(handle)}
    assert names <= set(LAPORGUB_SECTORS)


def test_a_model_of_two_sectors_trains_and_reads_like_scikit_learn() -> None:
    """With two classes scikit-learn keeps one weight column; the model must still hold one per sector."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    two = [(text, sector) for text, sector in SMALL if sector != "lingkungan"]
    examples = [Example(text, sector, "tests", order=i) for i, (text, sector) in enumerate(two)]
    model = fit(examples, "test-2", TrainingOptions(min_df=1, calibration_share=0))
    assert set(model.classes) == {"infrastruktur", "permades-kependudukan"}

    texts, labels = [t for t, _ in two], [s for _, s in two]
    vectoriser = TfidfVectorizer(analyzer=analyse, min_df=1, sublinear_tf=True, dtype=np.float32)
    reference = LogisticRegression(C=4.0, class_weight="balanced", max_iter=300).fit(
        vectoriser.fit_transform(texts), labels
    )
    for probe in ["jalan rusak parah", "ktp belum jadi", "laporan tanpa kata yang dikenal"]:
        expected = dict(zip(reference.classes_, reference.predict_proba(vectoriser.transform([probe]))[0], strict=True))
        assert dict(model.predict(probe).ranked) == pytest.approx(expected, abs=1e-4)
    assert model.predict("jalan rusak berlubang").ranked[0][0] == "infrastruktur"
