from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import uuid
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from cases.outbox import process_outbox
from insight import rollup
from programs.models import Program
from programs.reader import reader_for
from sources.runner import due_sources, release_all_leases, run_source_once

logger = logging.getLogger("kemala.worker")


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def run_worker_cycle(owner: str) -> tuple[int, int]:
    """One pass: every due source once, the outbox, then the board's rollup (what they changed).

    Returns (sources run, replies processed).
    """
    ran = 0
    for source in due_sources():
        if run_source_once(source, owner) is not None:
            ran += 1
    processed = process_outbox(owner)
    rollup.tick()
    return ran, processed


class Command(BaseCommand):
    help = "Run the background worker: source runners, the reply outbox and the board's rollup, until SIGTERM/SIGINT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run one cycle and exit")
        parser.add_argument("--interval", type=float, default=None, help="seconds between cycles")

    def handle(self, *args: Any, **options: Any) -> None:
        owner = worker_id()
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            logger.info("worker %s stopping (signal %d)", owner, signum)
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        interval = options["interval"] or settings.KEMALA_WORKER_POLL_SECONDS
        # Each program's triage reader is loaded now, not in the middle of the first page it reads.
        for slug in Program.objects.values_list("slug", flat=True):
            reader_for(slug)
        logger.info("worker %s started", owner)
        while not stop.is_set():
            close_old_connections()
            try:
                run_worker_cycle(owner)
            except Exception:  # the loop must survive anything one cycle throws; the error is logged
                logger.exception("worker cycle failed")
            if options["once"]:
                break
            stop.wait(interval)
        release_all_leases(owner)
        logger.info("worker %s stopped", owner)
