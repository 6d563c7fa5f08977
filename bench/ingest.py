"""Ingest throughput: X API v2 search pages → XConnector → `ingest()` → stored, triaged cases, on SQLite.

    .venv/bin/python -m bench.ingest                    # 20,000 posts in-process (+ 10,000 over HTTP), baseline
    .venv/bin/python -m bench.ingest --posts 5000       # smaller
    .venv/bin/python -m bench.ingest --no-http          # only the in-process variant
    .venv/bin/python -m bench.ingest --profile 40       # also cProfile 40 pages and print where time goes
    .venv/bin/python -m bench.ingest --json out.json    # machine-readable results (used by bench.run_all)

How it works, end to end:

1. **Posts.** The sandbox's own `CitizenSimulator` (seeded, deterministic) posts to the sandbox's own
   `SandboxStore`: new problems, the same problem from other citizens, retweets, quotes, follow-ups in the
   citizen's thread, answers to agency replies, spam and chatter, in the simulator's mix. Agency accounts
   reply in some threads (as Kemala would publish), so citizens have replies to answer. Only what the
   source's query (`#KemalaJateng`) finds is captured, as in production.
2. **Pages.** The captured posts, oldest first, are cut into pages of 100, and each page is rendered by the
   sandbox's `XApi.search_recent` with exactly the parameters `XConnector.fetch` sends (fields, expansions,
   `since_id`/`until_id`): the JSON bytes and headers the sandbox would put on the wire.
3. **Ingest, two variants, each into its own fresh SQLite database** (`kemala setup`, WAL, the production
   PRAGMAs), one page per round and one transaction per page, through the real runner
   (`sources.runner.run_source_once`: lease, `XConnector.fetch`, `ingest`, cursor, health):
   - *in-process*: `XConnector.fetch` reads the pre-rendered responses from an `httpx.MockTransport`, so
     the figure is parsing + ingest only;
   - *HTTP*: a real `SandboxServer` on 127.0.0.1, in a process of its own as X would be, answers
     `XConnector.fetch` over a socket.
   Each round reads the unread range through the connector's own backlog cursor
   (`backlog:<since>:<until>:<newest>`), i.e. exactly one page of 100.
4. **Baseline.** In the same SQLite file with the same PRAGMAs, the very rows ingest wrote (posts, cases,
   audit events) are inserted again with `executemany` into plain tables (no indexes, no constraints), one
   transaction per page. The ratio says how far ingest is from what the database itself can do.

The triage reader is loaded before timing (a worker loads it once per process). Target: ≥ 1,000 posts/s.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import multiprocessing
import pstats
import random
import shutil
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.common import kemala_setup, machine_info, setup_django, sqlite_path, temp_var_dir, write_json

TARGET_POSTS_PER_S = 1000.0
PAGE_SIZE = 100
QUERY = "#KemalaJateng"
PUBLIC_BASE = "http://127.0.0.1:8010"  # post links point at the demo sandbox's usual address
AGENCY_HANDLES = ("DPUBinmarCipka", "PemkotSemarang", "PLNJateng", "DinkesJateng", "BPBDJateng", "DisdikJateng")
AGENCY_REPLY_TEXTS = (
    "Terima kasih laporannya, Kak. Sudah kami teruskan ke tim lapangan.",
    "Mohon maaf atas ketidaknyamanannya. Petugas kami akan segera mengecek lokasi.",
    "Laporan sudah kami terima dan sedang ditindaklanjuti. Terima kasih.",
    "Mohon kirim titik lokasi lewat DM agar bisa segera kami tangani.",
)


# --------------------------------------------------------------------------- the posts and the pages


class _Clock:
    """The store's clock: follows the simulator while it posts, then stands where the benchmark puts it."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.minute_of: Callable[[], float] = lambda: 0.0
        self.fixed: datetime | None = None
        # Set when the sandbox server runs in a child process: the time the benchmark stands the clock at,
        # shared with that process (a POSIX timestamp in shared memory).
        self.shared: Any = None

    def __call__(self) -> datetime:
        if self.shared is not None and self.shared.value:
            return datetime.fromtimestamp(self.shared.value, tz=UTC)
        if self.fixed is not None:
            return self.fixed
        return self.start + timedelta(minutes=self.minute_of())

    def stand_at(self, when: datetime) -> None:
        self.fixed = when
        if self.shared is not None:
            self.shared.value = when.timestamp()


def _bench_store_class() -> type:
    from sandbox import store as sandbox_store

    class BenchStore(sandbox_store.SandboxStore):
        """`SandboxStore` whose `timeline` copies no more than it returns: a copy of the whole timeline per
        simulator step would make generating 20,000 posts take minutes. Posts and pages are byte-identical."""

        def timeline(self, limit: int = 100) -> list[dict]:
            found = []
            for tweet_id in reversed(self._order):
                if self._status[tweet_id] == sandbox_store.LIVE:
                    found.append(self._tweets[tweet_id])  # read-only use by the simulator: no copy
                    if len(found) >= limit:
                        break
            return found

    return BenchStore


@dataclass
class Page:
    since_id: int
    until_id: int
    newest_id: int
    posts: int
    not_before: datetime  # the store's clock when this page is served
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def cursor(self) -> str:
        return f"backlog:{self.since_id}:{self.until_id}:{self.newest_id}"


@dataclass
class Corpus:
    store: Any
    clock: _Clock
    pages: list[Page]
    captured: int
    mix: dict[str, int]
    actions: dict[str, int]
    store_posts: int
    seconds: float


def search_params(since_id: int, until_id: int) -> dict[str, str]:
    """What XConnector.fetch sends for one backlog page."""
    from sources.connectors.x import EXPANSIONS, PLACE_FIELDS, TWEET_FIELDS, USER_FIELDS

    return {
        "query": QUERY,
        "max_results": str(PAGE_SIZE),
        "tweet.fields": TWEET_FIELDS,
        "expansions": EXPANSIONS,
        "user.fields": USER_FIELDS,
        "place.fields": PLACE_FIELDS,
        "since_id": str(since_id),
        "until_id": str(until_id),
    }


def make_corpus(n_posts: int, seed: int) -> Corpus:
    """Simulate citizens until the query captures `n_posts` posts; render the search pages."""
    from sandbox.faults import Faults
    from sandbox.simulator import CitizenSimulator
    from sandbox.store import SANDBOX_APP_BEARER, parse_time
    from sandbox.wire import Request
    from sandbox.xapi import RateLimits, SearchContext, XApi, parse_query

    started = time.perf_counter()
    clock = _Clock(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))
    store = _bench_store_class()(clock=clock)
    sim = CitizenSimulator(store, rate_per_minute=3.0, seed=seed)
    clock.minute_of = lambda: sim.minute
    rng = random.Random(seed + 1)
    for handle in AGENCY_HANDLES:
        store.ensure_account(handle, handle)
    ctx = SearchContext(store)
    matches = parse_query(QUERY, ctx)
    captured: list[str] = []
    roots: list[str] = []
    agency_replies = 0
    while len(captured) < n_posts:
        for line in sim.step():
            action, tweet_id = line.split(" ", 2)[:2]
            tweet = store.get(tweet_id)
            if tweet is not None and matches(ctx, tweet):
                captured.append(tweet_id)
            if action in ("new", "duplicate"):
                roots.append(tweet_id)
        # The agency answers some recent threads from its own account (no hashtag: not captured), so the
        # simulator's citizens have agency replies to answer, as they do in production.
        if roots and rng.random() < 0.35:
            target = rng.choice(roots[-80:])
            if store.get(target) is not None:
                text = f"{rng.choice(AGENCY_REPLY_TEXTS)} (ref {agency_replies})"
                store.create_post(username=rng.choice(AGENCY_HANDLES), text=text, in_reply_to_id=target)
                agency_replies += 1
    captured = captured[:n_posts]
    ids = sorted(int(x) for x in captured)

    mix: Counter[str] = Counter()
    for tweet_id in captured:
        tweet = store.get(tweet_id)
        kinds = {ref["type"] for ref in (tweet or {}).get("referenced_tweets", [])}
        if "retweeted" in kinds:
            mix["retweet"] += 1
        elif "replied_to" in kinds:
            mix["reply"] += 1
        else:
            mix["quote" if kinds else "original"] += 1
    mix["agency replies posted (not captured)"] = agency_replies

    api = XApi(store, Faults(), rate_limits=RateLimits(search=10**9, lookup=10**9))
    pages: list[Page] = []
    for offset in range(0, len(ids), PAGE_SIZE):
        chunk = ids[offset : offset + PAGE_SIZE]
        newest = store.get(str(chunk[-1]))
        assert newest is not None
        page = Page(chunk[0] - 1, chunk[-1] + 1, chunk[-1], len(chunk), parse_time(newest["created_at"]))
        clock.fixed = page.not_before + timedelta(seconds=30)  # a poll shortly after the newest post
        target = "/2/tweets/search/recent?" + urlencode(search_params(page.since_id, page.until_id))
        request = Request.build("GET", target, {"Authorization": f"Bearer {SANDBOX_APP_BEARER}"})
        response = api.handle(request)
        assert response is not None and response.status == 200, response
        page.status, page.body = response.status, response.body
        page.headers = {**response.headers, "content-type": response.content_type}
        pages.append(page)
    return Corpus(
        store=store,
        clock=clock,
        pages=pages,
        captured=len(ids),
        mix=dict(mix),
        actions=dict(sim.counts),
        store_posts=len(store.timeline(10**9)),
        seconds=time.perf_counter() - started,
    )


# --------------------------------------------------------------------------- running ingest


class TimedConnector:
    """Wraps a connector to time `fetch` (request + parsing) apart from ingest."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.platform = inner.platform
        self.fetch_seconds = 0.0

    def fetch(self, cursor: str | None) -> Any:
        started = time.perf_counter()
        try:
            return self.inner.fetch(cursor)
        finally:
            self.fetch_seconds += time.perf_counter() - started

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _prepare_database() -> Any:
    """The bench source and the agencies' publishing accounts in the (fresh) database; returns the source."""
    from programs.models import Agency, Program
    from programs.reader import reader_for
    from sandbox.store import SANDBOX_APP_BEARER
    from sources.models import Platform, PublishingAccount, Source

    program = Program.objects.get(slug="jateng")
    agencies = list(Agency.objects.filter(program=program).order_by("code"))
    for agency, handle in zip(agencies, AGENCY_HANDLES, strict=False):
        PublishingAccount.objects.create(agency=agency, platform=Platform.X, handle=handle, credentials={})
    source = Source.objects.create(
        program=program,
        name="Bench X",
        platform=Platform.X,
        query=QUERY,
        base_url=PUBLIC_BASE,
        public_base_url=PUBLIC_BASE,
        credentials={"bearer_token": SANDBOX_APP_BEARER},
    )
    reader_for(program.slug)  # loaded once per worker process; not part of the throughput
    return source


def run_variant(
    name: str, corpus: Corpus, connector: Any, *, pages: int | None = None, profile: bool = False
) -> tuple[dict[str, Any], cProfile.Profile | None]:
    """Ingest every page through `run_source_once`; return throughput and counts."""
    from django.db import connection

    from cases.models import AuditEvent, Case
    from sources.models import Post, Source
    from sources.runner import run_source_once

    source = _prepare_database()
    timed = TimedConnector(connector)
    profiler = cProfile.Profile() if profile else None
    todo = corpus.pages[:pages] if pages else corpus.pages
    stored = duplicates = opened = quarantined = 0
    per_page: list[float] = []
    started = time.perf_counter()
    for page in todo:
        Source.objects.filter(pk=source.pk).update(cursor=page.cursor)
        corpus.clock.stand_at(page.not_before + timedelta(seconds=30))
        t0 = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        stats = run_source_once(source, "bench", timed)
        if profiler is not None:
            profiler.disable()
        per_page.append(time.perf_counter() - t0)
        if stats is None:
            source.refresh_from_db()
            raise RuntimeError(f"{name}: round failed: {source.last_error}")
        stored += stats.stored
        duplicates += stats.duplicates
        opened += stats.cases_opened
        quarantined += stats.quarantined
    wall = time.perf_counter() - started
    timed_total = sum(per_page)
    roles = Counter(Post.objects.values_list("role", flat=True))
    result = {
        "variant": name,
        "pages": len(todo),
        "posts_stored": stored,
        "duplicates": duplicates,
        "quarantined": quarantined,
        "cases_opened": opened,
        "cases_in_db": Case.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "post_roles": dict(roles),
        "seconds": round(timed_total, 3),
        "wall_seconds": round(wall, 3),
        "fetch_seconds": round(timed.fetch_seconds, 3),
        "ingest_seconds": round(timed_total - timed.fetch_seconds, 3),
        "posts_per_s": round(stored / timed_total, 1) if timed_total else 0.0,
        "page_ms_p50": round(sorted(per_page)[len(per_page) // 2] * 1000, 1),
        "page_ms_max": round(max(per_page) * 1000, 1),
    }
    connection.close()
    return result, profiler


def raw_insert_baseline(db: Path, pages: int) -> dict[str, Any]:
    """Insert the rows ingest wrote into plain tables of the same file, one transaction per page."""
    tables = ("sources_post", "cases_case", "cases_auditevent")
    con = sqlite3.connect(db, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=20000", "foreign_keys=ON"):
        con.execute(f"PRAGMA {pragma}")
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for table in tables:
        con.execute(f"DROP TABLE IF EXISTS bench_raw_{table}")
        con.execute(f"CREATE TABLE bench_raw_{table} AS SELECT * FROM {table} WHERE 0")  # columns only
        columns = [row[1] for row in con.execute(f"PRAGMA table_info({table})") if row[1] != "id"]
        rows[table] = con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id").fetchall()
    statements = {
        table: f"INSERT INTO bench_raw_{table} ({', '.join(c for c in _columns(con, table) if c != 'id')}) "
        f"VALUES ({', '.join('?' * (len(_columns(con, table)) - 1))})"
        for table in tables
    }
    total_rows = sum(len(r) for r in rows.values())
    started = time.perf_counter()
    for i in range(pages):
        con.execute("BEGIN IMMEDIATE")
        for table in tables:
            chunk = _share(rows[table], i, pages)
            if chunk:
                con.executemany(statements[table], chunk)
        con.execute("COMMIT")
    seconds = time.perf_counter() - started
    posts = len(rows["sources_post"])
    con.close()
    return {
        "rows": {t: len(r) for t, r in rows.items()},
        "transactions": pages,
        "seconds": round(seconds, 3),
        "posts_per_s": round(posts / seconds, 1),
        "rows_per_s": round(total_rows / seconds, 1),
    }


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in con.execute(f"PRAGMA table_info({table})")]


def _share(rows: list[Any], i: int, parts: int) -> list[Any]:
    """The i-th of `parts` nearly equal consecutive slices of `rows`."""
    return rows[len(rows) * i // parts : len(rows) * (i + 1) // parts]


def _fresh_db(pristine: Path, target: Path) -> None:
    """Put a copy of the freshly set-up database at `target` (Django's connection is closed)."""
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(pristine, target)


def _profile_report(profiler: cProfile.Profile, pages: int, posts: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(45)
    out.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(25)
    return f"cProfile of {pages} pages ({posts} posts)\n{out.getvalue()}"


# Where ingest's time goes: (label, file suffix, function name) of the steps worth naming.
PROFILE_STEPS = (
    ("run_source_once (whole round)", "sources/runner.py", "run_source_once"),
    ("XConnector.fetch (HTTP + JSON + parsing)", "sources/connectors/x.py", "fetch"),
    ("ingest()", "sources/ingest.py", "ingest"),
    ("post rows, each read once (_post_row, reader included)", "sources/ingest.py", "_post_row"),
    ("  triage reader.read", "triage/reader.py", "read"),
    ("  raw payload encoded once (clean_json_text)", "sources/ingest.py", "clean_json_text"),
    ("link to cases (_link)", "sources/ingest.py", "_link"),
    ("batch lookups (_Known, _Lookups)", "sources/ingest.py", "__init__"),
    ("rows written by executemany (kemala.batchwrite.insert_rows)", "kemala/batchwrite.py", "insert_rows"),
    ("  new cases + their audit events (open_cases)", "cases/services.py", "open_cases"),
    ("SQLite execute (C, all statements)", "~", "<function SQLiteCursorWrapper.execute"),
)


def profile_breakdown(profiler: cProfile.Profile) -> dict[str, float]:
    """Cumulative seconds of the named steps (profiler overhead included: compare shares, not seconds)."""
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    found: dict[str, float] = {}
    for (filename, _line, function), (_cc, _nc, _tt, cumulative, _callers) in stats.items():
        for label, suffix, name in PROFILE_STEPS:
            builtin = suffix == "~" and function.startswith(name)
            if builtin or (function == name and filename.endswith(suffix)):
                found[label] = found.get(label, 0.0) + cumulative
    return {label: round(found[label], 3) for label, _, _ in PROFILE_STEPS if label in found}


def _count_queries(corpus: Corpus, pages: int) -> dict[str, Any]:
    """Queries per post for the first `pages` pages (a separate, untimed pass)."""
    from django.db import connection

    counts: Counter[str] = Counter()

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counts[sql.lstrip().split(" ", 1)[0].upper()] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        result, _ = run_variant("queries", corpus, _inproc_connector(corpus), pages=pages)
    total = sum(counts.values())
    return {"by_verb": dict(counts), "total": total, "per_post": round(total / max(result["posts_stored"], 1), 2)}


def _inproc_connector(corpus: Corpus) -> Any:
    from sources.connectors.x import XConnector

    return XConnector(
        base_url=PUBLIC_BASE,
        bearer_token="sandbox-app-bearer",
        query=QUERY,
        max_pages=1,
        public_base_url=PUBLIC_BASE,
        client=_mock_client(corpus),
    )


def _mock_client(corpus: Corpus) -> Any:
    import httpx

    by_range = {(str(p.since_id), str(p.until_id)): p for p in corpus.pages}

    def serve(request: httpx.Request) -> httpx.Response:
        page = by_range[(request.url.params["since_id"], request.url.params["until_id"])]
        return httpx.Response(page.status, content=page.body, headers=page.headers)

    return httpx.Client(transport=httpx.MockTransport(serve))


# --------------------------------------------------------------------------- main


def _serve_sandbox(corpus: Corpus, answer: Any) -> None:
    """The child process: serve the corpus's fake network until the parent says stop."""
    from sandbox.server import SandboxServer
    from sandbox.xapi import RateLimits

    server = SandboxServer("127.0.0.1", 0, store=corpus.store, rate_limits=RateLimits(search=10**9, lookup=10**9))
    with server:
        answer.send(server.base_url)
        answer.recv()  # until the parent is done


@contextmanager
def _sandbox_process(corpus: Corpus) -> Iterator[str]:
    """A `SandboxServer` over the corpus in a forked process (it inherits the store); yields its base URL.
    The store's clock follows the benchmark through shared memory (`_Clock.shared`)."""
    context = multiprocessing.get_context("fork")
    corpus.clock.shared = context.Value("d", 0.0, lock=False)
    ours, theirs = context.Pipe()
    child = context.Process(target=_serve_sandbox, args=(corpus, theirs), daemon=True)
    child.start()
    try:
        if not ours.poll(30):
            raise RuntimeError("the sandbox process did not start")
        yield ours.recv()
    finally:
        ours.send("stop")
        child.join(10)
        if child.is_alive():
            child.kill()
        corpus.clock.shared = None


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=20_000, help="captured posts to ingest (default 20000)")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--no-http", action="store_true", help="skip the variant through a real sandbox server")
    parser.add_argument(
        "--http-posts", type=int, default=10_000, help="posts for the HTTP variant (default 10000; 0: all)"
    )
    parser.add_argument("--profile", type=int, default=0, metavar="PAGES", help="cProfile this many pages")
    parser.add_argument("--var-dir", type=Path, help="work here instead of a temporary directory")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)

    from sources.connectors.x import XConnector  # no Django needed for the connector

    print(f"generating {args.posts:,} captured posts with the sandbox simulator (seed {args.seed}) …", flush=True)
    corpus = make_corpus(args.posts, args.seed)
    print(
        f"  {corpus.store_posts:,} posts on the fake network, {corpus.captured:,} captured by {QUERY!r} in "
        f"{len(corpus.pages)} pages ({sum(len(p.body) for p in corpus.pages) / 1e6:.1f} MB of JSON), "
        f"{corpus.seconds:.1f} s; mix {corpus.mix}",
        flush=True,
    )
    results: dict[str, Any] = {
        "target_posts_per_s": TARGET_POSTS_PER_S,
        "posts": corpus.captured,
        "pages": len(corpus.pages),
        "page_size": PAGE_SIZE,
        "json_bytes": sum(len(p.body) for p in corpus.pages),
        "mix": corpus.mix,
        "simulator_actions": corpus.actions,
        "generate_seconds": round(corpus.seconds, 1),
        "variants": {},
    }
    with temp_var_dir("ingest", keep=args.keep, path=args.var_dir) as var_dir:
        setup_seconds = kemala_setup(var_dir)
        db = sqlite_path(var_dir)
        pristine = var_dir / "pristine.sqlite3"
        shutil.copyfile(db, pristine)
        print(f"  fresh database by `kemala setup` in {setup_seconds:.1f} s: {db}", flush=True)
        setup_django(var_dir)
        results["machine"] = machine_info()

        result, _ = run_variant("in-process", corpus, _inproc_connector(corpus))
        results["variants"]["in-process"] = result
        _print_variant(result)

        baseline = raw_insert_baseline(db, len(corpus.pages))
        results["baseline"] = baseline
        results["ratio"] = round(baseline["posts_per_s"] / result["posts_per_s"], 1)
        print(
            f"  baseline: executemany of the same {sum(baseline['rows'].values()):,} rows "
            f"({baseline['rows']}) into plain tables, {baseline['transactions']} transactions: "
            f"{baseline['posts_per_s']:,.0f} posts/s ({baseline['rows_per_s']:,.0f} rows/s); "
            f"ingest is {results['ratio']}x slower",
            flush=True,
        )

        if not args.no_http:
            _fresh_db(pristine, db)
            # The fake X server runs in its own process, as X does: in a thread of this process it shared the
            # GIL and the cores with ingest, and the benchmark measured the fake's page rendering as well.
            with _sandbox_process(corpus) as base_url:
                http = XConnector(
                    base_url=base_url,
                    bearer_token="sandbox-app-bearer",
                    query=QUERY,
                    max_pages=1,
                    public_base_url=PUBLIC_BASE,
                )
                http_pages = -(-args.http_posts // PAGE_SIZE) if args.http_posts else None
                try:
                    result, _ = run_variant("http", corpus, http, pages=http_pages)
                finally:
                    http.close()
            results["variants"]["http"] = result
            _print_variant(result)

        if args.profile:
            _fresh_db(pristine, db)
            pages = min(args.profile, len(corpus.pages))
            prof_result, profiler = run_variant("profile", corpus, _inproc_connector(corpus), pages=pages, profile=True)
            assert profiler is not None
            report = _profile_report(profiler, pages, prof_result["posts_stored"])
            print(report)
            results["profile"] = report
            results["profile_pages"] = pages
            results["profile_breakdown"] = profile_breakdown(profiler)
            print(f"breakdown (s, under cProfile): {results['profile_breakdown']}")
            _fresh_db(pristine, db)
            queries = _count_queries(corpus, pages)
            results["queries"] = queries
            print(f"queries for {pages} pages: {queries}")

    best = max(v["posts_per_s"] for v in results["variants"].values())
    worst = min(v["posts_per_s"] for v in results["variants"].values())
    results["pass"] = worst >= TARGET_POSTS_PER_S
    print(
        f"ingest: {worst:,.0f}–{best:,.0f} posts/s; target {TARGET_POSTS_PER_S:,.0f}: "
        f"{'OK' if results['pass'] else 'MISSED'}",
        flush=True,
    )
    write_json(args.json, results)
    return results


def _print_variant(result: dict[str, Any]) -> None:
    print(
        f"  {result['variant']}: {result['posts_stored']:,} posts in {result['seconds']:.1f} s = "
        f"{result['posts_per_s']:,.0f} posts/s (fetch+parse {result['fetch_seconds']:.1f} s, "
        f"ingest {result['ingest_seconds']:.1f} s); {result['cases_opened']:,} cases opened; "
        f"roles {result['post_roles']}; page p50 {result['page_ms_p50']} ms",
        flush=True,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
