from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from sandbox.server import SandboxServer, serve_forever
from sources.models import Platform, PublishingAccount


class Command(BaseCommand):
    help = "Run the sandbox: a local social network speaking the X API v2 wire format, with simulated citizens."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8010)
        parser.add_argument(
            "--state",
            default=str(Path(settings.VAR_DIR) / "sandbox.json"),
            help="file that keeps the sandbox's timeline across restarts",
        )
        parser.add_argument("--no-simulate", action="store_true", help="no simulated citizens")
        parser.add_argument("--rate", type=float, default=3.0, help="simulated posts per minute (default 3)")

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = [
            (account.handle, account.agency.name)
            for account in PublishingAccount.objects.filter(platform=Platform.X).select_related("agency")
        ]

        def register_agency_accounts(server: SandboxServer) -> None:
            # Agencies reply from their own accounts; the sandbox must know them to accept their tokens.
            for handle, name in accounts:
                server.store.ensure_account(handle, name)

        Path(options["state"]).parent.mkdir(parents=True, exist_ok=True)
        serve_forever(
            options["host"],
            options["port"],
            options["state"],
            simulate=not options["no_simulate"],
            rate_per_minute=options["rate"],
            ready=register_agency_accounts,
        )
