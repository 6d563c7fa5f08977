"""The result of reading one post: the data types shared by triage and its callers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

KINDS = ("complaint", "question", "suggestion", "appreciation", "other", "spam")
URGENCIES = ("emergency", "high", "normal")
PII_KINDS = ("nik", "phone", "email")


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """A piece of personal data: ``text[start:end]`` of the original text."""

    kind: str  # "nik" | "phone" | "email"
    start: int
    end: int


@dataclass(frozen=True)
class Reading:
    """What triage understood of one post."""

    kind: str  # one of KINDS
    sector: str | None  # code from jateng_sectors.csv (None for spam)
    sector_confidence: float  # 0..1
    agency: str | None  # code from jateng_agencies.csv
    agency_confidence: float  # 0..1
    region: str | None  # most specific Kemendagri code found, e.g. "33.74.01"
    region_evidence: str | None  # the (normalised) words that named the region
    urgency: str  # one of URGENCIES
    pii: tuple[PiiSpan, ...]
    model_version: str
    # The best three (code, probability) of a trained model, best first; empty for the rule baseline.
    sector_top3: tuple[tuple[str, float], ...] = ()
    agency_top3: tuple[tuple[str, float], ...] = ()

    def to_contract(self, id: object) -> dict[str, Any]:
        """The ``kemala classify`` output object for this reading (see DESIGN.md)."""
        return {
            "id": id,
            "kind": self.kind,
            "sector": self.sector,
            "agency": self.agency,
            "region": self.region,
            "urgency": self.urgency,
            "confidence": {
                "sector": round(self.sector_confidence, 3),
                "agency": round(self.agency_confidence, 3),
            },
            "pii": [{"kind": span.kind, "start": span.start, "end": span.end} for span in self.pii],
            "model_version": self.model_version,
        }


class PostReader(Protocol):
    """Anything that reads a post: the rule baseline and the trained readers alike."""

    def read(self, text: str, author_location: str | None = None) -> Reading: ...

    def read_many(self, texts: Sequence[str], author_locations: Sequence[str | None] | None = None) -> list[Reading]:
        """One reading per text, in order, each exactly what :meth:`read` returns for it.

        ``author_locations`` is ``None`` or one location (or ``None``) per text, else ValueError.
        Call it with a page of posts (tens to a thousand): the trained readers score a batch at
        once and read about 1.6x faster so; their working memory grows with the batch.
        """
        ...
