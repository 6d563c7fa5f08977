"""read_many(): a batch reads exactly as its posts read one by one, and a post is normalised once.

Every text here was written for these tests.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import replace

import pytest

from programs.reader import model_dir
from tests.triage.support import shared_reader
from tests.triage.test_model import BAD_INPUT, SMALL
from triage import Reader, classify_jsonl, default_reference_dir
from triage.features import analyse, analyse_tokens
from triage.model import LinearTextModel
from triage.model_reader import ModelReader
from triage.normalise import tokenise
from triage.reading import PostReader, Reading
from triage.training import Example, TrainingOptions, fit

TEXTS = [
    "jln rusak parah di tembalang smg, lubangnya dalam bgt #KemalaJateng",
    "kapan bansos pkh cair? sdh 3 bulan blm masuk",
    "slot gacor maxwin deposit 10rb link di bio",
    "TOLONG banjir sudah sepinggang di Demak, warga terjebak",
    "ktp blm jadi 3 bulan di dukcapil kab. smg, nik saya 3374010101900001",
    "terima kasih pak, jalan di desa kami sudah diaspal mulus",
    "sebaiknya ditambah lampu pju di jalan lingkar",
    "pungli di samsat, diminta uang rokok 50rb",
    "pupuk subsidi langka di kios, petani susah",
    "pungli",  # one word: a decisive rule topic, one model feature
    "listrik padam terus, pln gimana ini 😡😡",
    "#jalanrusak",  # hashtag only: a rule topic, no model feature
    "#KemalaJateng #KemalaJateng",
    "rsud moewardi antri lama, bpjs ditolak",
    "jalan \ud800 rusak",  # a lone surrogate
    "jalan rusak " * 2_100,  # 25,200 characters of words
    "".join(chr(code) for code in range(1, 600)),  # binary junk and every script up to U+0257
    "@bupati_x https://t.co/abc www.example.com",
    *BAD_INPUT,  # empty, blank, 25,000 letters, emoji only, the program hashtag only, junk, other scripts
]
LOCATIONS = [None, "Kota Semarang", "Klaten", "", "jakarta", None] * (len(TEXTS) // 6 + 1)


@pytest.fixture(scope="module")
def shipped() -> ModelReader:
    return ModelReader.load(model_dir("jateng"), default_reference_dir(), rules=shared_reader())


@pytest.fixture(scope="module")
def small() -> ModelReader:
    # Three classes only: the rules' other sectors join the blend as sectors the model does not know.
    examples = [Example(text, sector, "tests", order=i) for i, (text, sector) in enumerate(SMALL)]
    return ModelReader(shared_reader(), fit(examples, "test-1", TrainingOptions(min_df=1, calibration_share=0)))


@pytest.fixture(scope="module")
def two_classes(small: ModelReader) -> ModelReader:
    # Fewer classes than a top 3: the sectors only the rules know must not leak from post to post.
    model = small.sector_model
    two = replace(model, classes=model.classes[:2], coef=model.coef[:, :2], intercept=model.intercept[:2])
    return ModelReader(shared_reader(), two)


def _readers(shipped: ModelReader, small: ModelReader, two_classes: ModelReader) -> list[PostReader]:
    return [shared_reader(), shipped, small, two_classes]


def _one_by_one(reader: PostReader, texts: Sequence[str], locations: Sequence[str | None]) -> list[Reading]:
    return [reader.read(text, location) for text, location in zip(texts, locations, strict=True)]


def test_a_batch_reads_like_its_posts_one_by_one(
    shipped: ModelReader, small: ModelReader, two_classes: ModelReader
) -> None:
    locations = LOCATIONS[: len(TEXTS)]
    for reader in _readers(shipped, small, two_classes):
        expected = _one_by_one(reader, TEXTS, locations)
        assert reader.read_many(TEXTS, locations) == expected
        assert reader.read_many(TEXTS[::-1], locations[::-1]) == expected[::-1]
        for start in range(0, len(TEXTS), 4):  # other neighbours in the batch change nothing
            chunk = slice(start, start + 4)
            assert reader.read_many(TEXTS[chunk], locations[chunk]) == expected[chunk]
        assert reader.read_many(TEXTS) == _one_by_one(reader, TEXTS, [None] * len(TEXTS))
        assert reader.read_many([]) == []


def test_read_many_covers_every_path_of_the_model_reader(shipped: ModelReader, small: ModelReader) -> None:
    readings = shipped.read_many(TEXTS)
    kinds = {reading.kind for reading in readings}
    assert {"spam", "complaint", "other"} <= kinds
    assert any(r.sector == "lain-lain" and r.sector_confidence == 0.2 and not r.agency for r in readings)
    assert readings[TEXTS.index("pungli")].agency == "saber-pungli"
    assert readings[TEXTS.index("#jalanrusak")].sector_top3 == (("infrastruktur", 1.0),)  # the rules alone
    # The small model knows three sectors; the rules add the others (energi from "pln").
    energy = small.read_many(["listrik padam terus, pln gimana ini"])[0]
    assert "energi" in {code for code, _ in energy.sector_top3}


def test_read_many_wants_one_location_per_text(shipped: ModelReader) -> None:
    for reader in (shared_reader(), shipped):
        with pytest.raises(ValueError, match="2 texts but 1 author locations"):
            reader.read_many(["a", "b"], ["Klaten"])


def test_the_model_reader_normalises_each_post_once(shipped: ModelReader, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = shipped.read_many(TEXTS)
    calls: list[str] = []

    def counted(text: str) -> list[str]:
        calls.append(text)
        return tokenise(text)

    def forbidden(text: str) -> list[str]:
        raise AssertionError("the rules and the features must use the reader's tokens")

    monkeypatch.setattr("triage.model_reader.tokenise", counted)
    monkeypatch.setattr("triage.reader.tokenise", forbidden)
    monkeypatch.setattr("triage.features.tokenise", forbidden)
    assert shipped.read_many(TEXTS) == expected
    assert calls == TEXTS


def test_shared_tokens_give_the_same_features_and_rules(shipped: ModelReader) -> None:
    rules = shared_reader()
    for text in TEXTS:
        tokens = tokenise(text)
        assert analyse_tokens(tokens) == analyse(text)
        assert rules.analyse(text, "Klaten", tokens=tokens) == rules.analyse(text, "Klaten")


def test_the_model_scores_a_batch_like_its_texts_one_by_one(shipped: ModelReader) -> None:
    model: LinearTextModel = shipped.sector_model
    assert model.predict_many(TEXTS) == [model.predict(text) for text in TEXTS]
    probabilities, evidence = model.probabilities([analyse(text) for text in TEXTS])
    assert probabilities.shape == (len(TEXTS), len(model.classes))
    assert abs(probabilities.sum(axis=1) - 1).max() < 1e-5
    assert evidence[TEXTS.index("")] == 0 and evidence[0] > 3
    empty, no_evidence = model.probabilities([])
    assert empty.shape == (0, len(model.classes)) and no_evidence.shape == (0,)


# -- kemala classify in batches ------------------------------------------------------------------


def _lines() -> list[str]:
    lines = [json.dumps({"id": n, "text": text, "author_location": LOCATIONS[n]}) for n, text in enumerate(TEXTS)]
    lines[3:3] = ["not json", "", json.dumps({"id": "no text"}), json.dumps({"id": 5, "text": 5})]
    return lines


@pytest.mark.parametrize("batch_size", [1, 3, 256])
def test_classify_output_does_not_depend_on_the_batch_size(shipped: ModelReader, batch_size: int) -> None:
    one_by_one, batched = io.StringIO(), io.StringIO()
    lines = _lines()
    readings = _one_by_one(shipped, TEXTS, LOCATIONS[: len(TEXTS)])
    expected = [reading.to_contract(n) for n, reading in enumerate(readings)]
    assert classify_jsonl(shipped, lines, one_by_one, batch_size=1) == (len(TEXTS), 4)
    assert classify_jsonl(shipped, lines, batched, batch_size=batch_size) == (len(TEXTS), 4)
    assert batched.getvalue() == one_by_one.getvalue()
    written = [json.loads(line) for line in batched.getvalue().splitlines()]
    assert [result for result in written if "error" not in result] == json.loads(json.dumps(expected))


class _FailsOn(Reader):
    """The rule reader, failing on one text (as a reader bug would)."""

    def __init__(self, bad: str) -> None:
        self.__dict__.update(shared_reader().__dict__)
        self.bad = bad

    def read(self, text: str, author_location: str | None = None) -> Reading:
        if text == self.bad:
            raise RuntimeError("boom")
        return super().read(text, author_location)


def test_a_post_that_breaks_the_batch_costs_only_its_line() -> None:
    reader = _FailsOn("pungli")
    out = io.StringIO()
    lines = [json.dumps({"id": n, "text": text}) for n, text in enumerate(TEXTS)]
    ok, errors = classify_jsonl(reader, lines, out, batch_size=8)
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    bad = TEXTS.index("pungli")
    assert (ok, errors) == (len(TEXTS) - 1, 1)
    assert results[bad] == {"id": bad, "error": f"line {bad + 1}: reader failed: RuntimeError"}
    assert [result["id"] for result in results] == list(range(len(TEXTS)))
    good = shared_reader()
    assert results[bad + 1] == good.read(TEXTS[bad + 1]).to_contract(bad + 1)


def test_lines_read_before_the_input_fails_are_still_answered() -> None:
    def broken_input() -> Iterator[str]:
        yield json.dumps({"id": 1, "text": "jalan rusak"})
        yield json.dumps({"id": 2, "text": "sampah numpuk"})
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    out = io.StringIO()
    with pytest.raises(UnicodeDecodeError):
        classify_jsonl(shared_reader(), broken_input(), out)
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [1, 2]
