"""The trained reader: a sector model plus the rules' region, kind, urgency and responsibility.

* **sector** — the trained model's probabilities, blended with the rules' sector shares where a
  rule topic matched (``rule_weight``, measured in ``triage/models/README.md``): the rules know
  rare, decisive words the data has too few examples of ("pungli", "rsud moewardi"). No known
  feature and no topic: ``lain-lain`` at 0.2 and no agency, like the baseline.
* **agency** — for each of the three most likely sectors, who is responsible:

  1. a rule topic of that sector matched: the rules' route (a named agency, the kab/kota
     government of the region for a kab/kota matter, else the provincial OPD);
  2. otherwise the sector's default route (:data:`SECTOR_ROUTES`): a kab/kota matter goes to the
     kab/kota government of the region found, with less certainty than a rule, a provincial or
     national one to its OPD or vertical agency.

  Each route's probability is the sector's probability times the route's certainty; the rest of
  it goes to the other level (the provincial OPD instead of the kab/kota, or the reverse), so
  the alternatives are the ones an admin would weigh. Routes to the same agency add up.
* **kind, urgency, region, personal data** — the rules (:meth:`triage.reader.Reader.analyse`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from triage.model import FloatArray, IntArray, LinearTextModel
from triage.normalise import tokenise
from triage.reader import FALLBACK_SECTOR, Analysis, Reader, author_locations_for
from triage.reading import Reading


@dataclass(frozen=True)
class SectorRoute:
    agency: str | None  # the provincial OPD or vertical agency
    kabkota: bool  # usually a kab/kota matter: the kab/kota government of the region answers


# Who usually answers a sector's complaint when no rule topic says more (jateng_agencies.csv).
SECTOR_ROUTES = {
    "infrastruktur": SectorRoute("dpu-bmck", kabkota=True),  # most roads, lights and drains are kab/kota's
    "permades-kependudukan": SectorRoute("dispermadesdukcapil", kabkota=True),  # KTP/KK, village affairs
    "sosial-masyarakat": SectorRoute("dinsos", kabkota=True),  # DTKS and bansos are kept by the kab/kota
    "pendidikan": SectorRoute("disdikbud", kabkota=False),  # SMA/SMK/SLB are the province's
    "energi": SectorRoute("desdm", kabkota=False),
    "kesehatan": SectorRoute("dinkes", kabkota=True),  # puskesmas
    "pertanian": SectorRoute("distanbun", kabkota=False),
    "keuangan-aset": SectorRoute("bapenda", kabkota=False),  # vehicle tax (samsat)
    "kepegawaian": SectorRoute("bkd", kabkota=False),
    "lingkungan": SectorRoute("dlhk", kabkota=True),  # local rubbish
    "ekonomi-industri": SectorRoute("disperindag", kabkota=False),
    "bencana": SectorRoute("bpbd", kabkota=False),
    "pariwisata-budaya": SectorRoute("disporapar", kabkota=False),
    "pembangunan-daerah": SectorRoute("bappeda", kabkota=False),
    "forkominda": SectorRoute("polda-jateng", kabkota=False),
    "saberpungli": SectorRoute("saber-pungli", kabkota=False),
    "lain-lain": SectorRoute(None, kabkota=False),
}

_NO_ROUTE = SectorRoute(None, kabkota=False)
_DEFAULT_CERTAINTY_FIXED = 0.7
_DEFAULT_CERTAINTY_REGION_FROM_TEXT = 0.75
_DEFAULT_CERTAINTY_REGION_FROM_PROFILE = 0.6
_DEFAULT_CERTAINTY_NO_REGION = 0.45
_NO_EVIDENCE_CONFIDENCE = 0.2
DEFAULT_RULE_WEIGHT = 0.3


class ModelReader:
    """Reads posts with a trained sector model; build once with :meth:`load` and reuse."""

    def __init__(self, rules: Reader, sector_model: LinearTextModel, rule_weight: float = DEFAULT_RULE_WEIGHT) -> None:
        self.rules = rules
        self.sector_model = sector_model
        self.rule_weight = rule_weight
        self.model_version = sector_model.version

    @classmethod
    def load(
        cls, model_dir: str | os.PathLike[str], reference_dir: str | os.PathLike[str], rules: Reader | None = None
    ) -> ModelReader:
        model = LinearTextModel.load(model_dir)
        weight = float(model.manifest.get("rule_weight", DEFAULT_RULE_WEIGHT))
        return cls(rules or Reader.from_reference_dir(Path(reference_dir)), model, rule_weight=weight)

    def read(self, text: str, author_location: str | None = None) -> Reading:
        return self.read_many([text], [author_location])[0]

    def read_many(self, texts: Sequence[str], author_locations: Sequence[str | None] | None = None) -> list[Reading]:
        """One reading per text (see :meth:`triage.reading.PostReader.read_many`).

        Each post is normalised once (:func:`triage.normalise.tokenise`); its tokens feed the rules
        and the model's features. The model scores all posts that are not spam in one batch, and
        blending and ranking run over the batch at once; what is left per post is its agencies.
        """
        locations = author_locations_for(texts, author_locations)
        token_analyser = self.sector_model.token_analyser
        analyses: list[Analysis] = []
        features: list[list[str]] = []
        readable: list[int] = []
        for position, (text, location) in enumerate(zip(texts, locations, strict=True)):
            tokens = tokenise(text)
            analysis = self.rules.analyse(text, location, tokens=tokens)
            analyses.append(analysis)
            if analysis.kind != "spam":
                readable.append(position)
                features.append(token_analyser(tokens))
        if not readable:
            return [self._reading(analysis) for analysis in analyses]
        probabilities, evidence = self.sector_model.probabilities(features)
        ranked: list[list[tuple[str, float]] | None] = [None] * len(analyses)
        for position, sectors in zip(
            readable, self._sectors([analyses[p] for p in readable], probabilities, evidence), strict=True
        ):
            ranked[position] = sectors
        return [self._reading(analysis, sectors) for analysis, sectors in zip(analyses, ranked, strict=True)]

    def _reading(self, analysis: Analysis, sectors: list[tuple[str, float]] | None = None) -> Reading:
        """One post's reading from the rules' analysis and its three most likely sectors (None: spam, or
        nothing known)."""
        region = analysis.region
        sector: str | None = None
        sector_confidence = agency_confidence = 0.0
        agency: str | None = None
        sector_top3: tuple[tuple[str, float], ...] = ()
        agency_top3: tuple[tuple[str, float], ...] = ()
        if sectors is not None:
            sector_top3 = tuple((label, round(p, 4)) for label, p in sectors)
            sector, sector_confidence = sector_top3[0]
            agencies = self.agency_distribution(sectors, analysis)
            agency_top3 = tuple((code, round(p, 4)) for code, p in agencies[:3])
            if agency_top3:
                agency, agency_confidence = agency_top3[0]
        elif analysis.kind != "spam":  # no known feature and no rule topic (spam has no sector)
            sector, sector_confidence = FALLBACK_SECTOR, _NO_EVIDENCE_CONFIDENCE
            sector_top3 = ((FALLBACK_SECTOR, _NO_EVIDENCE_CONFIDENCE),)
        return Reading(
            kind=analysis.kind,
            sector=sector,
            sector_confidence=sector_confidence,
            agency=agency,
            agency_confidence=agency_confidence,
            region=region.code if region else None,
            region_evidence=region.evidence if region else None,
            urgency=analysis.urgency,
            pii=analysis.pii,
            model_version=self.model_version,
            sector_top3=sector_top3,
            agency_top3=agency_top3,
        )

    def _sectors(
        self, analyses: Sequence[Analysis], probabilities: FloatArray, evidence: IntArray
    ) -> list[list[tuple[str, float]] | None]:
        """The three most likely sectors of each post, model and rules blended (see the module
        docstring); ``None`` for a post with no known feature and no rule topic."""
        labels = list(self.sector_model.classes)
        column = {label: number for number, label in enumerate(labels)}
        blended = probabilities.astype(np.float64)
        shares = [analysis.rule_sectors() if self.rule_weight > 0 else {} for analysis in analyses]
        known = evidence.tolist()
        blend_rows = [row for row, share in enumerate(shares) if share and known[row] > 0]
        if blend_rows:
            for share in (shares[row] for row in blend_rows):
                for sector in share:
                    if sector not in column:  # a sector the model was not trained on
                        column[sector] = len(labels)
                        labels.append(sector)
            if len(labels) > blended.shape[1]:
                blended = np.pad(blended, ((0, 0), (0, len(labels) - blended.shape[1])))
            rules = np.zeros((len(blend_rows), len(labels)))
            for number, row in enumerate(blend_rows):
                for sector, share_of_sector in shares[row].items():
                    rules[number, column[sector]] = share_of_sector
            blended[blend_rows] = (1 - self.rule_weight) * blended[blend_rows] + self.rule_weight * rules
        order = np.argsort(-blended, axis=1, kind="stable")[:, :3]
        top_probabilities = np.take_along_axis(blended, order, axis=1).tolist()
        trained = len(self.sector_model.classes)
        result: list[list[tuple[str, float]] | None] = []
        for row, (ranks, values) in enumerate(zip(order.tolist(), top_probabilities, strict=True)):
            if known[row] > 0:
                # A sector the model does not know counts only in the posts whose rules found it.
                result.append(
                    [
                        (labels[rank], value)
                        for rank, value in zip(ranks, values, strict=True)
                        if rank < trained or labels[rank] in shares[row]
                    ]
                )
            elif shares[row]:  # no known feature: the rules alone (in the order they found the sectors)
                result.append(sorted(shares[row].items(), key=lambda item: -item[1])[:3])
            else:
                result.append(None)
        return result

    def agency_distribution(self, sectors: Sequence[tuple[str, float]], analysis: Analysis) -> list[tuple[str, float]]:
        """Agencies with their probability for the most likely ``sectors`` (see the module
        docstring), best first."""
        scores: dict[str, float] = {}

        def add(agency: str | None, weight: float) -> None:
            if agency is not None and weight > 0:
                scores[agency] = scores.get(agency, 0.0) + weight

        government = self.rules.kabkota_government(analysis.region)
        from_profile = analysis.region is not None and analysis.region.from_author_location
        for sector, probability in sectors[:3]:
            route = SECTOR_ROUTES.get(sector, _NO_ROUTE)
            ruled = self.rules.rule_route(sector, analysis)
            if ruled is not None:
                agency, certainty = ruled
                other = route.agency if agency != route.agency else (government if route.kabkota else None)
            elif route.kabkota and government is not None:
                agency = government
                certainty = (
                    _DEFAULT_CERTAINTY_REGION_FROM_PROFILE if from_profile else _DEFAULT_CERTAINTY_REGION_FROM_TEXT
                )
                other = route.agency
            elif route.kabkota:
                agency, certainty, other = route.agency, _DEFAULT_CERTAINTY_NO_REGION, None
            else:
                agency, certainty, other = route.agency, _DEFAULT_CERTAINTY_FIXED, None
            add(agency, probability * certainty)
            add(other, probability * (1 - certainty))
        return sorted(scores.items(), key=lambda item: -item[1])
