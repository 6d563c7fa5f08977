"""How fast the triage readers read: texts/s of ``read`` and ``read_many``, and ``kemala classify`` lines/s.

    nice -n 19 .venv/bin/python scripts/triage_speed.py            # 10,000 synthetic posts
    nice -n 19 .venv/bin/python scripts/triage_speed.py --texts 2000 --no-command

The texts are the sandbox's synthetic #KemalaJateng posts (``sandbox.corpus``, nothing real), with a
fixed seed. Each figure is the best of ``--repeat`` runs, one process, one thread, in CPU seconds of
the process (and of ``kemala classify``'s process): on a shared machine wall-clock rates swing by a
third from run to run, CPU time much less. Not a test, not timed in CI.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sandbox.corpus import generate_post  # noqa: E402
from triage import Reader, classify_jsonl, default_reference_dir  # noqa: E402
from triage.model_reader import ModelReader  # noqa: E402
from triage.reading import PostReader  # noqa: E402


def texts(count: int, seed: int = 20261202) -> list[str]:
    rng = random.Random(seed)
    return [generate_post(rng).text for _ in range(count)]


def best_rate(count: int, repeat: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return count / best


def measure(name: str, reader: PostReader, posts: Sequence[str], repeat: int) -> dict[str, float]:
    figures = {"read": best_rate(len(posts), repeat, lambda: [reader.read(text) for text in posts])}
    read_many = getattr(reader, "read_many", None)
    if read_many is not None:
        figures["read_many"] = best_rate(len(posts), repeat, lambda: read_many(posts))
    lines = [json.dumps({"id": number, "text": text}) + "\n" for number, text in enumerate(posts)]
    figures["classify_jsonl"] = best_rate(len(lines), repeat, lambda: classify_jsonl(reader, lines, io.StringIO()))
    print(f"{name:<28}" + "  ".join(f"{key} {value:6,.0f}/s" for key, value in figures.items()), flush=True)
    return figures


def command_rate(posts: Sequence[str], choice: str, repeat: int) -> tuple[float, float]:
    """``kemala classify`` as a process, in its CPU time: (lines/s over the whole run, lines/s after
    start-up, which is the same run with empty input)."""
    command = [sys.executable, "-m", "kemala.cli", "classify"]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KEMALA_TRIAGE_READER": choice,
        "DJANGO_SETTINGS_MODULE": "kemala.settings_test",
    }
    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory) / "in.jsonl"
        source.write_text("".join(json.dumps({"id": n, "text": t}) + "\n" for n, t in enumerate(posts)), "utf-8")
        empty = Path(directory) / "empty.jsonl"
        empty.write_text("", "utf-8")

        def run(path: Path) -> float:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            with path.open("rb") as stdin:
                subprocess.run(command, stdin=stdin, stdout=subprocess.DEVNULL, env=env, cwd=ROOT, check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)

        whole = min(run(source) for _ in range(repeat))
        start_up = min(run(empty) for _ in range(repeat))
    return len(posts) / whole, len(posts) / max(whole - start_up, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-command", action="store_true", help="skip `kemala classify` as a process")
    options = parser.parse_args()

    posts = texts(options.texts)
    print(f"{len(posts):,} synthetic posts, {sum(map(len, posts)) / len(posts):.0f} characters on average; CPU time")
    rules = Reader.from_reference_dir(default_reference_dir())
    model = ModelReader.load(ROOT / "programs" / "data" / "jateng" / "model", default_reference_dir(), rules=rules)
    for reader in (rules, model):  # warm the stem caches, as a long-running process would be
        for text in posts[:2000]:
            reader.read(text)
    measure("rules (baseline-rules-1)", rules, posts, options.repeat)
    measure(f"model ({model.model_version})", model, posts, options.repeat)
    if not options.no_command:
        for choice in ("baseline", "model"):
            whole, steady = command_rate(posts, choice, options.repeat)
            print(f"kemala classify {choice:<12}{whole:6,.0f} lines/s with start-up, {steady:6,.0f}/s without")


if __name__ == "__main__":
    main()
