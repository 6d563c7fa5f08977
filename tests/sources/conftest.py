from __future__ import annotations

from collections.abc import Iterator

import pytest

from programs.models import Agency, Program
from sandbox.server import SandboxServer
from sandbox.store import SANDBOX_APP_BEARER, user_token
from sources.models import Platform, PublishingAccount, Source


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
        program=program, platform=Platform.X, name="sandbox", query="#KemalaJateng", base_url=sandbox.base_url,
        public_base_url=sandbox.base_url, credentials={"bearer_token": SANDBOX_APP_BEARER}, poll_interval_seconds=5,
    )


@pytest.fixture
def agency_a_account(agency_a: Agency, sandbox: SandboxServer) -> PublishingAccount:
    sandbox.store.ensure_account("DPUBinamargaJtg", agency_a.name)
    account, _ = PublishingAccount.objects.update_or_create(
        agency=agency_a, platform=Platform.X,
        defaults={"handle": "DPUBinamargaJtg", "base_url": sandbox.base_url, "public_base_url": sandbox.base_url,
                  "credentials": {"bearer_token": user_token("DPUBinamargaJtg")}},
    )
    return account
