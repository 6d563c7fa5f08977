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
from dataclasses import dataclass, replace
from pathlib import Path

from triage.model import LinearTextModel, Prediction
from triage.reader import FALLBACK_SECTOR, Analysis, Reader
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

    def sector_distribution(self, text: str, analysis: Analysis) -> Prediction:
        """The blended sector probabilities of ``text`` (model and rules), best first."""
        prediction = self.sector_model.predict(text)
        rule_shares = analysis.rule_sectors()
        if not rule_shares or self.rule_weight <= 0:
            return prediction
        if prediction.evidence == 0:
            blended = dict(rule_shares)
        else:
            blended = {label: (1 - self.rule_weight) * p for label, p in prediction.ranked}
            for sector, share in rule_shares.items():
                blended[sector] = blended.get(sector, 0.0) + self.rule_weight * share
        ranked = tuple(sorted(blended.items(), key=lambda item: -item[1]))
        return Prediction(ranked, max(prediction.evidence, 1))

    def read(self, text: str, author_location: str | None = None) -> Reading:
        analysis = self.rules.analyse(text, author_location)
        region = analysis.region
        base = Reading(
            kind=analysis.kind,
            sector=None,
            sector_confidence=0.0,
            agency=None,
            agency_confidence=0.0,
            region=region.code if region else None,
            region_evidence=region.evidence if region else None,
            urgency=analysis.urgency,
            pii=analysis.pii,
            model_version=self.model_version,
        )
        if analysis.kind == "spam":
            return base
        prediction = self.sector_distribution(text, analysis)
        if prediction.evidence == 0:
            return replace(
                base,
                sector=FALLBACK_SECTOR,
                sector_confidence=_NO_EVIDENCE_CONFIDENCE,
                sector_top3=((FALLBACK_SECTOR, _NO_EVIDENCE_CONFIDENCE),),
            )
        agencies = self.agency_distribution(prediction, analysis)
        agency, agency_confidence = agencies[0] if agencies else (None, 0.0)
        return replace(
            base,
            sector=prediction.label,
            sector_confidence=round(prediction.confidence, 4),
            agency=agency,
            agency_confidence=round(agency_confidence, 4),
            sector_top3=tuple((label, round(p, 4)) for label, p in prediction.top(3)),
            agency_top3=tuple((code, round(p, 4)) for code, p in agencies[:3]),
        )

    def agency_distribution(self, sectors: Prediction, analysis: Analysis) -> list[tuple[str, float]]:
        """Agencies with their probability (see the module docstring), best first."""
        scores: dict[str, float] = {}

        def add(agency: str | None, weight: float) -> None:
            if agency is not None and weight > 0:
                scores[agency] = scores.get(agency, 0.0) + weight

        for sector, probability in sectors.top(3):
            route = SECTOR_ROUTES.get(sector, SectorRoute(None, kabkota=False))
            government = self.rules.kabkota_government(analysis.region)
            ruled = self.rules.rule_route(sector, analysis)
            if ruled is not None:
                agency, certainty = ruled
                other = route.agency if agency != route.agency else (government if route.kabkota else None)
            elif route.kabkota and government is not None:
                agency = government
                from_profile = analysis.region is not None and analysis.region.from_author_location
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
