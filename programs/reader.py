"""The triage reader of each program, loaded once per process.

A program's reader is its trained model (``programs/data/<slug>/model/``, see its MODEL_CARD.md)
on top of the rule baseline; a program without a model directory gets the rule baseline alone.
``KEMALA_TRIAGE_READER=baseline`` in the environment chooses the baseline everywhere (the tests of
workflow, rather than of triage quality, use it so that they do not depend on a model).
"""

from __future__ import annotations

import os
import threading
from functools import cache
from pathlib import Path

from triage import Reader
from triage.model_reader import ModelReader
from triage.reading import PostReader

DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_DIRNAME = "model"
_lock = threading.Lock()


def reference_dir(program_slug: str) -> Path:
    return DATA_DIR / program_slug


def model_dir(program_slug: str) -> Path:
    return reference_dir(program_slug) / MODEL_DIRNAME


@cache
def _reader(program_slug: str, choice: str) -> PostReader:
    rules = Reader.from_reference_dir(reference_dir(program_slug))
    directory = model_dir(program_slug)
    if choice == "baseline" or not (directory / "manifest.json").is_file():
        return rules
    return ModelReader.load(directory, reference_dir(program_slug), rules=rules)


def reader_for(program_slug: str) -> PostReader:
    choice = os.environ.get("KEMALA_TRIAGE_READER", "model")
    with _lock:  # loading takes a moment; two threads must not both do it
        return _reader(program_slug, choice)
