from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from programs.demo import ensure_demo
from programs.reference import load_program


class Command(BaseCommand):
    help = "Run Kemala on this machine: web server, one worker and (with --demo) the sandbox network."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--sandbox-port", type=int, default=int(os.environ.get("SANDBOX_PORT", "8010")))
        parser.add_argument("--demo", action="store_true", help="start the sandbox and create demo accounts")
        parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))

    def handle(self, *args: Any, **options: Any) -> None:
        Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        program, summary = load_program(settings.KEMALA_PROGRAM)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(
            f"{program.name}: {summary.regions} regions, {summary.sectors} sectors, {summary.agencies} agencies"
        )
        kemala = [sys.executable, "-m", "kemala.cli"]
        children: list[subprocess.Popen[bytes]] = []
        sandbox_url = f"http://127.0.0.1:{options['sandbox_port']}"
        logins = []
        if options["demo"]:
            logins = ensure_demo(program, sandbox_url)
            state = Path(settings.VAR_DIR) / "sandbox.json"
            children.append(
                subprocess.Popen([*kemala, "sandbox", "--port", str(options["sandbox_port"]), "--state", str(state)])
            )
        children.append(subprocess.Popen([*kemala, "worker"]))
        children.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "kemala.wsgi:application",
                    "--bind",
                    f"{options['host']}:{options['port']}",
                    "--workers",
                    str(options["web_workers"]),
                    "--access-logfile",
                    "-",
                    "--log-level",
                    "warning",
                ]
            )
        )
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"\nKemala is running at {url}"))
        if options["demo"]:
            self.stdout.write(f"Sandbox social network (watch replies appear): {sandbox_url}/")
            self.stdout.write("Logins (passwords are shown only when an account is created):")
            for login in logins:
                where = f" · {login.agency}" if login.agency else ""
                secret = login.password if login.password else "(set earlier; `kemala changepassword USER`)"
                self.stdout.write(f"  {login.username:<10} {login.role}{where}: {secret}")
        self.stdout.write("Press Ctrl+C to stop.\n")
        self.stdout.flush()

        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for child in children:
                    if child.poll() is not None:
                        self.stderr.write(f"{child.args!r} exited with {child.returncode}")
                        stopping = True
                time.sleep(0.5)
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
