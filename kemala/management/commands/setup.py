from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from insight import rollup
from programs.reference import load_program


class Command(BaseCommand):
    help = "Migrate the database, load a program's reference data and build its board rollup (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", default="jateng", help="program to load (default: jateng)")
        parser.add_argument("--no-migrate", action="store_true", help="skip migrations")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        program, summary = load_program(options["program"])
        rollup.rebuild(program)
        self.stdout.write(
            f"{program.name}: {summary.regions} regions, {summary.sectors} sectors, {summary.agencies} agencies"
        )
