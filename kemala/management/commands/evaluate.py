from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from programs.reader import reader_for
from triage.evaluation import confusion_png, evaluate, text_report
from triage.model import ModelError
from triage.model_reader import ModelReader
from triage.reader import Reader, default_reference_dir
from triage.reading import PostReader, Reading
from triage.training import LoadReport, TrainingDataError, read_csv


class Command(BaseCommand):
    help = (
        "Measure a model on a labelled CSV (text,sector[,agency,…]): accuracy, macro-F1, per-class precision "
        "and recall, a confusion matrix as PNG and a text report."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", help=_("labelled CSV file"))
        parser.add_argument("--model", default="", help=_("model directory (default: the program's current reader)"))
        parser.add_argument("--baseline", action="store_true", help=_("measure the rule baseline instead"))
        parser.add_argument("--program", default="jateng")
        parser.add_argument("--out", default="", help=_("directory for report.txt, confusion.png, metrics.json"))

    def handle(self, *args: Any, **options: Any) -> None:
        report = LoadReport()
        try:
            examples = read_csv(options["csv"], report)
        except FileNotFoundError:
            raise CommandError(_("Cannot read %(path)s.") % {"path": options["csv"]}) from None
        except TrainingDataError as error:
            raise CommandError(str(error)) from None
        if not examples:
            raise CommandError(_("No usable examples in %(path)s.") % {"path": options["csv"]})
        reader = self._reader(options)
        texts = [example.text for example in examples]
        readings: list[Reading] = []
        for start in range(0, len(texts), 1024):  # batches: the trained reader scores each at once
            readings.extend(reader.read_many(texts[start : start + 1024]))
        version = readings[0].model_version
        out = Path(options["out"] or Path(options["csv"]).with_suffix("").as_posix() + "-evaluation")
        out.mkdir(parents=True, exist_ok=True)

        sector = evaluate(
            [example.sector for example in examples],
            [reading.sector or "spam" for reading in readings],
            top3=[[code for code, _p in reading.sector_top3] or [reading.sector or "spam"] for reading in readings],
            confidence=[reading.sector_confidence for reading in readings],
        )
        text = text_report(sector, _("Sector — %(version)s on %(path)s") % {"version": version, "path": options["csv"]})
        metrics: dict[str, Any] = {"model_version": version, "sector": sector.as_dict()}
        labelled = [(example, reading) for example, reading in zip(examples, readings, strict=True) if example.agency]
        if labelled:
            agency = evaluate(
                [example.agency for example, _r in labelled],
                [reading.agency or "none" for _e, reading in labelled],
                top3=[
                    [code for code, _p in reading.agency_top3] or [reading.agency or "none"] for _e, reading in labelled
                ],
                confidence=[reading.agency_confidence for _e, reading in labelled],
            )
            text += "\n" + text_report(agency, _("Agency — %(count)d labelled examples") % {"count": len(labelled)})
            metrics["agency"] = agency.as_dict()
            confusion_png(agency, out / "confusion-agency.png")
        png = confusion_png(sector, out / "confusion.png")
        (out / "report.txt").write_text(text, encoding="utf-8")
        (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(text)
        self.stdout.write(
            _("Report and confusion matrix written to %(out)s (%(png)s).") % {"out": out, "png": png.name}
        )

    def _reader(self, options: dict[str, Any]) -> PostReader:
        if options["baseline"]:
            return Reader.from_reference_dir(default_reference_dir())
        if options["model"]:
            try:
                return ModelReader.load(options["model"], default_reference_dir())
            except ModelError as error:
                raise CommandError(str(error)) from None
        return reader_for(options["program"])
