"""The public board is computed once per state of the rollup: repeated visits read the cache, and a worker
tick that changes the figures shows at once."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases.models import AuditEvent, Case
from insight import rollup
from programs.models import Program


def test_repeated_visits_use_the_cache_until_the_rollup_moves(
    client: Client, program: Program, make_case: Callable[..., Case]
) -> None:
    make_case("Jalan berlubang di Tembalang")
    rollup.rebuild(program)

    first = client.get("/api/board")
    assert first.status_code == 200
    assert first.json()["total_cases"] == 1
    with CaptureQueriesContext(connection) as again:
        second = client.get("/api/board")
    assert second.json() == first.json()
    # The program and the rollup state only: no tally, case or reply is read again.
    tables = " ".join(q["sql"] for q in again.captured_queries)
    assert "insight_tally" not in tables and "cases_case" not in tables, tables

    second_case = make_case("Lampu jalan mati di Banyumanik")
    # What opening a case writes (cases.services); the worker's rollup reads the audit log.
    AuditEvent.objects.create(program=program, case=second_case, action="open", to_status=second_case.status)
    assert client.get("/api/board").json()["total_cases"] == 1  # the worker has not counted it yet
    rollup.tick()
    assert client.get("/api/board").json()["total_cases"] == 2
    page = client.get("/")
    assert page.status_code == 200


def test_languages_are_cached_apart(client: Client, program: Program, make_case: Callable[..., Case]) -> None:
    make_case("Keluhan tanpa sektor", sector=None)
    rollup.rebuild(program)
    client.cookies["django_language"] = "en"
    english = client.get("/api/board").json()
    client.cookies["django_language"] = "id"
    indonesian = client.get("/api/board").json()
    assert english["by_sector"] != indonesian["by_sector"]
