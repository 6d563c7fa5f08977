"""Demo accounts and a sandbox source, so `make run` shows the whole loop on a fresh machine."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from programs.models import Agency, Membership, Program, Role
from sandbox.store import SANDBOX_APP_BEARER
from sandbox.store import user_token as sandbox_token
from sources.models import Platform, PublishingAccount, Source

# (username, role, agency code): the three agencies that receive most of the demo's cases.
DEMO_STAFF = [
    ("admin", Role.ADMIN, None),
    ("dpu", Role.OPERATOR, "dpu-bmck"),
    ("semarang", Role.OPERATOR, "kota-semarang"),
    ("pln", Role.OPERATOR, "pln-jateng"),
    ("analis", Role.ANALYST, None),
]


@dataclass
class DemoLogin:
    username: str
    role: str
    agency: str | None
    password: str | None  # None when the account existed already: passwords are printed only once


def sandbox_handle(agency: Agency) -> str:
    """A plausible platform handle for an agency, e.g. 'PemkotSemarang' or 'DPUBINMARCIPKA'."""
    return re.sub(r"[^A-Za-z0-9]", "", agency.short_name)[:30] or agency.code.replace("-", "")


@transaction.atomic
def ensure_demo(program: Program, sandbox_url: str) -> list[DemoLogin]:
    user_model = get_user_model()
    logins: list[DemoLogin] = []
    agencies = {a.code: a for a in Agency.objects.filter(program=program)}
    for username, role, agency_code in DEMO_STAFF:
        user = user_model.objects.filter(username=username).first()
        password = None
        if user is None:
            password = secrets.token_urlsafe(9)
            user = user_model.objects.create_user(username=username, password=password)
        Membership.objects.update_or_create(
            user=user,
            program=program,
            defaults={"role": role, "agency": agencies[agency_code] if agency_code else None},
        )
        logins.append(DemoLogin(username, str(role), agency_code, password))
    for agency in agencies.values():
        handle = sandbox_handle(agency)
        PublishingAccount.objects.update_or_create(
            agency=agency,
            platform=Platform.X,
            defaults={
                "handle": handle,
                "base_url": sandbox_url,
                "public_base_url": sandbox_url,
                "credentials": {"bearer_token": sandbox_token(handle)},
            },
        )
    Source.objects.update_or_create(
        program=program,
        name="Sandbox X",
        defaults={
            "platform": Platform.X,
            "query": program.primary_hashtag,
            "base_url": sandbox_url,
            "public_base_url": sandbox_url,
            "credentials": {"bearer_token": SANDBOX_APP_BEARER},
            "poll_interval_seconds": 5,
        },
    )
    return logins
