"""The baseline reader: keyword rules + region gazetteer -> a :class:`~triage.reading.Reading`.

How each part of the reading is decided (the phrase lists are in :mod:`triage.rules`):

* **sector** — every matched topic phrase adds its topic's weight to the topic's sector; the
  heaviest sector wins (ties: the one named first). Confidence is honest about how much was seen:
  ``0.15 + 0.8 * share * top / (top + 2)``, where ``top`` is the winner's weight and ``share`` its
  part of all matched weight — one decisive keyword gives ~0.63, several agreeing ones ~0.8, a
  split between sectors much less. Nothing matched: ``lain-lain`` at 0.2 and no agency.
* **agency** — inside the winning sector, a topic that names its agency or overrides the generic
  one (weight >= 5: "RSUD Moewardi", "jalan provinsi", "bansos provinsi") routes; otherwise the
  heaviest topic (table in :mod:`triage.rules`) routes:
  a fixed agency (certainty 0.95), or for a kab/kota matter the kab/kota government of the region
  found (0.9 from the text, 0.7 from the author's profile location), falling back to the
  topic's provincial OPD when no region is known (0.5). ``agency_confidence`` is the sector
  confidence times that certainty.
* **kind** — weighted cue families (problem, question, rhetorical question, suggestion, thanks,
  spam):
  spam when the spam score is at least 3 and at least twice the public-service score (problem
  cues plus half the topic weight; three or more URLs add 3); suggestion when its cues are at
  least 2 and outweigh the problem cues; question when question cues (a "?" counts 1; "kok",
  "kenapa", "kemana" and a "?" after only those count half) outweigh
  the problem cues and the post is about a public service or asks explicitly; appreciation when
  thanks are not outweighed by problems (thanks >= 2 x problems + 1) and nothing is asked; a
  weak suggestion ("sebaiknya …") without problems; complaint when a problem or a public-service
  topic is described; otherwise other.
* **urgency** — emergency when a disaster or threat-to-life cue is present and not negated
  ("tidak banjir") nor framed as risk, habit or past ("rawan longsor", "tiap hujan banjir",
  "bekas kebakaran") unless a "now" word is near it ("sekarang", "saat ini", "masih"); also when
  help is asked ("tolong", "segera") and a danger-to-life word appears ("nyawa", "api",
  "terjebak"). High for structural danger and outages (jalan ambrol, pohon tumbang, kabel putus,
  air mati + a duration such as "3 hari"), and for framed disaster cues. Otherwise normal.
* **region** — see :mod:`triage.region`; **pii** — see :mod:`triage.pii`.
"""

from __future__ import annotations

import csv
import itertools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from triage import rules
from triage.normalise import tokenise
from triage.phrases import PhraseIndex, StemCache
from triage.pii import find_pii
from triage.reading import PiiSpan, Reading
from triage.region import Gazetteer, RegionFinding

MODEL_VERSION = "baseline-rules-1"
FALLBACK_SECTOR = "lain-lain"

_ROUTE_CERTAINTY_FIXED = 0.95
_ROUTE_CERTAINTY_REGION_FROM_TEXT = 0.9
_ROUTE_CERTAINTY_REGION_FROM_PROFILE = 0.7
_ROUTE_CERTAINTY_PROVINCIAL_FALLBACK = 0.5
_NO_TOPIC_SECTOR_CONFIDENCE = 0.2
_NAMING_WEIGHT = 5

_URL = re.compile(r"(?:https?://|www\.)\S", re.IGNORECASE)
# "… masih ada ya?", "… bisa lewat sini kan?": a sentence ending in a tag particle and "?" asks.
_TAG_QUESTION = re.compile(
    r"\b(?:ya|yah|kah|kan|gak|ga|g|nggak|ngga|tidak|tdk|belum|blm|nggih|ndak)\s*\?",
    re.IGNORECASE,
)


def default_reference_dir() -> Path:
    """The reference data shipped with the repository: ``programs/data/jateng``."""
    return Path(__file__).resolve().parent.parent / "programs" / "data" / "jateng"


@dataclass(frozen=True, slots=True)
class _Cue:
    family: str
    weight: float


def _cue_index(families: dict[str, str]) -> PhraseIndex[_Cue]:
    index: PhraseIndex[_Cue] = PhraseIndex()
    for family, spec in families.items():
        for phrase, weight in rules.parse_cues(spec):
            tokens = tokenise(phrase)
            if tokens:
                index.add(tokens, _Cue(family, weight))
    return index


@dataclass(frozen=True, slots=True)
class _TopicScores:
    by_sector: dict[str, float]
    by_topic: dict[rules.Topic, float]
    first_position: dict[rules.Topic, int]
    total: float


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the rules found in one post (see :meth:`Reader.analyse`)."""

    topics: _TopicScores
    kind: str
    region: RegionFinding | None
    urgency: str
    pii: tuple[PiiSpan, ...]

    def rule_sectors(self) -> dict[str, float]:
        """The rules' sector distribution: each sector's share of the matched topic weight."""
        total = self.topics.total
        if total <= 0:
            return {}
        return {sector: weight / total for sector, weight in self.topics.by_sector.items()}


class Reader:
    """Reads posts; build once with :meth:`from_reference_dir` and reuse (it is not cheap to build)."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        sector_codes: frozenset[str],
        agency_codes: frozenset[str],
        kabkota_agency_by_region: dict[str, str],
    ) -> None:
        self._gazetteer = gazetteer
        self._kabkota_agency_by_region = kabkota_agency_by_region
        self._topics: PhraseIndex[rules.Topic] = PhraseIndex()
        for topic in rules.TOPICS:
            if topic.sector not in sector_codes:
                raise ValueError(f"rule {topic.name!r} names unknown sector {topic.sector!r}")
            if topic.agency is not None and topic.agency not in agency_codes:
                raise ValueError(f"rule {topic.name!r} names unknown agency {topic.agency!r}")
            for phrase in topic.phrases:
                tokens = tokenise(phrase)
                if tokens:
                    self._topics.add(tokens, topic)
        self._kind_cues = _cue_index(
            {
                "problem": rules.PROBLEM_CUES,
                "question": rules.QUESTION_CUES,
                "rhetorical": rules.RHETORICAL_CUES,
                "suggestion": rules.SUGGESTION_CUES,
                "thanks": rules.THANKS_CUES,
                "praise": rules.PRAISE_CUES,
                "spam": rules.SPAM_CUES,
            }
        )
        self._urgency_cues = _cue_index(
            {
                "emergency": rules.EMERGENCY_CUES,
                "high": rules.HIGH_CUES,
                "outage": rules.OUTAGE_CUES,
                "not-urgent": rules.NOT_URGENT_CUES,
            }
        )
        self._now_phrases = [tuple(tokenise(phrase)) for phrase in rules.NOW_PHRASES]
        self._stems = StemCache(
            self._topics.vocabulary() | self._kind_cues.vocabulary() | self._urgency_cues.vocabulary()
        )

    @classmethod
    def from_reference_dir(cls, path: str | os.PathLike[str]) -> Reader:
        """Load the reference CSVs (regions, agencies, sectors) from ``path`` once."""
        directory = Path(path)
        with (directory / "jateng_sectors.csv").open(encoding="utf-8", newline="") as handle:
            sector_codes = frozenset(row["code"] for row in csv.DictReader(handle))
        agency_codes: set[str] = set()
        kabkota_agency_by_region: dict[str, str] = {}
        with (directory / "jateng_agencies.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                agency_codes.add(row["code"])
                if row["kind"] == "pemda-kabkota" and row["region_code"]:
                    kabkota_agency_by_region[row["region_code"]] = row["code"]
        # Words the rules rely on are "common words" for the gazetteer too: a desa called "Pasar"
        # or "Tolong" must not turn every complaint about a market, or every plea, into a place.
        phrases = [phrase for topic in rules.TOPICS for phrase in topic.phrases]
        for spec in rules.ALL_CUE_SPECS:
            phrases.extend(phrase for phrase, _ in rules.parse_cues(spec))
        # Only one-word phrases: "rsj solo" is a phrase about a hospital, "solo" is still a city.
        keyword_vocabulary = {tokens[0] for tokens in map(tokenise, phrases) if len(tokens) == 1}
        gazetteer = Gazetteer.from_reference_dir(directory, extra_common_words=keyword_vocabulary)
        return cls(gazetteer, sector_codes, frozenset(agency_codes), kabkota_agency_by_region)

    # -- reading ---------------------------------------------------------------------------

    def analyse(self, text: str, author_location: str | None = None, tokens: Sequence[str] | None = None) -> Analysis:
        """Everything the rules see in ``text``; :meth:`read` and the trained readers build on it.

        ``tokens``: ``tokenise(text)`` when the caller has it already (the trained readers normalise
        a post once, for the rules and for the model's features).
        """
        if tokens is None:
            tokens = tokenise(text)
        # Place names are matched as written; keywords also through enclitics ("jalannya").
        forms = self._stems.forms(tokens)
        topics = self._score_topics(forms)
        kind = self._kind(text, forms, topics)
        return Analysis(
            topics=topics,
            kind=kind,
            region=self._gazetteer.find(tokens, author_location),
            urgency=_cap_urgency(self._urgency(forms), kind),
            pii=tuple(find_pii(text)),
        )

    def read(self, text: str, author_location: str | None = None) -> Reading:
        analysis = self.analyse(text, author_location)
        topics, kind, region = analysis.topics, analysis.kind, analysis.region

        sector: str | None
        agency: str | None
        if kind == "spam":
            sector, sector_confidence, agency, agency_confidence = None, 0.0, None, 0.0
        elif not topics.by_topic:
            sector, sector_confidence, agency, agency_confidence = (
                FALLBACK_SECTOR,
                _NO_TOPIC_SECTOR_CONFIDENCE,
                None,
                0.0,
            )
        else:
            sector, sector_confidence = self._sector(topics)
            agency, certainty = self._route(sector, topics, region)
            agency_confidence = sector_confidence * certainty

        return Reading(
            kind=kind,
            sector=sector,
            sector_confidence=round(sector_confidence, 4),
            agency=agency,
            agency_confidence=round(agency_confidence, 4),
            region=region.code if region else None,
            region_evidence=region.evidence if region else None,
            urgency=analysis.urgency,
            pii=analysis.pii,
            model_version=MODEL_VERSION,
        )

    def read_many(self, texts: Sequence[str], author_locations: Sequence[str | None] | None = None) -> list[Reading]:
        """``[read(text, author_location) …]`` for a batch of posts (the rules read one post at a time)."""
        locations = author_locations_for(texts, author_locations)
        return [self.read(text, location) for text, location in zip(texts, locations, strict=True)]

    def rule_route(self, sector: str, analysis: Analysis) -> tuple[str | None, float] | None:
        """The rules' agency and certainty for ``sector``, or None when no topic of it matched."""
        if not any(topic.sector == sector for topic in analysis.topics.by_topic):
            return None
        return self._route(sector, analysis.topics, analysis.region)

    def kabkota_government(self, region: RegionFinding | None) -> str | None:
        """The kab/kota government (``kab-…``/``kota-…``) of ``region``, if it is in the program."""
        if region is None:
            return None
        return self._kabkota_agency_by_region.get(region.code[:5])

    def _score_topics(self, tokens: Sequence[str]) -> _TopicScores:
        by_sector: dict[str, float] = {}
        by_topic: dict[rules.Topic, float] = {}
        first_position: dict[rules.Topic, int] = {}
        total = 0.0
        for match in self._topics.find(tokens):
            for topic in match.payloads:
                by_sector[topic.sector] = by_sector.get(topic.sector, 0.0) + topic.weight
                by_topic[topic] = by_topic.get(topic, 0.0) + topic.weight
                first_position.setdefault(topic, match.start)
                total += topic.weight
        return _TopicScores(by_sector, by_topic, first_position, total)

    @staticmethod
    def _sector(topics: _TopicScores) -> tuple[str, float]:
        def first_seen(sector: str) -> int:
            positions = topics.first_position.items()
            return min(position for topic, position in positions if topic.sector == sector)

        best = max(topics.by_sector, key=lambda sector: (topics.by_sector[sector], -first_seen(sector)))
        top = topics.by_sector[best]
        share = top / topics.total
        return best, min(0.95, 0.15 + 0.8 * share * top / (top + 2.0))

    def _route(self, sector: str, topics: _TopicScores, region: RegionFinding | None) -> tuple[str | None, float]:
        in_sector = [topic for topic in topics.by_topic if topic.sector == sector]
        # A topic that names its agency or overrides ("rsud moewardi", "jalan provinsi", weight >= 5)
        # routes whenever it matched; otherwise the heaviest topic, then the one named first.
        topic = max(
            in_sector,
            key=lambda item: (item.weight >= _NAMING_WEIGHT, topics.by_topic[item], -topics.first_position[item]),
        )
        if not topic.kabkota:
            return topic.agency, _ROUTE_CERTAINTY_FIXED
        if region is not None:
            government = self._kabkota_agency_by_region.get(region.code[:5])
            if government is not None:
                certainty = (
                    _ROUTE_CERTAINTY_REGION_FROM_PROFILE
                    if region.from_author_location
                    else _ROUTE_CERTAINTY_REGION_FROM_TEXT
                )
                return government, certainty
        return topic.agency, _ROUTE_CERTAINTY_PROVINCIAL_FALLBACK

    def _kind(self, text: str, tokens: Sequence[str], topics: _TopicScores) -> str:
        families = ("problem", "question", "rhetorical", "suggestion", "thanks", "praise", "spam")
        scores = dict.fromkeys(families, 0.0)
        for match in self._kind_cues.find(tokens):
            for cue in match.payloads:
                scores[cue.family] += cue.weight
        url_count = len(_URL.findall(text))
        if url_count >= 3:
            scores["spam"] += 3
        elif url_count == 2:
            scores["spam"] += 1
        question = scores["question"] + scores["rhetorical"] / 2
        if _TAG_QUESTION.search(text):
            question += 1.5
        elif "?" in text:
            question += 1 if scores["question"] > 0 else 0.5
        problem = scores["problem"] + _waiting_time(tokens)
        suggestion, spam = scores["suggestion"], scores["spam"]
        thanks, praise = scores["thanks"], scores["praise"]

        public_service = problem + topics.total / 2
        if spam >= 3 and spam >= 2 * public_service:
            return "spam"
        if suggestion >= 2 and suggestion >= problem:
            return "suggestion"
        if question >= 1 and question > problem and (topics.total > 0 or question >= 2):
            return "question"
        if question < 1 and (
            (praise >= 1 and praise + thanks >= 2 * problem + 1) or (thanks >= 1 and problem == 0 and topics.total == 0)
        ):
            return "appreciation"
        if suggestion >= 1 and problem < 1 and question < 1:
            return "suggestion"
        if problem >= 1 or topics.total > 0:
            return "complaint"
        return "other"

    def _urgency(self, tokens: Sequence[str]) -> str:
        urgency = "normal"
        saw_outage = False
        for match in self._urgency_cues.find(tokens):
            for cue in match.payloads:
                if cue.family == "not-urgent":
                    continue
                if cue.family == "outage":
                    saw_outage = True
                elif cue.family == "high":
                    urgency = "high"
                elif self._is_negated(tokens, match.start):
                    continue
                elif self._is_framed(tokens, match.start, match.end) and not self._is_now(
                    tokens, match.start, match.end
                ):
                    urgency = "high"
                else:
                    return "emergency"
        token_set = set(tokens)
        if token_set & rules.REQUEST_WORDS and token_set & rules.DANGER_WORDS:
            return "emergency"
        if saw_outage and token_set & rules.DURATION_WORDS:
            urgency = "high"
        return urgency

    @staticmethod
    def _is_negated(tokens: Sequence[str], start: int) -> bool:
        return any(token in rules.NEGATION_WORDS for token in tokens[max(0, start - 2) : start])

    @staticmethod
    def _is_framed(tokens: Sequence[str], start: int, end: int) -> bool:
        window = [*tokens[max(0, start - 3) : start], *tokens[end : end + 3]]
        return any(token in rules.MITIGATING_WORDS for token in window)

    def _is_now(self, tokens: Sequence[str], start: int, end: int) -> bool:
        window = tokens[max(0, start - 4) : end + 4]
        if any(token in rules.NOW_WORDS for token in window):
            return True
        return any(_contains(window, phrase) for phrase in self._now_phrases)


def author_locations_for(texts: Sequence[str], author_locations: Sequence[str | None] | None) -> Sequence[str | None]:
    """The author locations of a batch: one per text (``None`` for all when not given)."""
    if author_locations is None:
        return [None] * len(texts)
    if len(author_locations) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(author_locations)} author locations")
    return author_locations


def _waiting_time(tokens: Sequence[str]) -> float:
    """1 if the post counts how long something has taken ("3 bulan", "dua minggu"), else 0."""
    for previous, token in itertools.pairwise(tokens):
        if token in rules.WAITING_UNITS and (previous.isdigit() or previous in rules.NUMBER_WORDS):
            return 1.0
    return 0.0


def _cap_urgency(urgency: str, kind: str) -> str:
    """Chatter and spam are never urgent. Questions, suggestions and thanks are at most "high":
    "where is the flood shelter?" asks about an emergency, "thanks for the evacuation" looks back
    on one — but a misread kind must not hide a disaster completely, so they keep "high"."""
    if kind in ("other", "spam"):
        return "normal"
    if kind in ("question", "suggestion", "appreciation") and urgency == "emergency":
        return "high"
    return urgency


def _contains(tokens: Sequence[str], phrase: tuple[str, ...]) -> bool:
    width = len(phrase)
    if width == 0:
        return False
    first = phrase[0]
    return any(
        tokens[position] == first and tuple(tokens[position : position + width]) == phrase
        for position in range(len(tokens) - width + 1)
    )
