"""Training data and training for the sector model (scikit-learn is imported only here).

Training CSV schema (UTF-8, header row, comma-separated)::

    text,sector[,agency,region,created_at,source]

``text`` is the post as written (or LaporGub's stemmed tokens), ``sector`` a code from
``jateng_sectors.csv`` or one of LaporGub's sector names (mapped by :data:`LAPORGUB_SECTORS`),
``agency`` a code from ``jateng_agencies.csv`` or empty, ``region`` a Kemendagri code or empty,
``created_at`` an ISO date or empty (the time split orders by it), ``source`` a free name (the
source split holds one out). Rows without text or with an unknown sector are skipped and counted.

With no CSV, :func:`default_examples` reads the public training data in ``../shared/data/train``
and maps each source's labels onto the 17 sectors; the mappings are below and in the model card.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from triage.features import analyse
from triage.model import LinearTextModel

SECTOR_CODES = (
    "infrastruktur",
    "permades-kependudukan",
    "sosial-masyarakat",
    "pendidikan",
    "energi",
    "kesehatan",
    "pertanian",
    "keuangan-aset",
    "kepegawaian",
    "lingkungan",
    "ekonomi-industri",
    "bencana",
    "pariwisata-budaya",
    "pembangunan-daerah",
    "forkominda",
    "saberpungli",
    "lain-lain",
)

# LaporGub's own sector names (lower-case, as in its export) -> our codes: one to one.
LAPORGUB_SECTORS = {
    "infrastruktur": "infrastruktur",
    "permades dan kependudukan": "permades-kependudukan",
    "sosial masyarakat": "sosial-masyarakat",
    "pendidikan": "pendidikan",
    "energi": "energi",
    "kesehatan": "kesehatan",
    "pertanian": "pertanian",
    "keuangan dan aset": "keuangan-aset",
    "kepegawaian": "kepegawaian",
    "lingkungan": "lingkungan",
    "ekonomi dan industri": "ekonomi-industri",
    "bencana": "bencana",
    "pariwisata dan budaya": "pariwisata-budaya",
    "pembangunan daerah": "pembangunan-daerah",
    "forkominda": "forkominda",
    "saberpungli": "saberpungli",
    "kategori lain-lain": "lain-lain",
}

# Kota Surabaya's media-centre offices -> sector. Every one of them is a city office, so in Jawa
# Tengah terms each is a kab/kota matter (the agency is the kab/kota government of the region).
# Offices whose complaints are too mixed to name one sector (the mayor's protocol office, the
# legal bureau, Diskominfo's apps, Bakesbangpol, kecamatan/kelurahan "wilayah" problems) are left
# out rather than guessed.
SURABAYA_OFFICES = {
    "Dinas Sumber Daya Air dan Bina Marga": "infrastruktur",
    "Dinas Lingkungan Hidup": "lingkungan",
    "Dinas Sosial": "sosial-masyarakat",
    "Dinas Perhubungan": "infrastruktur",  # parking, lights, buses: LaporGub files these as infrastruktur
    "Dinas Kependudukan dan Pencatatan Sipil": "permades-kependudukan",
    "Dinas Pendidikan": "pendidikan",
    "Dinas Kesehatan": "kesehatan",
    "RSUD dr. Mohamad Soewandhie": "kesehatan",
    "Satuan Polisi Pamong Praja": "sosial-masyarakat",  # street vendors, public order: "keresahan warga"
    "Dinas Perumahan Rakyat dan Kawasan Permukiman serta Pertanahan": "infrastruktur",
    "Dinas Perindustrian dan Tenaga Kerja": "ekonomi-industri",
    "Dinas Pemberdayaan Perempuan dan Perlindungan Anak serta Pengendalian Penduduk dan Keluarga Berencana": (
        "sosial-masyarakat"
    ),
    "Dinas Koperasi Usaha Kecil dan Menengah dan Perdagangan": "ekonomi-industri",
    "Dinas Kebudayaan Kepemudaan dan Olah Raga serta Pariwisata": "pariwisata-budaya",
    "Badan Pendapatan Daerah": "keuangan-aset",
    "Badan Pengelolaan Keuangan dan Aset Daerah": "keuangan-aset",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia": "kepegawaian",
    "Badan Penanggulangan Bencana Daerah": "bencana",
    "Dinas Pemadam Kebakaran dan Penyelamatan": "bencana",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu": "ekonomi-industri",
    "Dinas Ketahanan Pangan dan Pertanian": "pertanian",
}
# Topics that override their office's sector (matched on the topic name, any office).
SURABAYA_TOPICS = {
    "Informasi Pemangkasan/Perantingan Pohon": "infrastruktur",  # roadside trees: LaporGub's practice
    "Taman": "infrastruktur",
    "Permakaman": "infrastruktur",
    "Pelayanan PDAM": "infrastruktur",  # water supply, under the economy bureau in Surabaya
    "BLT Ojol": "sosial-masyarakat",
    "Rumah Tidak Layak Huni": "sosial-masyarakat",
    "Lowongan Pekerjaan": "sosial-masyarakat",  # employment is in sosial-masyarakat's examples
    "Ketenagakerjaan": "sosial-masyarakat",
    "Bursa Kerja": "sosial-masyarakat",
    "Beasiswa Mahasiswa": "pendidikan",
    "Beasiswa Pemuda Tangguh": "pendidikan",
    "Perangkat RT/RW": "permades-kependudukan",
    "Pelayanan Surat Pengantar Nikah": "permades-kependudukan",
    "Surat Keterangan Ahli Waris": "permades-kependudukan",
    "Layanan Loket Kelurahan": "permades-kependudukan",
    "Pelayanan Petugas Kelurahan": "permades-kependudukan",
    "Musrenbangkel": "pembangunan-daerah",
}
# DKI Jakarta 2017 categories -> sector; "Kelurahan", "Kecamatan", "RT/RW", "Lain-lain",
# "Pelayanan" and "Reklame/Spanduk Liar" name an office or nothing, not a sector: left out.
JAKARTA_CATEGORIES = {
    "Banjir": "bencana",
    "Sampah": "lingkungan",
    "Keamanan": "forkominda",
    "Parkir Liar": "infrastruktur",
    "PKL Liar": "sosial-masyarakat",
    "PKL liar": "sosial-masyarakat",
    "Bangunan Liar": "infrastruktur",
    "Fasilitas Umum": "infrastruktur",
    "Kemacetan": "infrastruktur",
}

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "train"
LAPORGUB_FILE = "laporgub_2024_2025_sectors_stemmed.csv"
SURABAYA_FILE = "surabaya_mediacenter_2022_2023.csv"
JAKARTA_FILE = "jakarta_2017.csv"


class TrainingDataError(Exception):
    """Training data that is absent or unusable; the message says what to do."""


@dataclass(frozen=True)
class Example:
    text: str
    sector: str
    source: str
    order: float = 0.0  # the time split sorts on this (a timestamp, or LaporGub's report id)
    agency: str = ""  # a code, or "kabkota" for "the kab/kota government of the region"
    region: str = ""


@dataclass
class LoadReport:
    """What a loader read and what it skipped, and why."""

    read: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


def _csv_field_limit() -> None:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def sector_code(label: str) -> str | None:
    """A sector code for ``label`` (a code or a LaporGub name), or None."""
    cleaned = label.strip().lower()
    if cleaned in SECTOR_CODES:
        return cleaned
    return LAPORGUB_SECTORS.get(cleaned)


def _order(created_at: str) -> float:
    if not created_at.strip():
        return 0.0
    try:
        moment = dt.datetime.fromisoformat(created_at.strip())
    except ValueError:
        return 0.0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def read_csv(path: str | Path, report: LoadReport | None = None) -> list[Example]:
    """Examples from a CSV in the documented schema (see the module docstring)."""
    _csv_field_limit()
    report = report if report is not None else LoadReport()
    examples: list[Example] = []
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"text", "sector"} - set(reader.fieldnames or ())
        if missing:
            raise TrainingDataError(f"{path}: missing column(s) {', '.join(sorted(missing))}; need text,sector")
        for row in reader:
            text = (row.get("text") or "").strip()
            sector = sector_code(row.get("sector") or "")
            if not text:
                report.skipped["empty text"] += 1
                continue
            if sector is None:
                report.skipped["unknown sector"] += 1
                continue
            examples.append(
                Example(
                    text=text,
                    sector=sector,
                    source=(row.get("source") or "").strip() or Path(path).stem,
                    order=_order(row.get("created_at") or ""),
                    agency=(row.get("agency") or "").strip(),
                    region=(row.get("region") or "").strip(),
                )
            )
            report.read += 1
    return examples


def laporgub_examples(directory: Path) -> list[Example]:
    _csv_field_limit()
    examples = []
    with (directory / LAPORGUB_FILE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            sector = LAPORGUB_SECTORS.get(row["sector"].strip())
            if sector and row["tokens"].strip():
                # No dates in this export: the report id is LaporGub's running number, so it orders by time.
                examples.append(Example(row["tokens"], sector, "laporgub", order=float(row["id"])))
    return examples


def surabaya_sector(office: str, topic: str) -> str | None:
    return SURABAYA_TOPICS.get(topic.strip()) or SURABAYA_OFFICES.get(office.strip())


def surabaya_examples(directory: Path) -> list[Example]:
    _csv_field_limit()
    examples = []
    with (directory / SURABAYA_FILE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            sector = surabaya_sector(row["agency"], row["topic"])
            text = row["text"].replace("\\n", " ").strip()
            if sector and text:
                order = _order(row["reported_at"])
                examples.append(Example(text, sector, "surabaya", order=order, agency="kabkota"))
    return examples


def jakarta_examples(directory: Path) -> list[Example]:
    _csv_field_limit()
    examples = []
    with (directory / JAKARTA_FILE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            sector = JAKARTA_CATEGORIES.get(row["kategori"].strip())
            if sector and row["pengaduan"].strip():
                examples.append(Example(row["pengaduan"], sector, "jakarta", order=_order(row["tgl_pengaduan"])))
    return examples


def default_examples(directory: Path | None = None) -> list[Example]:
    """Every mapped example in the shared training data, or :class:`TrainingDataError`."""
    directory = directory or DEFAULT_DATA_DIR
    if not (directory / LAPORGUB_FILE).is_file():
        raise TrainingDataError(
            f"the default training data is not at {directory} (expected {LAPORGUB_FILE} there); "
            "pass one or more CSV files with columns text,sector[,agency,region,created_at,source]"
        )
    examples = laporgub_examples(directory)
    if (directory / SURABAYA_FILE).is_file():
        examples += surabaya_examples(directory)
    if (directory / JAKARTA_FILE).is_file():
        examples += jakarta_examples(directory)
    return examples


# -- fitting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingOptions:
    min_df: int = 3
    c: float = 4.0
    balanced: bool = True
    max_iter: int = 300
    calibration_share: float = 0.1  # held out (latest by ``order``) to fit the temperature


def _has_digit(feature: str) -> bool:
    return any(char.isdigit() for char in feature)


def fit(
    examples: Sequence[Example],
    version: str,
    options: TrainingOptions | None = None,
    classes: Iterable[str] = SECTOR_CODES,
    manifest: dict[str, Any] | None = None,
) -> LinearTextModel:
    """Train a sector model on ``examples``; one process, deterministic."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # training-only dependency
    from sklearn.linear_model import LogisticRegression

    options = options or TrainingOptions()
    if len({example.sector for example in examples}) < 2:
        raise TrainingDataError("training needs examples of at least two sectors")

    def build(train: Sequence[Example]) -> tuple[Any, Any]:
        vectoriser = TfidfVectorizer(
            analyzer=analyse, min_df=options.min_df, sublinear_tf=True, dtype=np.float32, norm="l2"
        )
        matrix = vectoriser.fit_transform([example.text for example in train])
        model = LogisticRegression(
            C=options.c,
            class_weight="balanced" if options.balanced else None,
            max_iter=options.max_iter,
            solver="lbfgs",
        )
        model.fit(matrix, [example.sector for example in train])
        return vectoriser, model

    # 1. Temperature: fit on all but the latest ``calibration_share``, choose the softmax
    #    temperature that minimises the log-loss on that held-out slice.
    temperature = 1.0
    ordered = sorted(examples, key=lambda example: example.order)
    cut = int(len(ordered) * (1 - options.calibration_share))
    held_out = ordered[cut:]
    if options.calibration_share > 0 and len(held_out) >= 20 and len({e.sector for e in ordered[:cut]}) >= 2:
        vectoriser, model = build(ordered[:cut])
        raw = _per_class(model.decision_function(vectoriser.transform([example.text for example in held_out])))
        index = {label: position for position, label in enumerate(model.classes_)}
        truth = np.array([index.get(example.sector, -1) for example in held_out])
        known = truth >= 0
        temperature = _best_temperature(np.asarray(raw)[known], truth[known])

    # 2. The model itself, on everything.
    vectoriser, model = build(examples)
    vocabulary = vectoriser.get_feature_names_out()
    keep = np.array([not _has_digit(feature) for feature in vocabulary])
    # Classes x features: the transpose of a score matrix, so the same two-class rule applies to it.
    weights = _per_class(np.asarray(model.coef_).T).T
    intercepts = _per_class(np.asarray(model.intercept_)[None, :])[0]
    coef = np.asarray(weights, dtype=np.float32).T[keep]
    trained_classes = [str(label) for label in model.classes_]
    all_classes = [label for label in classes if label in trained_classes] + [
        label for label in trained_classes if label not in set(classes)
    ]
    order = [trained_classes.index(label) for label in all_classes]
    counts = Counter(example.sector for example in examples)
    sources = Counter(example.source for example in examples)
    info: dict[str, Any] = {
        **(manifest or {}),
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "training": {
            "examples": len(examples),
            "by_source": dict(sorted(sources.items())),
            "by_sector": dict(sorted(counts.items())),
            "options": {
                "min_df": options.min_df,
                "C": options.c,
                "class_weight": "balanced" if options.balanced else None,
                "features": "word stems and stem bigrams (triage.features)",
            },
        },
    }
    return LinearTextModel(
        version=version,
        classes=tuple(all_classes),
        vocabulary=tuple(str(feature) for feature, kept in zip(vocabulary, keep, strict=True) if kept),
        idf=np.asarray(vectoriser.idf_, dtype=np.float32)[keep],
        coef=np.ascontiguousarray(coef[:, order]),
        intercept=np.asarray(intercepts, dtype=np.float32)[order],
        temperature=temperature,
        manifest=info,
    )


def _per_class(scores: np.ndarray) -> np.ndarray:
    """Scores (or weights) with one column per class. With two classes scikit-learn gives one column, the
    second class's score against the first: [0, s] has the same softmax (the sigmoid of s)."""
    if scores.ndim == 1:
        scores = scores[:, None]
    if scores.shape[1] == 1:
        return np.hstack([np.zeros_like(scores), scores])
    return scores


def _best_temperature(raw: np.ndarray, truth: np.ndarray) -> float:
    """The softmax temperature (0.3 … 3) with the lowest log-loss on held-out scores."""
    if len(truth) == 0:
        return 1.0
    best, best_loss = 1.0, float("inf")
    for temperature in np.arange(0.3, 3.01, 0.05):
        scaled = raw / temperature
        scaled = scaled - scaled.max(axis=1, keepdims=True)
        log_probabilities = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
        loss = -float(log_probabilities[np.arange(len(truth)), truth].mean())
        if loss < best_loss:
            best, best_loss = float(temperature), loss
    return round(best, 2)
