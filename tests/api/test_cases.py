"""/api/cases/ and /api/posts/: what a case shows staff, the shared CaseFilter, ordering, query counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from cases.models import Case, Status
from programs.models import Agency, Program, Region, Sector
from sources.models import Platform

if TYPE_CHECKING:
    from pytest_django import DjangoAssertNumQueries

    from tests.api.conftest import World


@pytest.fixture
def as_admin(admin_user: AbstractBaseUser) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin_user)
    return client


def test_case_detail_shows_staff_the_unmasked_text_posts_and_replies(world: World, as_admin: Client) -> None:
    body = as_admin.get(f"/api/cases/{world.case_a.tracking_code}/").json()
    post = world.post(world.case_a)
    assert body["summary"] == "Jalan Kaligawe berlubang, hubungi 081234567890"  # staff need it to act
    assert body["status"] == "answered"
    assert body["agency"] == {
        "code": "dpu-bmck",
        "short_name": "DPU BINMAR CIPKA",
        "name": "Dinas Pekerjaan Umum Bina Marga dan Cipta Karya",
    }
    assert (body["sector"], body["region"], body["merged_into"]) == (None, None, None)
    assert body["opened_at"] == "2026-11-20T10:00:00+07:00"
    assert body["posts"] == [
        {
            "id": post.pk,
            "platform": "x",
            "role": "report",
            "author_handle": "warga1",
            "posted_at": "2026-11-20T10:00:00+07:00",
            "url": post.url,
        }
    ]
    (reply,) = body["replies"]
    assert {k: reply[k] for k in ("agency", "author", "text", "status", "url", "attempts", "last_error")} == {
        "agency": "dpu-bmck",
        "author": "operator_a",
        "text": "Sudah kami jadwalkan perbaikan.",
        "status": "sent",
        "url": "https://x.com/dpubmck/status/9",
        "attempts": 0,
        "last_error": "",
    }


def test_post_detail_has_the_text_and_reading(world: World, as_admin: Client) -> None:
    post = world.post(world.case_b)
    body = as_admin.get(f"/api/posts/{post.pk}/").json()
    assert (body["text"], body["case"], body["role"], body["author_handle"]) == (
        "Sampah menumpuk di Tlogosari",
        world.case_b.tracking_code,
        "report",
        "warga2",
    )
    assert "raw" not in body  # the evidence stays in the admin
    listed = as_admin.get("/api/posts/", {"case": world.case_b.tracking_code}).json()
    assert [p["id"] for p in listed["results"]] == [post.pk]
    unlinked = as_admin.get("/api/posts/", {"role": "unlinked"}).json()
    assert [p["id"] for p in unlinked["results"]] == [world.unlinked.pk]


@pytest.fixture
def spread(program: Program, make_case: Callable[..., Case], agency_a: Agency, agency_b: Agency) -> dict[str, Case]:
    """Cases that differ in one attribute each, to see every filter pick exactly its own."""
    region = {
        r.code: r
        for r in Region.objects.filter(program=program, code__in=["33.74", "33.74.01", "33.74.01.1001", "33.01"])
    }
    infra = Sector.objects.get(program=program, code="infrastruktur")
    edu = Sector.objects.get(program=program, code="pendidikan")
    made = {
        "semarang_kota": make_case(
            region=region["33.74"],
            sector=infra,
            agency=agency_b,
            status=Status.DELEGATED,
            opened_at=datetime(2026, 11, 19, 17, 30, tzinfo=UTC),
        ),  # 20 Nov 00:30 WIB
        "semarang_kec": make_case(
            region=region["33.74.01"],
            sector=edu,
            agency=agency_a,
            status=Status.ANSWERED,
            opened_at=datetime(2026, 11, 19, 16, 30, tzinfo=UTC),
        ),  # 19 Nov 23:30 WIB
        "semarang_desa": make_case(
            region=region["33.74.01.1001"],
            sector=infra,
            status=Status.NEW,
            opened_at=datetime(2026, 11, 21, 3, tzinfo=UTC),
        ),
        "cilacap": make_case(
            region=region["33.01"],
            sector=edu,
            agency=agency_a,
            status=Status.RESOLVED,
            opened_at=datetime(2026, 11, 22, 3, tzinfo=UTC),
        ),
        "telegram": make_case(status=Status.REJECTED, opened_at=datetime(2026, 11, 23, 3, tzinfo=UTC)),
    }
    Case.objects.filter(pk=made["telegram"].pk).update(platform=Platform.TELEGRAM)
    return made


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["telegram", "cilacap", "semarang_desa", "semarang_kota", "semarang_kec"]),
        ({"status": "new"}, ["semarang_desa"]),
        ({"status": ["answered", "resolved"]}, ["cilacap", "semarang_kec"]),
        ({"sector": "pendidikan"}, ["cilacap", "semarang_kec"]),
        ({"region": "33.74"}, ["semarang_desa", "semarang_kota", "semarang_kec"]),
        ({"region": "33.74.01"}, ["semarang_desa", "semarang_kec"]),
        ({"region": "33.7"}, []),  # a prefix of a code is not a region
        ({"agency": "dpu-bmck"}, ["cilacap", "semarang_kec"]),
        ({"agency": "kota-semarang", "sector": "infrastruktur"}, ["semarang_kota"]),
        ({"platform": "telegram"}, ["telegram"]),
        ({"platform": "x", "status": "rejected"}, []),
        ({"date_from": "2026-11-20"}, ["telegram", "cilacap", "semarang_desa", "semarang_kota"]),  # WIB days
        ({"date_to": "2026-11-19"}, ["semarang_kec"]),
        ({"date_from": "2026-11-20", "date_to": "2026-11-21"}, ["semarang_desa", "semarang_kota"]),
        ({"ordering": "opened_at"}, ["semarang_kec", "semarang_kota", "semarang_desa", "cilacap", "telegram"]),
        ({"ordering": "-status", "region": "33.74"}, ["semarang_desa", "semarang_kota", "semarang_kec"]),
    ],
)
def test_case_filters(params: dict[str, Any], expected: list[str], spread: dict[str, Case], as_admin: Client) -> None:
    names = {case.tracking_code: name for name, case in spread.items()}
    body = as_admin.get("/api/cases/", params).json()
    assert [names[item["tracking_code"]] for item in body["results"]] == expected
    assert body["count"] == len(expected)


def test_filters_never_widen_an_agencys_scope(spread: dict[str, Case], operator_b: AbstractBaseUser) -> None:
    client = Client()
    client.force_login(operator_b)
    body = client.get("/api/cases/", {"agency": "dpu-bmck"}).json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}
    body = client.get("/api/cases/", {"region": "33.74"}).json()
    assert [item["tracking_code"] for item in body["results"]] == [spread["semarang_kota"].tracking_code]


def test_bad_filter_values_are_a_400(spread: dict[str, Case], as_admin: Client) -> None:
    response = as_admin.get("/api/cases/", {"status": "lost", "date_from": "yesterday"})
    assert response.status_code == 400
    assert set(response.json()) == {"status", "date_from"}


def test_pages(spread: dict[str, Case], as_admin: Client) -> None:
    body = as_admin.get("/api/cases/", {"limit": 2, "offset": 2, "ordering": "opened_at"}).json()
    assert body["count"] == 5
    assert [item["tracking_code"] for item in body["results"]] == [
        spread["semarang_desa"].tracking_code,
        spread["cilacap"].tracking_code,
    ]
    assert body["next"].endswith("limit=2&offset=4&ordering=opened_at")


def test_list_queries_do_not_grow_with_the_cases(
    make_case: Callable[..., Case],
    agency_a: Agency,
    as_admin: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for _ in range(30):
        make_case(agency=agency_a, status=Status.DELEGATED)
    # session + user + program + membership + count + cases + posts + replies
    with django_assert_max_num_queries(9):
        body = as_admin.get("/api/cases/").json()
    assert body["count"] == 30
