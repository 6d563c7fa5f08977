"""A small world for the API tests: one case per agency, one not yet delegated, one unlinked post."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache

from cases.models import Case, Reply, ReplyStatus, Status
from programs.models import Agency, Program
from sources.models import Platform, Post, PostRole


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    """The token throttle counts in the cache; every test starts with a clean count."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    case_a: Case
    case_b: Case
    case_new: Case
    unlinked: Post

    def post(self, case: Case) -> Post:
        return case.posts.get()


@pytest.fixture
def world(
    program: Program,
    make_case: Callable[..., Case],
    agency_a: Agency,
    agency_b: Agency,
    operator_a: AbstractBaseUser,
) -> World:
    case_a = make_case("Jalan Kaligawe berlubang, hubungi 081234567890", status=Status.ANSWERED, agency=agency_a)
    Reply.objects.create(
        case=case_a,
        in_reply_to=case_a.posts.get(),
        agency=agency_a,
        author=operator_a,
        text="Sudah kami jadwalkan perbaikan.",
        status=ReplyStatus.SENT,
        next_attempt_at=case_a.opened_at,
        url="https://x.com/dpubmck/status/9",
        external_id="9",
    )
    case_b = make_case("Sampah menumpuk di Tlogosari", status=Status.DELEGATED, agency=agency_b, author="warga2")
    case_new = make_case("Lampu jalan mati", author="warga3")
    unlinked = Post.objects.create(
        program=program,
        platform=Platform.X,
        external_id="unlinked-1",
        author_id="77",
        author_handle="warga4",
        text="Selamat pagi #KemalaJateng",
        posted_at=case_a.opened_at,
        raw={},
        role=PostRole.UNLINKED,
    )
    return World(case_a, case_b, case_new, unlinked)
