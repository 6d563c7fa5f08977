"""Triage: read a citizen's post (kind, sector, agency, region, urgency, personal data).

Pure Python, no Django: text in, :class:`Reading` out. This is the rule/keyword baseline
(``baseline-rules-1``); trained models will implement the same interface.

    reader = Reader.from_reference_dir(default_reference_dir())   # once
    reading = reader.read("jln rusak parah di tembalang smg #KemalaJateng")
    readings = reader.read_many(texts, author_locations)          # a page of posts at once

``read_many`` returns exactly what ``read`` returns for each text; the trained reader
(:class:`triage.model_reader.ModelReader`) scores a batch in one go and is several times faster so.
"""

from __future__ import annotations

from triage.jsonl import classify_jsonl
from triage.normalise import normalise
from triage.pii import find_pii, mask_pii
from triage.reader import MODEL_VERSION, Reader, default_reference_dir
from triage.reading import PiiSpan, Reading

__all__ = [
    "MODEL_VERSION",
    "PiiSpan",
    "Reader",
    "Reading",
    "classify_jsonl",
    "default_reference_dir",
    "find_pii",
    "mask_pii",
    "normalise",
]
