"""The cast every test can use: a loaded Jawa Tengah program, two agencies and a user per role.

- admin: the provincial Kemala team
- operator_a: operator of agency A (DPU Bina Marga), operator_b: operator of agency B (Pemkot Semarang)
- analyst: read-only analytics
- outsider: a logged-in account with no role in the program (sees nothing)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from cases.models import Case, Status
from programs.models import Agency, Membership, Program, Role
from programs.reference import load_program
from sandbox.server import SandboxServer
from sandbox.store import SANDBOX_APP_BEARER, user_token
from sources.models import Platform, Post, PostRole, PublishingAccount, Source

AGENCY_A = "dpu-bmck"
AGENCY_B = "kota-semarang"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Load the reference data once per test database; each test then runs in a transaction on top."""
    with django_db_blocker.unblock():
        load_program("jateng")
    yield


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache (the public board keeps computed figures there)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def program(db: None) -> Program:
    return Program.objects.get(slug="jateng")


@pytest.fixture
def agency_a(program: Program) -> Agency:
    return Agency.objects.get(program=program, code=AGENCY_A)


@pytest.fixture
def agency_b(program: Program) -> Agency:
    return Agency.objects.get(program=program, code=AGENCY_B)


def _user(username: str, program: Program, role: str | None, agency: Agency | None = None) -> AbstractBaseUser:
    user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    if role is not None:
        Membership.objects.create(user=user, program=program, role=role, agency=agency)
    return user


@pytest.fixture
def admin_user(program: Program) -> AbstractBaseUser:
    return _user("admin", program, Role.ADMIN)


@pytest.fixture
def operator_a(program: Program, agency_a: Agency) -> AbstractBaseUser:
    return _user("operator_a", program, Role.OPERATOR, agency_a)


@pytest.fixture
def operator_b(program: Program, agency_b: Agency) -> AbstractBaseUser:
    return _user("operator_b", program, Role.OPERATOR, agency_b)


@pytest.fixture
def analyst(program: Program) -> AbstractBaseUser:
    return _user("analyst", program, Role.ANALYST)


@pytest.fixture
def outsider(program: Program) -> AbstractBaseUser:
    return _user("outsider", program, None)


@pytest.fixture
def client_for() -> Callable[[AbstractBaseUser | None], Client]:
    def make(user: AbstractBaseUser | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


_counter = iter(range(1_800_000_000_000_000_000, 1_900_000_000_000_000_000))


@pytest.fixture
def make_case(program: Program) -> Callable[..., Case]:
    """Create a case the way ingest does: one citizen post (role report) and its case."""

    def make(
        text: str = "Jalan rusak parah di Kota Semarang #KemalaJateng",
        *,
        status: str = Status.NEW,
        agency: Agency | None = None,
        opened_at: datetime | None = None,
        author: str = "warga1",
        **fields: Any,
    ) -> Case:
        from cases.services import new_tracking_code

        opened_at = opened_at or datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
        external_id = str(next(_counter))
        case = Case.objects.create(
            program=program,
            tracking_code=new_tracking_code(program),
            status=status,
            platform=Platform.X,
            summary=text[:280],
            opened_at=opened_at,
            agency=agency,
            **fields,
        )
        Post.objects.create(
            program=program,
            platform=Platform.X,
            external_id=external_id,
            author_id="1" + external_id[-6:],
            author_handle=author,
            author_name=author.title(),
            text=text,
            posted_at=opened_at,
            conversation_id=external_id,
            raw={"id": external_id, "text": text},
            case=case,
            role=PostRole.REPORT,
            url=f"https://x.com/{author}/status/{external_id}",
        )
        if agency is not None:
            PublishingAccount.objects.get_or_create(
                agency=agency,
                platform=Platform.X,
                defaults={"handle": agency.code.replace("-", ""), "credentials": {"bearer_token": "t"}},
            )
        return case

    return make


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(port=0).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def x_source(program: Program, sandbox: SandboxServer) -> Source:
    return Source.objects.create(
        program=program,
        platform=Platform.X,
        name="sandbox",
        query="#KemalaJateng",
        base_url=sandbox.base_url,
        public_base_url=sandbox.base_url,
        credentials={"bearer_token": SANDBOX_APP_BEARER},
        poll_interval_seconds=5,
    )


@pytest.fixture
def agency_a_account(agency_a: Agency, sandbox: SandboxServer) -> PublishingAccount:
    sandbox.store.ensure_account("DPUBinamargaJtg", agency_a.name)
    account, _ = PublishingAccount.objects.update_or_create(
        agency=agency_a,
        platform=Platform.X,
        defaults={
            "handle": "DPUBinamargaJtg",
            "base_url": sandbox.base_url,
            "public_base_url": sandbox.base_url,
            "credentials": {"bearer_token": user_token("DPUBinamargaJtg")},
        },
    )
    return account
