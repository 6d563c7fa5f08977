from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import URLValidator
from django.db import IntegrityError

from programs.models import Program
from sources.models import Platform, Source


class Command(BaseCommand):
    help = "Configure capture sources: `kemala sources add PLATFORM --name N --query Q [--base-url URL]`, `list`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add or update a source")
        add.add_argument("platform", choices=[p.value for p in Platform])
        add.add_argument("--name", required=True)
        add.add_argument("--query", required=True, help='e.g. "#KemalaJateng"')
        add.add_argument("--base-url", default="", help="API base URL (a fake or a self-hosted instance)")
        add.add_argument("--public-base-url", default="", help="base of post links shown to staff")
        add.add_argument("--bearer-token", default="", help="X app bearer token (read access)")
        add.add_argument("--poll-interval", type=int, default=30, help="seconds between polls (default 30)")
        add.add_argument("--program", default="jateng")
        lst = sub.add_parser("list", help="list sources and their health")
        lst.add_argument("--program", default="jateng")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            program = Program.objects.get(slug=options["program"])
        except Program.DoesNotExist as exc:
            raise CommandError(f"Program {options['program']!r} is not loaded; run `kemala setup` first.") from exc
        if options["action"] == "add":
            self._add(program, options)
        else:
            self._list(program)

    def _add(self, program: Program, options: dict[str, Any]) -> None:
        for key in ("base_url", "public_base_url"):
            if options[key]:
                try:
                    URLValidator(schemes=["http", "https"])(options[key])
                except ValidationError as exc:
                    raise CommandError(f"--{key.replace('_', '-')} {options[key]!r} is not an http(s) URL") from exc
        if not options["query"].strip():
            raise CommandError("--query must not be empty")
        if options["poll_interval"] < 1:
            raise CommandError("--poll-interval must be at least 1 second")
        credentials = {"bearer_token": options["bearer_token"]} if options["bearer_token"] else {}
        try:
            source, created = Source.objects.update_or_create(
                program=program,
                name=options["name"],
                defaults={
                    "platform": options["platform"],
                    "query": options["query"],
                    "base_url": options["base_url"],
                    "public_base_url": options["public_base_url"],
                    "poll_interval_seconds": options["poll_interval"],
                },
            )
        except IntegrityError as exc:
            raise CommandError(f"Could not save the source: {exc}") from exc
        if credentials:
            source.credentials = {**source.credentials, **credentials}
            source.save(update_fields=["credentials"])
        verb = "added" if created else "updated"
        self.stdout.write(
            f"Source {source.name!r} {verb}: {source.platform} {source.query!r} "
            f"{source.base_url or '(default base URL)'}"
        )

    def _list(self, program: Program) -> None:
        sources = Source.objects.filter(program=program).order_by("name")
        if not sources:
            self.stdout.write('No sources. Add one with `kemala sources add x --name N --query "#Tag"`.')
            return
        for s in sources:
            state = "paused" if s.is_paused else "active"
            last_ok = s.last_success_at.isoformat() if s.last_success_at else "never"
            error = f" last error: {s.last_error[:80]}" if s.last_error else ""
            self.stdout.write(
                f"{s.name}\t{s.platform}\t{s.query}\t{state}\tposts={s.posts_captured}\tcursor={s.cursor or '-'}"
                f"\tlast success={last_ok}{error}"
            )
