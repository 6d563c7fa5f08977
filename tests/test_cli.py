"""The `kemala` command: sources add|list and classify, as an operator types them."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from programs.models import Program
from sources.models import Source

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, stdin: str = "") -> str:
    out = io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command(*args, stdout=out, stderr=io.StringIO())
    finally:
        sys.stdin = old_stdin
    return out.getvalue()


def test_sources_add_then_list(program: Program) -> None:
    added = run(
        "sources",
        "add",
        "x",
        "--name",
        "X KemalaJateng",
        "--query",
        "#KemalaJateng -is:retweet",
        "--base-url",
        "http://127.0.0.1:8010",
        "--bearer-token",
        "app-token",
        "--poll-interval",
        "15",
    )
    assert "added" in added
    source = Source.objects.get(name="X KemalaJateng")
    assert (source.platform, source.query, source.base_url, source.poll_interval_seconds) == (
        "x",
        "#KemalaJateng -is:retweet",
        "http://127.0.0.1:8010",
        15,
    )
    assert source.credentials == {"bearer_token": "app-token"}
    listed = run("sources", "list")
    assert "X KemalaJateng\tx\t#KemalaJateng -is:retweet\tactive" in listed
    assert "app-token" not in listed  # credentials are never printed
    assert "updated" in run("sources", "add", "x", "--name", "X KemalaJateng", "--query", "#KemalaJateng")
    assert Source.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base-url", "ftp://example.org"], r"is not an http\(s\) URL"),
        (["--poll-interval", "0"], "at least 1 second"),
        (["--program", "nowhere"], "is not loaded"),
    ],
)
def test_sources_add_refuses_bad_input(program: Program, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("sources", "add", "x", "--name", "n", "--query", "#KemalaJateng", *args)
    assert not Source.objects.exists()


def test_classify_follows_the_jsonl_contract(program: Program, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [
        json.dumps({"id": 7, "text": "Jalan berlubang di Kecamatan Tembalang Kota Semarang, hub 081234567890"}),
        "this is not json",
        json.dumps({"id": "b", "text": "TOLONG banjir sudah sepinggang di Demak #KemalaJateng"}),
    ]
    run("classify", stdin="\n".join(lines) + "\n")  # writes to standard output, for pipes
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o.get("id") for o in out] == [7, None, "b"]
    first = out[0]
    assert set(first) == {"id", "kind", "sector", "agency", "region", "urgency", "confidence", "pii", "model_version"}
    assert (first["sector"], first["agency"], first["region"][:5]) == ("infrastruktur", "kota-semarang", "33.74")
    assert first["pii"] == [{"kind": "phone", "start": 58, "end": 70}]
    assert "error" in out[1]
    assert (out[2]["sector"], out[2]["urgency"]) == ("bencana", "emergency")


def test_kemala_entry_point_wraps_manage_py() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kemala.cli", "help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "KEMALA_TESTING": "1", "DJANGO_SETTINGS_MODULE": "kemala.settings_test"},
    )
    assert result.returncode == 0, result.stderr
    for command in ("run", "worker", "sandbox", "sources", "classify", "setup"):
        assert f"    {command}\n" in result.stdout
