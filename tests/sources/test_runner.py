"""The X source runner against the sandbox, through the real connector over HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cases.models import Case
from kemala.management.commands.worker import run_worker_cycle
from programs.models import Program
from sandbox.server import SandboxServer
from sources.models import Platform, Post, QuarantinedItem, Source
from sources.runner import claim_lease, run_source_once

OWNER = "test-worker"


def citizen_posts(sandbox: SandboxServer, count: int, start: int = 0) -> list[str]:
    ids = []
    for n in range(start, start + count):
        sandbox.store.ensure_account(f"warga{n}", f"Warga {n}")
        tweet = sandbox.store.create_post(
            username=f"warga{n}", text=f"Lampu jalan mati di Kota Semarang no {n} #KemalaJateng"
        )
        ids.append(tweet["id"])
    return ids


def test_polls_store_each_post_once_and_advance_the_cursor(x_source: Source, sandbox: SandboxServer) -> None:
    first = citizen_posts(sandbox, 3)
    stats = run_source_once(x_source, OWNER)
    assert stats is not None and stats.stored == 3
    x_source.refresh_from_db()
    assert x_source.cursor == first[-1]
    assert run_source_once(x_source, OWNER) is not None  # a poll with nothing new stores nothing
    assert Post.objects.count() == 3
    second = citizen_posts(sandbox, 2, start=3)
    stats = run_source_once(x_source, OWNER)
    assert stats is not None and (stats.stored, stats.duplicates) == (2, 0)
    x_source.refresh_from_db()
    assert x_source.cursor == second[-1]
    assert sorted(Post.objects.values_list("external_id", flat=True)) == sorted(first + second)
    post = Post.objects.get(external_id=first[0])
    assert post.url == f"{sandbox.base_url}/warga0/status/{first[0]}"
    assert post.raw["data"]["id"] == first[0]  # the platform's payload, kept as evidence
    assert Case.objects.count() == 5


def test_more_posts_than_a_page_are_all_fetched(x_source: Source, sandbox: SandboxServer) -> None:
    citizen_posts(sandbox, 230)
    stats = run_source_once(x_source, OWNER)
    assert stats is not None and stats.stored == 230


def test_rate_limit_backs_off_and_loses_nothing(x_source: Source, sandbox: SandboxServer) -> None:
    ids = citizen_posts(sandbox, 2)
    sandbox.faults.rate_limit("/2/tweets/search/recent", reset_in=120)
    assert run_source_once(x_source, OWNER) is None
    x_source.refresh_from_db()
    assert x_source.consecutive_failures == 1
    assert "429" in x_source.last_error or "rate" in x_source.last_error.lower()
    assert x_source.next_run_at is not None
    assert x_source.next_run_at >= timezone.now() + timedelta(seconds=100)  # honours x-rate-limit-reset
    assert x_source.cursor == ""
    run_source_once(x_source, OWNER)
    assert sorted(Post.objects.values_list("external_id", flat=True)) == sorted(ids)


def test_server_error_on_a_later_page_keeps_the_cursor(x_source: Source, sandbox: SandboxServer) -> None:
    citizen_posts(sandbox, 150)
    sandbox.faults.server_error("/2/tweets/search/recent", skip=1)  # page 1 fine, page 2 fails
    assert run_source_once(x_source, OWNER) is None
    x_source.refresh_from_db()
    assert (x_source.cursor, Post.objects.count()) == ("", 0)
    assert run_source_once(x_source, OWNER) is not None
    assert Post.objects.count() == 150


def test_malformed_page_fails_loudly_then_recovers(x_source: Source, sandbox: SandboxServer) -> None:
    citizen_posts(sandbox, 2)
    sandbox.faults.malformed("/2/tweets/search/recent")
    assert run_source_once(x_source, OWNER) is None
    x_source.refresh_from_db()
    assert x_source.last_error
    assert run_source_once(x_source, OWNER) is not None
    assert Post.objects.count() == 2


def test_malformed_item_is_quarantined_and_neighbours_stored(x_source: Source, sandbox: SandboxServer) -> None:
    citizen_posts(sandbox, 3)
    sandbox.faults.missing_field("/2/tweets/search/recent", field="text", index=1)
    stats = run_source_once(x_source, OWNER)
    assert stats is not None and (stats.stored, stats.quarantined) == (2, 1)
    assert QuarantinedItem.objects.get().reason


def test_only_one_runner_holds_a_source(x_source: Source) -> None:
    assert claim_lease(x_source, "worker-1", seconds=60)
    assert not claim_lease(x_source, "worker-2", seconds=60)
    assert run_source_once(x_source, "worker-2") is None
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert claim_lease(x_source, "worker-2", seconds=60)  # an expired lease is taken over


def test_a_failing_source_does_not_stop_the_others(x_source: Source, sandbox: SandboxServer, program: Program) -> None:
    broken = Source.objects.create(
        program=program,
        platform=Platform.X,
        name="broken",
        query="#KemalaJateng",
        base_url="http://127.0.0.1:9",
        credentials={"bearer_token": "x"},
    )
    citizen_posts(sandbox, 2)
    ran, _ = run_worker_cycle(OWNER)
    assert ran == 1
    broken.refresh_from_db()
    assert broken.last_error and broken.consecutive_failures == 1
    assert Post.objects.filter(source=x_source).count() == 2


@pytest.mark.parametrize("text", ["<script>alert(1)</script> #KemalaJateng", "a\x00b #KemalaJateng"])
def test_hostile_posts_from_the_platform_are_stored(x_source: Source, sandbox: SandboxServer, text: str) -> None:
    sandbox.store.ensure_account("iseng")
    sandbox.store.create_post(username="iseng", text=text)
    citizen_posts(sandbox, 1)
    stats = run_source_once(x_source, OWNER)
    assert stats is not None and stats.stored == 2
