"""The triage reader of each program, loaded once per process."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from triage import Reader

DATA_DIR = Path(__file__).resolve().parent / "data"
_lock = threading.Lock()


def reference_dir(program_slug: str) -> Path:
    return DATA_DIR / program_slug


@cache
def _reader(program_slug: str) -> Reader:
    return Reader.from_reference_dir(reference_dir(program_slug))


def reader_for(program_slug: str) -> Reader:
    with _lock:  # loading takes a moment; two threads must not both do it
        return _reader(program_slug)
