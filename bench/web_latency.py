"""Latency of the case desk with 100,000 cases on SQLite, through a real gunicorn on 127.0.0.1, and its memory.

    .venv/bin/python -m bench.web_latency                      # 100k cases, 200 requests per URL, wrk 8 s/URL
    .venv/bin/python -m bench.web_latency --cases 20000 --requests 50 --duration 5
    .venv/bin/python -m bench.web_latency --var-dir /tmp/kw --keep   # keep the database to rerun quickly
    .venv/bin/python -m bench.web_latency --json out.json      # machine-readable results (bench.run_all)

Data: `kemala setup`, then 100,000 cases made with `bulk_create` over three years: statuses of a desk in
steady state (most closed, resolved or answered; about 5% waiting in the triage inbox), kinds, urgency,
17 sectors and 95 agencies with a long tail (DPU Bina Marga and Pemkot Semarang the busiest), regions at
kab/kota, kecamatan and desa level, with consistent timestamps. Each case has its report post (the
simulator's corpus text and an X-shaped raw payload), some have follow-ups and retweets (support), merged
cases point at their target, answered ones have their sent reply, and every case has the audit trail of its
path (open, triage, delegate, acknowledge, reply, resolve, close, transfer requests…).

Measured URLs: `/cases/inbox/` as the Kemala admin, `/cases/queue/` as the operator of the busiest agency,
and `/cases/<code>/` (a different case each request, as the admin). The server is started as `kemala run`
starts it (gunicorn, 2 sync workers, DEBUG off, whitenoise manifest static files). Clients:
- single client: sequential requests with httpx, interleaved across the URLs, ≥ 200 per URL;
- concurrent: `wrk` (or httpx threads if wrk is not installed), 4 connections for `--duration` s per URL.
Every response must be 200; anything else counts as an error. Worker memory is VmRSS from /proc after
warm-up and after the load. Then, in-process, each view's query count, SQL time and the plan of its
slowest queries (EXPLAIN QUERY PLAN).

Target: p95 ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import (
    REPO,
    bench_env,
    children_of,
    free_port,
    kemala_setup,
    machine_info,
    rss_kib,
    setup_django,
    sqlite_path,
    summarise_ms,
    temp_var_dir,
    wait_for_port,
    write_json,
)

TARGET_P95_MS = 150.0
WEB_WORKERS = 2  # `kemala run` default (WEB_CONCURRENCY)
CONNECTIONS = 4
QUEUE_AGENCY = "dpu-bmck"
BUSY_AGENCIES = ("dpu-bmck", "kota-semarang", "pln-jateng", "dinkes", "bpbd")
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

# Steady state of a desk that has run for three years (shares of all cases).
STATUS_WEIGHTS = {
    "new": 3.0,
    "triaged": 1.5,
    "transfer_requested": 0.5,
    "delegated": 4.0,
    "acknowledged": 3.0,
    "answered": 12.0,
    "resolved": 20.0,
    "closed": 45.0,
    "rejected": 9.0,
    "merged": 2.0,
}
KIND_WEIGHTS = {"complaint": 72, "question": 14, "suggestion": 7, "appreciation": 3, "other": 2, "spam": 2}
URGENCY_WEIGHTS = {0: 88, 1: 10, 2: 2}
PATHS = {
    "new": ["open"],
    "triaged": ["open", "triage"],
    "delegated": ["open", "delegate"],
    "acknowledged": ["open", "delegate", "acknowledge"],
    "answered": ["open", "delegate", "acknowledge", "reply_queued", "reply_sent"],
    "resolved": ["open", "delegate", "acknowledge", "reply_queued", "reply_sent", "resolve"],
    "closed": ["open", "delegate", "acknowledge", "reply_queued", "reply_sent", "resolve", "close"],
    "rejected": ["open", "reject"],
    "merged": ["open", "merge"],
    "transfer_requested": ["open", "delegate", "request_transfer"],
}
STATUS_AFTER = {  # the status each action leads to
    "open": "new",
    "triage": "triaged",
    "delegate": "delegated",
    "acknowledge": "acknowledged",
    "reply_queued": "",
    "reply_sent": "answered",
    "resolve": "resolved",
    "close": "closed",
    "reject": "rejected",
    "merge": "merged",
    "request_transfer": "transfer_requested",
}


# --------------------------------------------------------------------------- data


class _Inserter:
    """Rows straight into a model's table with `executemany`: the ORM's bulk_create compiles every value and
    would take minutes for the ~900,000 rows. Every concrete column is written; missing ones get the field's
    default, and values are adapted as Django adapts them for SQLite."""

    def __init__(self, model: Any) -> None:
        from django.db import connection, models

        self.model = model
        self.fields = list(model._meta.concrete_fields)
        # Callable defaults (a fresh UUID per reply) are called per row; the others once.
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.per_row = {f.attname: f.get_default for f in self.fields if f.has_default() and callable(f.default)}
        ops = connection.ops
        self.adapt: dict[str, Any] = {}
        for f in self.fields:
            if isinstance(f, models.DateTimeField):
                self.adapt[f.attname] = lambda v: None if v is None else ops.adapt_datetimefield_value(v)
            elif isinstance(f, models.JSONField):
                self.adapt[f.attname] = lambda v: json.dumps(v, ensure_ascii=False)
            elif isinstance(f, models.UUIDField):
                self.adapt[f.attname] = lambda v: v.hex
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        marks = ", ".join("%s" for _ in self.fields)
        self.sql = f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({marks})"

    def insert(self, rows: list[dict[str, Any]]) -> None:
        from django.db import connection

        values = []
        for row in rows:
            out = []
            for f in self.fields:
                name = f.attname
                if name in row:
                    value = row[name]
                elif name in self.per_row:
                    value = self.per_row[name]()
                else:
                    value = self.defaults[name]
                adapt = self.adapt.get(name)
                out.append(adapt(value) if adapt is not None else value)
            values.append(out)
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, values)


def _code(i: int, when: datetime) -> str:
    digits = []
    for _ in range(6):
        i, rest = divmod(i, len(ALPHABET))
        digits.append(ALPHABET[rest])
    return f"JATE-{when:%y%m}-{''.join(reversed(digits))}"


def _snowflake(when: datetime, n: int) -> str:
    return str(((int(when.timestamp() * 1000) - 1288834974657) << 22) + n % (1 << 22))


def _raw(external_id: str, text: str, handle: str, when: datetime, **extra: Any) -> dict[str, Any]:
    """An X API v2 item with its includes, shaped as XConnector stores it."""
    data: dict[str, Any] = {
        "id": external_id,
        "text": text,
        "author_id": extra["author_id"],
        "created_at": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "conversation_id": extra.get("conversation_id", external_id),
        "lang": "in",
        "edit_history_tweet_ids": [external_id],
        "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 0, "quote_count": 0},
    }
    if extra.get("referenced"):
        data["referenced_tweets"] = [extra["referenced"]]
    return {"data": data, "includes": {"users": [{"id": data["author_id"], "username": handle, "name": handle}]}}


def generate(n_cases: int, seed: int) -> dict[str, Any]:
    """Fill the fresh database with `n_cases` cases and everything around them; return the counts."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from cases.models import AuditEvent, Case, Reply, ReplyStatus
    from programs.models import Agency, Membership, Program, Region, RegionLevel, Role, Sector
    from sandbox.simulator import make_corpus_sample
    from sources.models import Platform, Post, PostRole

    started = time.perf_counter()
    rng = random.Random(seed)
    program = Program.objects.get(slug="jateng")
    sectors = list(Sector.objects.filter(program=program).order_by("code"))
    rng.shuffle(sectors)
    all_agencies = list(Agency.objects.filter(program=program).order_by("code"))
    agencies = [a for code in BUSY_AGENCIES for a in all_agencies if a.code == code]
    agencies += [a for a in all_agencies if a.code not in BUSY_AGENCIES]
    regions = list(Region.objects.filter(program=program))
    kabkota = [r for r in regions if r.level == RegionLevel.KABKOTA]
    kabkota.sort(key=lambda r: (r.code != "33.74", r.code))  # Kota Semarang first
    below: dict[str, list[Region]] = {k.code: [] for k in kabkota}
    for region in regions:
        if region.level != RegionLevel.KABKOTA:
            below.setdefault(region.code[:5], []).append(region)
    sector_w = [1 / (i + 1) ** 0.9 for i in range(len(sectors))]
    agency_w = [1 / (i + 1) ** 0.9 for i in range(len(agencies))]
    kab_w = [1 / (i + 1) ** 0.6 for i in range(len(kabkota))]
    texts = [p.text for p in make_corpus_sample(3000, seed)]

    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        [user_model(username="bench-admin", password="!"), user_model(username="bench-operator", password="!")]
        + [user_model(username=f"op-{a.code}", password="!") for a in agencies]
    )
    admin, operator = users[0], users[1]
    agency_user = {a.pk: u.pk for a, u in zip(agencies, users[2:], strict=True)}
    queue_agency = next(a for a in agencies if a.code == QUEUE_AGENCY)
    Membership.objects.bulk_create(
        [
            Membership(user=admin, program=program, role=Role.ADMIN),
            Membership(user=operator, program=program, role=Role.OPERATOR, agency=queue_agency),
        ]
        + [Membership(user_id=agency_user[a.pk], program=program, role=Role.OPERATOR, agency=a) for a in agencies]
    )
    inserters = {model: _Inserter(model) for model in (Case, Post, AuditEvent, Reply)}

    now = timezone.now()
    span = timedelta(days=3 * 365).total_seconds()
    statuses, status_w = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    kinds, kind_w = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    urgencies, urgency_w = list(URGENCY_WEIGHTS), list(URGENCY_WEIGHTS.values())
    urgency_words = ["normal", "high", "emergency"]

    def hours(median: float) -> timedelta:
        return timedelta(hours=rng.lognormvariate(math.log(median), 1.0))

    def author_id(handle: str) -> str:
        return str(1_500_000_000 + int(handle[5:]))

    counts: Counter[str] = Counter()
    post_pk = 0
    for offset in range(0, n_cases, 5000):
        cases: list[dict[str, Any]] = []
        posts: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        replies: list[dict[str, Any]] = []
        for i in range(offset, min(offset + 5000, n_cases)):
            case_pk = i + 1
            status = rng.choices(statuses, status_w)[0]
            if status == "merged" and i < 1000:
                status = "new"
            kind = "spam" if status == "rejected" and rng.random() < 0.5 else rng.choices(kinds, kind_w)[0]
            if status in ("new", "triaged", "transfer_requested", "delegated", "acknowledged"):
                opened = now - timedelta(seconds=rng.uniform(60, 30 * 86400))  # open work is recent
            else:
                opened = now - timedelta(seconds=span * (1 - math.sqrt(rng.random())))
            kab = rng.choices(kabkota, kab_w)[0]
            draw = rng.random()
            region = None if draw < 0.07 else kab if draw < 0.45 or not below[kab.code] else rng.choice(below[kab.code])
            sector = rng.choices(sectors, sector_w)[0] if kind not in ("spam", "other") else None
            suggested = rng.choices(agencies, agency_w)[0] if sector else None
            path = PATHS[status]
            agency = None
            if "delegate" in path:
                agency = suggested if suggested and rng.random() < 0.85 else rng.choices(agencies, agency_w)[0]
            times: dict[str, datetime] = {"open": opened}
            moment = opened
            for action in path[1:]:
                moment = min(moment + hours({"reply_sent": 0.2, "close": 24 * 7}.get(action, 6.0)), now)
                times[action] = moment
            text = rng.choice(texts)
            handle = f"warga{rng.randrange(60_000)}"
            post_pk += 1
            report_pk, root_id = post_pk, _snowflake(opened, post_pk)
            common_post = {"program_id": program.pk, "platform": Platform.X, "lang": "in", "pii": []}
            posts.append(
                {
                    **common_post,
                    "id": report_pk,
                    "external_id": root_id,
                    "url": f"https://x.com/{handle}/status/{root_id}",
                    "author_id": author_id(handle),
                    "author_handle": handle,
                    "author_name": handle.title(),
                    "text": text,
                    "posted_at": opened,
                    "captured_at": opened + timedelta(seconds=15),
                    "conversation_id": root_id,
                    "raw": _raw(root_id, text, handle, opened, author_id=author_id(handle)),
                    "case_id": case_pk,
                    "role": PostRole.REPORT,
                    "kind": kind,
                    "sector_code": sector.code if sector else "",
                    "sector_confidence": round(rng.uniform(0.3, 0.99), 2),
                    "agency_code": suggested.code if suggested else "",
                    "agency_confidence": round(rng.uniform(0.2, 0.95), 2),
                    "region_code": region.code if region else "",
                    "region_evidence": region.name if region else "",
                    "urgency": urgency_words[rng.choices(urgencies, urgency_w)[0]],
                    "model_version": "rules-2026.11",
                }
            )
            report = posts[-1]
            extra: list[tuple[str, datetime]] = []
            if rng.random() < 0.12:
                extra += [(PostRole.FOLLOW_UP, opened + hours(30)) for _ in range(rng.randint(1, 3))]
            if kind == "complaint" and rng.random() < 0.15:
                extra += [(PostRole.SUPPORT, opened + hours(2)) for _ in range(rng.randint(1, 6))]
            support = 0
            for role, when in extra:
                when = min(when, now)
                post_pk += 1
                own_id = _snowflake(when, post_pk)
                follow = role == PostRole.FOLLOW_UP
                who = handle if follow else f"warga{rng.randrange(60_000)}"
                words = "gimana min, belum ada kabar? #KemalaJateng" if follow else f"RT @{handle}: {text[:100]}"
                ref = {"type": "replied_to" if follow else "retweeted", "id": root_id}
                posts.append(
                    {
                        **common_post,
                        "id": post_pk,
                        "external_id": own_id,
                        "url": f"https://x.com/{who}/status/{own_id}",
                        "author_id": author_id(who),
                        "author_handle": who,
                        "author_name": who.title(),
                        "text": words,
                        "posted_at": when,
                        "captured_at": when + timedelta(seconds=15),
                        "conversation_id": root_id,
                        "in_reply_to_id": root_id if follow else "",
                        "repost_of_id": "" if follow else root_id,
                        "raw": _raw(
                            own_id, words, who, when, author_id=author_id(who), conversation_id=root_id, referenced=ref
                        ),
                        "case_id": case_pk,
                        "role": role,
                        "kind": "other",
                        "urgency": "normal",
                        "model_version": "rules-2026.11",
                    }
                )
                if follow:
                    events.append(
                        {
                            "program_id": program.pk,
                            "case_id": case_pk,
                            "actor_label": "system",
                            "action": "follow_up",
                            "from_status": status,
                            "to_status": status,
                            "data": {"post": own_id, "author": handle},
                            "created_at": when,
                        }
                    )
                else:
                    support += 1
            before = ""
            for action in path:
                actor = None
                if action in ("triage", "delegate", "reject", "merge", "close"):
                    actor = admin.pk
                elif action in ("acknowledge", "reply_queued", "resolve", "request_transfer") and agency:
                    actor = agency_user[agency.pk]
                to_status = STATUS_AFTER[action] or before
                events.append(
                    {
                        "program_id": program.pk,
                        "case_id": case_pk,
                        "actor_id": actor,
                        "actor_label": "" if actor else "system",
                        "action": action,
                        "from_status": before,
                        "to_status": to_status,
                        "reason": "Bukan kewenangan kami, mohon dialihkan ke Pemkab."
                        if action == "request_transfer"
                        else "",
                        "data": {"post": root_id, "platform": "x"} if action == "open" else {},
                        "created_at": times[action],
                    }
                )
                before = to_status
            if "reply_sent" in times and agency is not None:
                reply_id = _snowflake(times["reply_sent"], post_pk + 7)
                replies.append(
                    {
                        "case_id": case_pk,
                        "in_reply_to_id": report_pk,
                        "agency_id": agency.pk,
                        "author_id": agency_user[agency.pk],
                        "text": "Terima kasih laporannya. Sudah kami tindak lanjuti bersama tim lapangan.",
                        "status": ReplyStatus.SENT,
                        "attempts": 1,
                        "next_attempt_at": times["reply_queued"],
                        "external_id": reply_id,
                        "url": f"https://x.com/agency/status/{reply_id}",
                        "created_at": times["reply_queued"],
                        "sent_at": times["reply_sent"],
                    }
                )
            cases.append(
                {
                    "id": case_pk,
                    "program_id": program.pk,
                    "tracking_code": _code(i, opened),
                    "status": status,
                    "kind": kind,
                    "urgency": urgency_words.index(report["urgency"]),
                    "platform": Platform.X,
                    "summary": text[:280],
                    "sector_id": sector.pk if sector else None,
                    "region_id": region.pk if region else None,
                    "agency_id": agency.pk if agency else None,
                    "suggested_sector_id": sector.pk if sector else None,
                    "suggested_agency_id": suggested.pk if suggested else None,
                    "suggested_region_id": region.pk if region else None,
                    "sector_confidence": report["sector_confidence"],
                    "agency_confidence": report["agency_confidence"],
                    "model_version": "rules-2026.11",
                    "support_count": support,
                    "reject_reason": ("spam" if kind == "spam" else "not_public_service")
                    if status == "rejected"
                    else "",
                    "merged_into_id": rng.randrange(1, case_pk) if status == "merged" else None,
                    "opened_at": opened,
                    "created_at": opened + timedelta(seconds=20),
                    "updated_at": moment,
                    "delegated_at": times.get("delegate"),
                    "acknowledged_at": times.get("acknowledge"),
                    "first_reply_at": times.get("reply_sent"),
                    "first_reply_seconds": int((times["reply_sent"] - opened).total_seconds())
                    if "reply_sent" in times
                    else None,
                    "resolved_at": times.get("resolve"),
                    "closed_at": times.get("close"),
                }
            )
        with transaction.atomic():
            inserters[Case].insert(cases)
            inserters[Post].insert(posts)
            inserters[AuditEvent].insert(events)
            inserters[Reply].insert(replies)
        counts["cases"] += len(cases)
        counts["posts"] += len(posts)
        counts["audit_events"] += len(events)
        counts["replies"] += len(replies)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    by_status = Counter(Case.objects.values_list("status", flat=True))
    return {
        **counts,
        "by_status": dict(sorted(by_status.items(), key=lambda kv: -kv[1])),
        "queue_agency": QUEUE_AGENCY,
        "queue_agency_cases": Case.objects.filter(agency=queue_agency).count(),
        "seconds": round(time.perf_counter() - started, 1),
    }


def make_session(username: str) -> str:
    """A logged-in session for `username`, as the login form would leave it; returns the cookie value."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    assert session.session_key is not None
    return session.session_key


# --------------------------------------------------------------------------- load


class Server:
    """gunicorn as `kemala run` starts it, on a free loopback port."""

    def __init__(self, var_dir: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "kemala.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WEB_WORKERS),
                "--log-level",
                "warning",
                "--timeout",
                "60",
            ],
            env=bench_env(var_dir) | {"SECRET_KEY": os.environ["SECRET_KEY"]},
            cwd=REPO,
        )
        wait_for_port(self.port)

    def workers(self) -> list[int]:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            found = children_of(self.process.pid)
            if len(found) >= WEB_WORKERS:
                return found
            time.sleep(0.1)
        return children_of(self.process.pid)

    def rss(self) -> dict[str, Any]:
        workers = {pid: rss_kib(pid) for pid in self.workers()}
        values = [v for v in workers.values() if v is not None]
        return {
            "workers_mib": [round(v / 1024, 1) for v in values],
            "max_worker_mib": round(max(values) / 1024, 1) if values else None,
            "master_mib": round((rss_kib(self.process.pid) or 0) / 1024, 1),
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def single_client(base: str, targets: dict[str, tuple[str, list[str]]], requests: int) -> dict[str, Any]:
    """Sequential requests, interleaved across the URLs; `targets` maps name → (session cookie, paths)."""
    import httpx

    timings: dict[str, list[float]] = {name: [] for name in targets}
    errors: dict[str, Counter[str]] = {name: Counter() for name in targets}
    clients = {
        name: httpx.Client(base_url=base, cookies={"sessionid": cookie}, timeout=60, follow_redirects=False)
        for name, (cookie, _) in targets.items()
    }
    try:
        for i in range(requests):
            for name, (_, paths) in targets.items():
                path = paths[i % len(paths)]
                started = time.perf_counter()
                try:
                    response = clients[name].get(path)
                    status = str(response.status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                timings[name].append((time.perf_counter() - started) * 1000)
                if status != "200":
                    errors[name][status] += 1
    finally:
        for client in clients.values():
            client.close()
    return {name: {**summarise_ms(values), "errors": dict(errors[name])} for name, values in timings.items()}


WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local threads = {}
local counter = 0
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  bad = 0
  counter = id * 7919
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local bad_total = 0
  for _, thread in ipairs(threads) do bad_total = bad_total + thread:get("bad") end
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {\\"requests\\": %d, \\"seconds\\": %f, \\"p50\\": %f, \\"p95\\": %f, \\"p99\\": %f, "
    .. "\\"mean\\": %f, \\"max\\": %f, \\"non200\\": %d, \\"connect\\": %d, \\"read\\": %d, "
    .. "\\"write\\": %d, \\"timeout\\": %d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.mean / 1000, latency.max / 1000, bad_total, e.connect, e.read,
    e.write, e.timeout))
end
"""


def concurrent_wrk(
    base: str, cookie: str, paths: list[str], duration: float, connections: int, work: Path
) -> dict[str, Any]:
    script, listing = work / "bench.lua", work / f"paths-{len(paths)}-{paths[0].strip('/').replace('/', '_')}.txt"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
    done = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{duration:.0f}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            "-H",
            f"Cookie: sessionid={cookie}",
            base,
        ],
        env={**os.environ, "WRK_PATHS": str(listing)},
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("WRKJSON "))
    raw = json.loads(line[len("WRKJSON ") :])
    errors = {k: raw[k] for k in ("non200", "connect", "read", "write", "timeout") if raw[k]}
    return {
        "tool": f"wrk -t2 -c{connections}",
        "n": raw["requests"],
        "rps": round(raw["requests"] / raw["seconds"], 1),
        **{k: round(raw[k], 2) for k in ("p50", "p95", "p99", "mean", "max")},
        "errors": errors,
    }


def concurrent_httpx(base: str, cookie: str, paths: list[str], duration: float, connections: int) -> dict[str, Any]:
    import httpx

    timings: list[float] = []
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def run(offset: int) -> None:
        with httpx.Client(base_url=base, cookies={"sessionid": cookie}, timeout=60) as client:
            i = offset
            while time.monotonic() < deadline:
                i += 1
                started = time.perf_counter()
                try:
                    status = str(client.get(paths[i % len(paths)]).status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    timings.append(elapsed)
                    if status != "200":
                        errors[status] += 1

    threads = [threading.Thread(target=run, args=(n * 7919,)) for n in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {
        "tool": f"httpx, {connections} threads",
        **summarise_ms(timings),
        "rps": round(len(timings) / seconds, 1),
        "errors": dict(errors),
    }


# --------------------------------------------------------------------------- why


def explain_views(targets: dict[str, tuple[str, list[str]]], usernames: dict[str, str]) -> dict[str, Any]:
    """In-process: queries, SQL time and total time of each view, and the plan of its slowest queries."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    report: dict[str, Any] = {}
    for name, (_, paths) in targets.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.get(username=usernames[name]))
        client.get(paths[0])  # warm
        runs = []
        for path in paths[:5]:
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(path)
                total = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (name, path, response.status_code)
            runs.append((total, ctx.captured_queries))
        total, queries = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
        sql_ms = sum(float(q["time"]) for q in queries) * 1000
        slowest = sorted(queries, key=lambda q: -float(q["time"]))[:3]
        plans = []
        for query in slowest:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                plan = [str(row[-1]) for row in cursor.fetchall()]
            plans.append({"ms": round(float(query["time"]) * 1000, 1), "sql": query["sql"][:600], "plan": plan})
        report[name] = {
            "queries": len(queries),
            "sql_ms": round(sql_ms, 1),
            "total_ms": round(total, 1),
            "python_ms": round(total - sql_ms, 1),
            "slowest": plans,
        }
    return report


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="single-client requests per URL (default 200)")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds of concurrent load per URL")
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--var-dir", type=Path, help="reuse (or create) the database here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)

    results: dict[str, Any] = {
        "target_p95_ms": TARGET_P95_MS,
        "web_workers": WEB_WORKERS,
        "connections": args.connections,
    }
    with temp_var_dir("web", keep=args.keep, path=args.var_dir) as var_dir:
        fresh = not sqlite_path(var_dir).exists()
        if fresh:
            print("kemala setup + collectstatic …", flush=True)
            kemala_setup(var_dir, collectstatic=True)
        key_file = var_dir / "bench_secret_key"
        if not key_file.exists():
            key_file.write_text(bench_env(var_dir)["SECRET_KEY"], encoding="utf-8")
        os.environ["KEMALA_BENCH_SECRET_KEY"] = key_file.read_text(encoding="utf-8")
        setup_django(var_dir)
        results["machine"] = machine_info()
        from cases.models import Case, Status
        from programs.models import Agency

        if fresh:
            print(f"generating {args.cases:,} cases …", flush=True)
            results["data"] = generate(args.cases, args.seed)
            print(f"  {results['data']}", flush=True)
        else:
            results["data"] = {"cases": Case.objects.count(), "reused": str(var_dir)}
        rng = random.Random(args.seed)
        codes = list(Case.objects.values_list("tracking_code", flat=True))
        detail_paths = [f"/cases/{code}/" for code in rng.sample(codes, min(len(codes), max(args.requests, 200)))]
        queue_agency = Agency.objects.get(code=QUEUE_AGENCY)
        results["data"]["inbox_cases"] = Case.objects.filter(
            status__in=[Status.NEW, Status.TRIAGED, Status.TRANSFER_REQUESTED]
        ).count()
        results["data"]["queue_cases"] = Case.objects.filter(
            agency=queue_agency,
            status__in=[Status.DELEGATED, Status.ACKNOWLEDGED, Status.ANSWERED, Status.TRANSFER_REQUESTED],
        ).count()
        admin_cookie, operator_cookie = make_session("bench-admin"), make_session("bench-operator")
        targets = {
            "inbox (admin)": (admin_cookie, ["/cases/inbox/"]),
            "queue (operator)": (operator_cookie, ["/cases/queue/"]),
            "case detail (admin)": (admin_cookie, detail_paths),
        }
        from django.db import connection

        connection.close()

        server = Server(var_dir)
        try:
            print(f"gunicorn ({WEB_WORKERS} workers) on {server.base}; warming up …", flush=True)
            warm = single_client(server.base, {k: (c, p[:10]) for k, (c, p) in targets.items()}, 10)
            for name, summary in warm.items():
                if summary["errors"]:
                    raise RuntimeError(f"{name}: warm-up errors {summary['errors']}")
            results["memory_after_warmup"] = server.rss()
            print(f"  RSS after warm-up: {results['memory_after_warmup']}", flush=True)

            print(f"single client: {args.requests} requests per URL …", flush=True)
            results["single"] = single_client(server.base, targets, args.requests)
            for name, summary in results["single"].items():
                print(f"  {name:<22} {_fmt(summary)}", flush=True)

            print(f"concurrent: {args.connections} connections, {args.duration:.0f} s per URL …", flush=True)
            results["concurrent"] = {}
            with tempfile.TemporaryDirectory(prefix="kemala-wrk-") as work:
                for name, (cookie, paths) in targets.items():
                    if shutil.which("wrk"):
                        summary = concurrent_wrk(
                            server.base, cookie, paths, args.duration, args.connections, Path(work)
                        )
                    else:
                        summary = concurrent_httpx(server.base, cookie, paths, args.duration, args.connections)
                    results["concurrent"][name] = summary
                    print(f"  {name:<22} {_fmt(summary)}", flush=True)
            results["memory_after_load"] = server.rss()
            print(f"  RSS after load: {results['memory_after_load']}", flush=True)
        finally:
            server.stop()

        print("in-process: queries and plans …", flush=True)
        logins = {name: "bench-operator" if "operator" in name else "bench-admin" for name in targets}
        results["views"] = explain_views(targets, logins)
        for name, view in results["views"].items():
            print(
                f"  {name:<22} {view['queries']} queries, {view['sql_ms']} ms SQL, "
                f"{view['python_ms']} ms Python/templates, {view['total_ms']} ms in all",
                flush=True,
            )
            for slow in view["slowest"][:1]:
                print(f"    slowest query {slow['ms']} ms: {' / '.join(slow['plan'])}", flush=True)

    worst_single = max(s["p95"] for s in results["single"].values())
    worst_concurrent = max(s["p95"] for s in results["concurrent"].values())
    results["pass_single"] = worst_single <= TARGET_P95_MS
    results["pass_concurrent"] = worst_concurrent <= TARGET_P95_MS
    results["errors"] = sum(
        sum(s["errors"].values()) for group in ("single", "concurrent") for s in results[group].values()
    )
    print(
        f"worst p95: single client {worst_single:.1f} ms, {args.connections} connections {worst_concurrent:.1f} ms; "
        f"target {TARGET_P95_MS:.0f} ms; errors {results['errors']}",
        flush=True,
    )
    write_json(args.json, results)
    return results


def _fmt(summary: dict[str, Any]) -> str:
    rps = f" {summary['rps']:>6.1f} req/s" if "rps" in summary else ""
    return (
        f"n={summary['n']:<5} p50 {summary['p50']:7.1f}  p95 {summary['p95']:7.1f}  p99 {summary['p99']:7.1f}  "
        f"max {summary['max']:7.1f} ms{rps}  errors {summary['errors'] or 0}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
