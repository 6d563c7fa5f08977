"""Latency of the public board (`/`) and `/api/board` with 100,000 cases on SQLite.

    .venv/bin/python -m bench.board_latency                 # fresh temp DB, real gunicorn on 127.0.0.1
    .venv/bin/python -m bench.board_latency --client django # in-process Django test Client instead
    .venv/bin/python -m bench.board_latency --var-dir /tmp/kb --keep   # keep the DB to rerun quickly

Generates the cases with bulk_create (spread over three years, 17 sectors, 35 regencies/cities with their
districts and villages, 95 agencies, every status), builds the board's rollup with `kemala rollup --rebuild`
(as `kemala setup` and the worker keep it; its time is printed), then times sequential requests and prints
p50/p95/p99, both as most visitors find the board (figures unchanged since the last visit: served from the
cache) and as the first visitor after the worker's rollup moved finds it (`URL#computed`: computed from the
rollup). Target: p95 <= 150 ms.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

TARGET_P95_MS = 150.0
# A custom period of about 13 months that starts and ends mid-month (dates relative to the generated data).
_CUSTOM_FROM, _CUSTOM_TO = date.today() - timedelta(days=420), date.today() - timedelta(days=25)
URLS = [
    "/",
    "/api/board",
    "/?period=7d",
    "/api/board?period=month",
    "/api/board?period=year",
    "/?period=all",
    "/api/board?period=all",
    f"/api/board?from={_CUSTOM_FROM.isoformat()}&to={_CUSTOM_TO.isoformat()}",
]


def setup_django(var_dir: Path) -> None:
    os.environ["KEMALA_VAR_DIR"] = str(var_dir)
    os.environ["KEMALA_TESTING"] = "1"
    os.environ.setdefault("DEBUG", "false")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kemala.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()


def generate(n_cases: int, seed: int) -> None:
    """Fill a fresh database with `n_cases` cases, one report post each, and the replies of answered ones."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from cases.models import Case, Reply, ReplyStatus, Status
    from programs.models import Agency, Region, RegionLevel, Sector
    from programs.reference import load_program
    from sources.models import Platform, Post, PostRole

    call_command("migrate", interactive=False, verbosity=0)
    program, _ = load_program(settings.KEMALA_PROGRAM)
    rng = random.Random(seed)
    sectors = list(Sector.objects.filter(program=program).order_by("code"))
    agencies = list(Agency.objects.filter(program=program).order_by("code"))
    kabkota = list(Region.objects.filter(program=program, level=RegionLevel.KABKOTA).order_by("code"))
    children: dict[str, list[Region]] = {r.code: [] for r in kabkota}
    grandchildren: dict[str, list[Region]] = {r.code: [] for r in kabkota}
    for region in Region.objects.filter(program=program).exclude(level=RegionLevel.KABKOTA):
        target = children if region.level == RegionLevel.KECAMATAN else grandchildren
        target[region.code[:5]].append(region)
    # Zipf-like weights: a few sectors, cities and agencies get most of the cases (roads, Semarang, DPU).
    sector_w = [1 / (i + 1) for i in range(len(sectors))]
    region_w = [3.0 if r.code == "33.74" else 1 / (1 + i / 6) for i, r in enumerate(kabkota)]
    agency_w = [1 / (i + 1) ** 0.8 for i in range(len(agencies))]
    statuses = [
        (Status.REJECTED, 5),
        (Status.MERGED, 2),
        (Status.NEW, 3),
        (Status.TRIAGED, 2),
        (Status.DELEGATED, 8),
        (Status.ACKNOWLEDGED, 5),
        (Status.ANSWERED, 35),
        (Status.RESOLVED, 25),
        (Status.CLOSED, 15),
    ]
    answered = {Status.ANSWERED, Status.RESOLVED, Status.CLOSED}
    author = get_user_model().objects.create_user("bench-operator", password=None)
    now = timezone.now()
    span = timedelta(days=3 * 365).total_seconds()

    def opened() -> timedelta:
        # More cases lately: the square root skews the draws towards now.
        return timedelta(seconds=span * (1 - math.sqrt(rng.random())))

    batch = 5000
    started = time.perf_counter()
    for offset in range(0, n_cases, batch):
        cases = []
        for i in range(offset, min(offset + batch, n_cases)):
            status = rng.choices([s for s, _ in statuses], [w for _, w in statuses])[0]
            kab = rng.choices(kabkota, region_w)[0]
            draw = rng.random()
            if draw < 0.05:
                region = None
            elif draw < 0.45 or not children[kab.code]:
                region = kab
            elif draw < 0.80:
                region = rng.choice(children[kab.code])
            else:
                region = rng.choice(grandchildren[kab.code] or children[kab.code])
            opened_at = now - opened()
            has_agency = status not in (Status.NEW, Status.TRIAGED, Status.REJECTED)
            seconds = int(rng.lognormvariate(math.log(6 * 3600), 1.2)) if status in answered else None
            if seconds is not None and opened_at + timedelta(seconds=seconds) > now:
                status, seconds = Status.ACKNOWLEDGED, None  # not answered yet
            cases.append(
                Case(
                    program=program,
                    tracking_code=f"BENCH-{i:07d}",
                    status=status,
                    platform=Platform.X,
                    summary=f"Laporan {i}: jalan rusak, hubungi 0812{i:08d} #KemalaJateng",
                    sector=rng.choices(sectors, sector_w)[0] if rng.random() > 0.03 else None,
                    region=region,
                    agency=rng.choices(agencies, agency_w)[0] if has_agency else None,
                    opened_at=opened_at,
                    first_reply_at=opened_at + timedelta(seconds=seconds) if seconds is not None else None,
                    first_reply_seconds=seconds,
                )
            )
        with transaction.atomic():
            Case.objects.bulk_create(cases)
            posts = Post.objects.bulk_create(
                [
                    Post(
                        program=program,
                        platform=Platform.X,
                        external_id=case.tracking_code,
                        author_id=str(i),
                        author_handle=f"warga{i}",
                        text=case.summary,
                        posted_at=case.opened_at,
                        raw={},
                        case=case,
                        role=PostRole.REPORT,
                        url=f"https://x.com/warga{i}/status/{case.tracking_code}",
                    )
                    for i, case in enumerate(cases, start=offset)
                ]
            )
            Reply.objects.bulk_create(
                [
                    Reply(
                        case=case,
                        in_reply_to=post,
                        agency=case.agency,
                        author=author,
                        text="Terima kasih, laporan sudah kami tindak lanjuti.",
                        status=ReplyStatus.SENT,
                        next_attempt_at=case.opened_at,
                        sent_at=case.first_reply_at,
                        url=f"https://x.com/agency/status/r{case.tracking_code}",
                        external_id=f"r{case.tracking_code}",
                    )
                    for case, post in zip(cases, posts, strict=True)
                    if case.first_reply_at is not None and case.agency is not None
                ]
            )
    # No ANALYZE: a deployment's database has no planner statistics unless someone runs it, so neither do we.
    print(f"generated {n_cases:,} cases in {time.perf_counter() - started:.1f} s", flush=True)


def build_rollup() -> None:
    """The board reads its counts from the rollup: build it the way a deployment does, and time it."""
    import io

    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)  # a kept database may predate the rollup tables
    started = time.perf_counter()
    call_command("rollup", "--rebuild", stdout=io.StringIO())
    print(f"rollup rebuilt in {time.perf_counter() - started:.1f} s (kemala rollup --rebuild)", flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = math.floor(k), math.ceil(k)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def measure_gunicorn(requests: int) -> dict[str, list[float]]:
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kemala.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        env=os.environ.copy(),
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(100):
                try:
                    client.get("/api/board")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            return _measure(lambda url: client.get(url).status_code, requests)
    finally:
        server.terminate()
        server.wait(timeout=10)


def measure_django(requests: int) -> dict[str, list[float]]:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    return _measure(lambda url: client.get(url).status_code, requests)


COMPUTED = "#computed"  # marks the rows of requests that found the figures changed and computed them


def _measure(get: object, requests: int) -> dict[str, list[float]]:
    """Two kinds of request per URL, interleaved so a slow moment hits every URL alike:
    - as most visitors find it, the rollup unchanged since the last visit (the board is served from the
      process's cache, `insight.board.board_for`);
    - `URL#computed`: the first visit after the worker's rollup moved (the bench moves
      the rollup's watermark before the request, as a worker tick with changes does), so every figure is
      computed from the rollup. A third as many of these."""
    assert callable(get)
    from django.db.models import F

    from insight.models import RollupState

    def rollup_moves() -> None:
        RollupState.objects.update(last_event_id=F("last_event_id") + 1)

    timings: dict[str, list[float]] = {url: [] for url in URLS}
    timings.update({url + COMPUTED: [] for url in URLS})
    for url in URLS:
        for _ in range(5):  # warm up: connections, template cache, SQLite page cache
            assert get(url) == 200, url
    for n in range(requests):
        for url in URLS:
            started = time.perf_counter()
            status = get(url)
            timings[url].append((time.perf_counter() - started) * 1000)
            assert status == 200, (url, status)
        if n % 3 == 0:
            for url in URLS:
                rollup_moves()
                started = time.perf_counter()
                status = get(url)
                timings[url + COMPUTED].append((time.perf_counter() - started) * 1000)
                assert status == 200, (url, status)
            for url in URLS:  # the move emptied every URL's entry: the next visitors find them filled again
                for _ in range(2):  # one per gunicorn worker, at least
                    assert get(url) == 200, url
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per URL")
    parser.add_argument("--client", choices=["gunicorn", "django"], default="gunicorn")
    parser.add_argument("--var-dir", type=Path, help="reuse (or create) the database here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()

    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="kemala-bench-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    fresh = not (var_dir / "kemala.sqlite3").exists()
    setup_django(var_dir)
    try:
        if fresh:
            generate(args.cases, args.seed)
        build_rollup()
        from cases.models import Case

        print(f"database: {var_dir / 'kemala.sqlite3'} ({Case.objects.count():,} cases)")
        timings = measure_gunicorn(args.requests) if args.client == "gunicorn" else measure_django(args.requests)
        print(f"{args.client}, {args.requests} sequential requests per URL (ms):")
        print(f"{'url':<50}{'p50':>8}{'p95':>8}{'p99':>8}{'mean':>8}")
        worst = 0.0
        for url, values in timings.items():
            p95 = percentile(values, 95)
            worst = max(worst, p95)
            print(
                f"{url:<50}{percentile(values, 50):8.1f}{p95:8.1f}{percentile(values, 99):8.1f}"
                f"{statistics.fmean(values):8.1f}"
            )
        verdict = "OK" if worst <= TARGET_P95_MS else "MISSED"
        print(f"worst p95 {worst:.1f} ms; target {TARGET_P95_MS:.0f} ms: {verdict}")
    finally:
        if args.var_dir is None and not args.keep:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
