from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from programs.reader import reader_for
from triage import classify_jsonl


class Command(BaseCommand):
    help = "Read JSON Lines {id, text[, author_location]} on stdin; write one reading per line (DESIGN.md contract)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", default="jateng")

    def handle(self, *args: Any, **options: Any) -> None:
        reader = reader_for(options["program"])
        ok, errors = classify_jsonl(reader, sys.stdin, sys.stdout)
        sys.stdout.flush()
        if errors:
            self.stderr.write(f'{errors} of {ok + errors} lines could not be read; see their "error" field')
