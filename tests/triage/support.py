"""What the triage tests share: one reader over the shipped reference data, built once."""

from __future__ import annotations

from functools import cache

from triage import Reader, default_reference_dir


@cache
def shared_reader() -> Reader:
    return Reader.from_reference_dir(default_reference_dir())
