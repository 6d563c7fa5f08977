"""Helpers for the case desk tests, on top of the cast in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.utils import timezone

from cases.models import AuditEvent, Case, Reply, ReplyStatus, Status
from programs.models import Agency, Program, Region, Sector
from sources.models import PostRole

HTMX = {"HTTP_HX_REQUEST": "true"}


def events(case: Case) -> list[tuple[str, str, str, str, str]]:
    """The case's audit trail as (action, from, to, actor, reason), oldest first."""
    return [
        (e.action, e.from_status, e.to_status, e.actor.get_username() if e.actor else e.actor_label, e.reason)
        for e in AuditEvent.objects.filter(case=case).select_related("actor").order_by("id")
    ]


def body(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


@pytest.fixture
def admin_client(admin_user: AbstractBaseUser, client_for: Callable[..., Client]) -> Client:
    return client_for(admin_user)


@pytest.fixture
def operator_a_client(operator_a: AbstractBaseUser, client_for: Callable[..., Client]) -> Client:
    return client_for(operator_a)


@pytest.fixture
def delegated_case(make_case: Callable[..., Case], agency_a: Agency) -> Case:
    """A case the admin delegated to agency A; agency A has an X account to reply from."""
    return make_case("Jalan Semarang-Demak berlubang #KemalaJateng", status=Status.DELEGATED, agency=agency_a)


@pytest.fixture
def new_case(make_case: Callable[..., Case], program: Program, agency_a: Agency) -> Case:
    """A fresh case as ingest leaves it, with the reader's suggestion (agency A) and confidence."""
    return make_case(
        "Jalan provinsi di Tembalang rusak parah #KemalaJateng",
        suggested_agency=agency_a,
        agency_confidence=0.873,
        suggested_sector=Sector.objects.get(program=program, code="infrastruktur"),
        sector_confidence=0.91,
        suggested_region=Region.objects.get(program=program, code="33.74"),
        model_version="baseline-rules-1",
    )


@pytest.fixture
def failed_reply(delegated_case: Case, operator_a: AbstractBaseUser) -> Reply:
    """A reply of agency A that the platform refused for good."""
    return Reply.objects.create(
        case=delegated_case,
        in_reply_to=delegated_case.posts.get(role=PostRole.REPORT),
        agency=delegated_case.agency,
        author=operator_a,
        text="Terima kasih, laporan sudah kami terima.",
        status=ReplyStatus.FAILED,
        attempts=8,
        last_error="403 Forbidden: reply not allowed (the author did not mention or engage this account)",
        next_attempt_at=timezone.now(),
    )
