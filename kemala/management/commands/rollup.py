from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from insight import rollup
from programs.models import Program


class Command(BaseCommand):
    help = (
        "Bring the public board's rollup up to date (what the worker does each cycle); "
        "--rebuild recomputes it from every case."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="recompute every row from the cases")
        parser.add_argument("--program", help="only this program (slug); default: every program")

    def handle(self, *args: Any, **options: Any) -> None:
        programs = Program.objects.order_by("slug")
        if options["program"]:
            programs = programs.filter(slug=options["program"])
            if not programs.exists():
                raise CommandError(f"No program “{options['program']}”.")
        if not options["rebuild"]:
            recomputed = rollup.tick()
            self.stdout.write(f"rollup up to date ({recomputed} program(s) recomputed)")
            return
        for program in programs:
            started = time.perf_counter()
            state = rollup.rebuild(program)
            self.stdout.write(
                f"{program.slug}: rollup rebuilt in {time.perf_counter() - started:.1f} s "
                f"(audit events up to {state.last_event_id})"
            )
