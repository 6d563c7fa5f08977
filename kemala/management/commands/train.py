from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from triage.training import LoadReport, TrainingDataError, default_examples, fit, read_csv


class Command(BaseCommand):
    help = (
        "Train a sector model from CSV files with columns text,sector[,agency,region,created_at,source] "
        "(or, with no CSV, from ../shared/data/train) and save it to --out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", nargs="*", help=_("training CSV files (see triage/training.py for the schema)"))
        parser.add_argument("--out", required=True, help=_("directory to write the model to"))
        parser.add_argument("--model-version", dest="model_version", default="", help=_("model version string"))
        parser.add_argument("--min-df", type=int, default=3, help=_("drop features seen in fewer documents"))

    def handle(self, *args: Any, **options: Any) -> None:
        from threadpoolctl import threadpool_limits  # installed with scikit-learn

        from triage.training import TrainingOptions

        report = LoadReport()
        try:
            if options["csv"]:
                examples = [example for path in options["csv"] for example in read_csv(path, report)]
            else:
                examples = default_examples()
                report.read = len(examples)
        except FileNotFoundError as error:
            raise CommandError(_("Cannot read %(path)s.") % {"path": error.filename}) from None
        except TrainingDataError as error:
            raise CommandError(str(error)) from None
        if not examples:
            raise CommandError(_("No usable training examples (rows need a text and a known sector)."))
        version = options["model_version"] or "sector-" + dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        options_ = TrainingOptions(min_df=options["min_df"])
        sources = sorted({example.source for example in examples})
        with threadpool_limits(limits=1):  # one core: the machine is shared
            try:
                model = fit(examples, version, options_, manifest={"sources": sources})
            except TrainingDataError as error:
                raise CommandError(str(error)) from None
        out = model.save(Path(options["out"]))
        skipped = ", ".join(f"{reason}: {count}" for reason, count in sorted(report.skipped.items())) or "0"
        self.stdout.write(
            _(
                "Trained %(version)s on %(count)d examples (skipped %(skipped)s); "
                "%(features)d features; saved to %(out)s"
            )
            % {
                "version": version,
                "count": len(examples),
                "skipped": skipped,
                "features": len(model.vocabulary),
                "out": out,
            }
        )
