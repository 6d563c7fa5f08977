"""classify_jsonl(): the `kemala classify` contract — one output line per input line, same order."""

from __future__ import annotations

import io
import json
import time
from typing import Any

import pytest

from tests.triage.support import shared_reader
from triage import Reader, classify_jsonl
from triage.reading import KINDS


@pytest.fixture(scope="module")
def reader() -> Reader:
    return shared_reader()


def _run(reader: Reader, lines: list[str]) -> tuple[list[dict[str, Any]], int, int]:
    out = io.StringIO()
    ok, errors = classify_jsonl(reader, lines, out)
    written = out.getvalue().splitlines()
    return [json.loads(line) for line in written], ok, errors


def test_good_and_bad_lines_keep_their_order(reader: Reader) -> None:
    lines = [
        json.dumps({"id": 1, "text": "jln rusak di tembalang smg"}) + "\n",
        "this is not json\n",
        json.dumps({"id": "b", "text": "banjir di kota pekalongan sekarang", "author_location": None}) + "\n",
        json.dumps({"id": 3}) + "\n",
        json.dumps({"id": 4, "text": 42}) + "\n",
        json.dumps(["a", "list"]) + "\n",
        "\n",
        json.dumps({"id": 7, "text": "bpjs ditolak", "author_location": 5}) + "\n",
        '{"id": 8, "text": NaN}\n',
        json.dumps({"text": "pungli di samsat", "author_location": "Klaten"}) + "\n",
    ]
    results, ok, errors = _run(reader, lines)
    assert (ok, errors) == (3, 7)
    assert len(results) == len(lines)
    assert [result.get("id") for result in results] == [1, None, "b", 3, 4, None, None, 7, None, None]

    first, not_json, flood, no_text, number_text, a_list, blank, bad_location, nan, no_id = results
    assert first["region"] == "33.74.10" and first["agency"] == "kota-semarang"
    assert flood["urgency"] == "emergency" and flood["region"] == "33.75"
    assert no_id["agency"] == "saber-pungli" and "error" not in no_id
    assert not_json["error"].startswith("line 2: not valid JSON")
    assert no_text["error"] == 'line 4: missing "text"'
    assert number_text["error"] == 'line 5: "text" must be a string, got number'
    assert a_list["error"] == "line 6: expected a JSON object, got list"
    assert blank["error"].startswith("line 7: empty line")
    assert bad_location["error"] == 'line 8: "author_location" must be a string or null, got number'
    assert nan["error"].startswith("line 9: not valid JSON")


def test_output_follows_the_contract(reader: Reader) -> None:
    results, _, _ = _run(
        reader, [json.dumps({"id": {"platform": "x", "n": 1}, "text": "lpg langka, wa 0812-3456-7890"})]
    )
    (result,) = results
    assert set(result) == {"id", "kind", "sector", "agency", "region", "urgency", "confidence", "pii", "model_version"}
    assert result["id"] == {"platform": "x", "n": 1}  # any JSON id is echoed as given
    assert result["kind"] in KINDS
    assert result["sector"] == "energi" and result["agency"] == "pertamina"
    assert result["pii"] == [{"kind": "phone", "start": 15, "end": 29}]
    assert 0 <= result["confidence"]["sector"] <= 1 and 0 <= result["confidence"]["agency"] <= 1


def test_hostile_text_is_read_and_written_as_ascii_json(reader: Reader) -> None:
    lines = [
        json.dumps({"id": "surrogate", "text": "jalan \ud800 rusak"}),
        json.dumps({"id": "nul", "text": "jalan\x00rusak"}),
        json.dumps({"id": "\u202eRTL", "text": "<script>alert(1)</script> 😡"}),
    ]
    out = io.StringIO()
    ok, errors = classify_jsonl(reader, lines, out)
    assert (ok, errors) == (3, 0)
    assert out.getvalue().isascii()
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == ["surrogate", "nul", "\u202eRTL"]


def test_ten_thousand_lines_stream_through_one_reader(reader: Reader, monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing may be loaded per line: building a reader again would fail this test.
    def no_reloading(*args: object, **kwargs: object) -> Reader:
        raise AssertionError("classify_jsonl must not build a reader per line")

    monkeypatch.setattr(Reader, "from_reference_dir", no_reloading)
    texts = [
        "jln rusak parah di tembalang smg",
        "kapan bansos cair?",
        "slot gacor maxwin link di bio",
        "banjir bandang di desa dieng kejajar, tolong segera",
        "ktp blm jadi 3 bulan di dukcapil kab. smg",
    ]
    lines = (
        json.dumps({"id": number, "text": texts[number % len(texts)]}) if number % 1000 else "{broken"
        for number in range(10_000)
    )
    out = io.StringIO()
    started = time.perf_counter()
    ok, errors = classify_jsonl(reader, lines, out)
    elapsed = time.perf_counter() - started
    written = out.getvalue().splitlines()
    assert (ok, errors) == (9_990, 10)
    assert len(written) == 10_000
    assert [json.loads(line).get("id") for line in written[1:6]] == [1, 2, 3, 4, 5]
    assert json.loads(written[9_999])["id"] == 9_999
    assert elapsed < 30  # about 1 s on a laptop
