"""Helpers shared by the benchmark scripts: a throwaway database, Django set-up, percentiles, machine facts.

Every benchmark works in its own temporary "var" directory (``KEMALA_VAR_DIR``), so it never touches the
developer's ``var/kemala.sqlite3``; the directory is removed at the end unless ``--keep`` is given.
Nothing here listens on anything but 127.0.0.1.
"""

from __future__ import annotations

import json
import math
import os
import platform
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- environment and database


def bench_env(var_dir: Path) -> dict[str, str]:
    """The environment of a production-like Kemala process (DEBUG off, SQLite in `var_dir`)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KEMALA_TESTING", "SECRET_KEY_FILE")}
    env.update(
        {
            "KEMALA_VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "kemala.settings",
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("KEMALA_BENCH_SECRET_KEY") or secrets.token_urlsafe(40),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(REPO),
        }
    )
    return env


@contextmanager
def temp_var_dir(prefix: str, *, keep: bool = False, path: Path | None = None) -> Iterator[Path]:
    """A fresh directory for one benchmark's database (or `path`, which is never removed)."""
    if path is not None:
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    var_dir = Path(tempfile.mkdtemp(prefix=f"kemala-bench-{prefix}-"))
    try:
        yield var_dir
    finally:
        if keep:
            print(f"kept {var_dir}", flush=True)
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def kemala_setup(var_dir: Path, *, collectstatic: bool = False) -> float:
    """Run `kemala setup` (migrate + load the Jawa Tengah program) in `var_dir`; return the seconds it took."""
    env = bench_env(var_dir)
    env["SECRET_KEY"] = "bench-setup-only"
    started = time.perf_counter()
    command = [sys.executable, "-m", "kemala.cli", "setup"]
    subprocess.run(command, env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    if collectstatic:
        subprocess.run(
            [sys.executable, "-m", "kemala.cli", "collectstatic", "--noinput", "-v", "0"],
            env=env,
            cwd=REPO,
            check=True,
        )
    return time.perf_counter() - started


def setup_django(var_dir: Path) -> None:
    """Configure Django in this process for the database in `var_dir` (call once per process)."""
    os.environ.update(bench_env(var_dir))
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()


def sqlite_path(var_dir: Path) -> Path:
    return var_dir / "kemala.sqlite3"


# --------------------------------------------------------------------------- statistics


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile with linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = math.floor(k), math.ceil(k)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summarise_ms(values: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/mean/max of latencies given in milliseconds."""
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "p99": round(percentile(values, 99), 2),
        "mean": round(sum(values) / len(values), 2) if values else math.nan,
        "max": round(max(values), 2) if values else math.nan,
    }


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def children_of(pid: int) -> list[int]:
    """Direct child processes of `pid` (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found.extend(int(x) for x in task.read_text().split())
    return sorted(found)


def rss_kib(pid: int) -> int | None:
    """Resident set size of `pid` in KiB (VmRSS in /proc/<pid>/status)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


# --------------------------------------------------------------------------- machine and results


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gib = math.nan
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        import django

        django_version = django.get_version()
    except ImportError:
        django_version = "?"
    commit = _git("rev-parse", "--short", "HEAD")
    dirty = bool(_git("status", "--porcelain", "--untracked-files=no"))
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": ram_gib,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "django": django_version,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": f"{commit}{' (with uncommitted changes)' if dirty else ''}",
        "load_average": load_average(),
    }


def load_average() -> str:
    """1/5/15-minute load average: other work on the machine skews every figure."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def write_json(path: Path | None, data: dict[str, Any]) -> None:
    """Write a benchmark's results for `bench.run_all` (no-op without --json)."""
    if path is not None:
        path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
