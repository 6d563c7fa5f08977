"""kemala.batchwrite: a row written below the ORM is the row the ORM writes, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, models, transaction

from cases.models import AuditEvent, Case, Status, Urgency
from kemala.batchwrite import EncodedJson, add_to_column, ids_by_key, insert_rows
from programs.models import Agency, Program, Region, Sector
from sources.models import Platform, Post, PostRole, Source

# A citizen's time with microseconds in Jakarta: stored in UTC, as Django stores it.
POSTED = datetime(2026, 11, 20, 8, 30, 15, 123456, tzinfo=ZoneInfo("Asia/Jakarta"))
NOW = datetime(2026, 11, 21, 2, 0, 0, 500, tzinfo=UTC)
RAW = {
    "id": "1800000000000000101",
    "text": "Jalan rusak 🌊 di Tembalang — שלום \\ud800 (literally) <b>#KemalaJateng</b>",
    "author": {"username": "warga", "location": "Semarang, Jawa Tengah", "verified": False},
    "public_metrics": {"retweet_count": 3, "score": 0.25},
    "entities": {"hashtags": [{"start": 40, "tag": "KemalaJateng"}], "urls": []},
    "geo": None,
}


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):  # auto_now(_add) columns are then equal in both paths
        yield


@pytest.fixture
def source(program: Program) -> Source:
    return Source.objects.create(program=program, platform=Platform.X, name="x", query="#KemalaJateng")


def stored(model: type[models.Model], pk: int) -> dict[str, Any]:
    """The row as the database holds it: raw column values by column name (no ORM conversion)."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)  # from the model, not from input
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def assert_same_row(model: type[models.Model], fast_pk: int, orm_pk: int, *, unique: tuple[str, ...] = ()) -> None:
    fast, orm = stored(model, fast_pk), stored(model, orm_pk)
    for column in ("id", *unique):  # the columns that must differ between two rows
        del fast[column], orm[column]
    assert fast == orm


def post_row(source: Source, external_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "program_id": source.program_id,
        "source_id": source.pk,
        "platform": Platform.X,
        "external_id": external_id,
        "url": f"https://x.com/warga/status/{external_id}",
        "author_id": "42",
        "author_handle": "warga",
        "author_name": "Wärga 🙏",
        "author_location": "Semarang",
        "text": RAW["text"],
        "lang": "in",
        "place_name": "",
        "posted_at": POSTED,
        "conversation_id": external_id,
        "in_reply_to_id": "",
        "repost_of_id": "",
        "raw": RAW,
        "case_id": None,
        "role": PostRole.REPORT,
        "kind": "complaint",
        "sector_code": "infrastruktur",
        "sector_confidence": 0.6312,
        "agency_code": "dpu-bmck",
        "agency_confidence": 0.5,
        "region_code": "33.74",
        "region_evidence": "tembalang",
        "urgency": "high",
        "pii": [{"kind": "phone", "start": 3, "end": 15}],
        "model_version": "baseline-rules-1",
        **fields,
    }


def test_a_post_is_stored_as_the_orm_stores_it(source: Source) -> None:
    encoded = post_row(source, "1800000000000000101", raw=EncodedJson(json.dumps(RAW)))
    plain = post_row(source, "1800000000000000102")  # the JSON encoded by batchwrite itself
    insert_rows(Post, [encoded, plain])
    Post.objects.bulk_create([Post(**post_row(source, "1800000000000000201"))])
    Post(**post_row(source, "1800000000000000202")).save()
    pk = dict(Post.objects.values_list("external_id", "pk"))
    for fast in ("1800000000000000101", "1800000000000000102"):
        for orm in ("1800000000000000201", "1800000000000000202"):
            assert_same_row(Post, pk[fast], pk[orm], unique=("external_id", "url", "conversation_id"))
    post = Post.objects.get(pk=pk["1800000000000000101"])
    assert post.raw == RAW
    assert post.posted_at == POSTED
    assert post.captured_at == NOW


def test_a_case_with_defaults_and_enums_is_stored_as_the_orm_stores_it(program: Program) -> None:
    sector = Sector.objects.filter(program=program).first()
    region = Region.objects.filter(program=program).first()
    agency = Agency.objects.filter(program=program).first()
    assert sector and region and agency

    def values(code: str) -> dict[str, Any]:
        # Not given: agency, reject_reason, merged_into, the transition times (their defaults).
        return {
            "program_id": program.pk,
            "tracking_code": code,
            "status": Status.NEW,
            "kind": "complaint",
            "urgency": Urgency.HIGH,
            "platform": Platform.X,
            "summary": "Jalan rusak 🌊",
            "suggested_sector_id": sector.pk,
            "suggested_agency_id": agency.pk,
            "suggested_region_id": region.pk,
            "sector_id": sector.pk,
            "region_id": region.pk,
            "sector_confidence": 0.6312,
            "agency_confidence": 0.5,
            "model_version": "baseline-rules-1",
            "support_count": 2,
            "opened_at": POSTED,
        }

    ids = insert_rows(Case, [values("JATE-2611-FAST01")], key="tracking_code")
    orm = Case.objects.create(**values("JATE-2611-ORM001"))
    assert_same_row(Case, ids["JATE-2611-FAST01"], orm.pk, unique=("tracking_code",))
    case = Case.objects.get(pk=ids["JATE-2611-FAST01"])
    assert (case.urgency, case.agency, case.reject_reason, case.created_at) == (Urgency.HIGH, None, "", NOW)


def test_audit_events_with_and_without_data_are_stored_as_the_orm_stores_them(program: Program, make_case: Any) -> None:
    case = make_case()
    given = {"program_id": program.pk, "case_id": case.pk, "actor_label": "system", "action": "open"}
    data = {"post": "1800000000000000101", "platform": "x", "author": "wärga"}
    insert_rows(AuditEvent, [given, {**given, "data": data}])
    AuditEvent.objects.bulk_create([AuditEvent(**given), AuditEvent(**given, data=data)])
    fast_empty, fast_data, orm_empty, orm_data = AuditEvent.objects.order_by("pk").values_list("pk", flat=True)
    assert_same_row(AuditEvent, fast_empty, orm_empty)
    assert_same_row(AuditEvent, fast_data, orm_data)
    assert AuditEvent.objects.get(pk=fast_empty).data == {}


def test_ids_are_read_back_by_the_unique_key_in_chunks(program: Program) -> None:
    rows = [
        {"program_id": program.pk, "tracking_code": f"T-{n:04d}", "platform": Platform.X, "opened_at": POSTED}
        for n in range(520)  # more than one read-back query's worth
    ]
    ids = insert_rows(Case, rows, key="tracking_code")
    assert ids == dict(Case.objects.values_list("tracking_code", "pk"))
    assert len(set(ids.values())) == 520


def test_ids_by_key_finds_only_existing_rows(make_case: Any) -> None:
    case = make_case()
    assert ids_by_key(Case, "tracking_code", [case.tracking_code, "NO-SUCH-CODE"]) == {case.tracking_code: case.pk}
    assert ids_by_key(Case, "tracking_code", []) == {}


def test_a_key_that_is_not_unique_is_refused(program: Program) -> None:
    with pytest.raises(ValueError, match="not unique"):
        insert_rows(Case, [{"program_id": program.pk, "tracking_code": "T-1", "opened_at": POSTED}], key="summary")


def test_a_misspelt_column_is_refused_not_defaulted(program: Program) -> None:
    with pytest.raises(ValueError, match="no column suport_count"):
        insert_rows(Case, [{"program_id": program.pk, "tracking_code": "T-1", "suport_count": 3}])
    assert not Case.objects.exists()


def test_rows_are_written_in_the_callers_transaction(program: Program) -> None:
    row = {"program_id": program.pk, "tracking_code": "T-1", "platform": Platform.X, "opened_at": POSTED}
    with pytest.raises(RuntimeError), transaction.atomic():
        insert_rows(Case, [row])
        raise RuntimeError("crash before the commit")
    assert not Case.objects.exists()


def test_add_to_column_adds_to_each_row_and_leaves_updated_at(make_case: Any) -> None:
    first, second, untouched = make_case(), make_case(), make_case()
    before = first.updated_at
    with time_machine.travel(datetime(2026, 11, 22, tzinfo=UTC), tick=False):
        add_to_column(Case, "support_count", {first.pk: 2, second.pk: 1})
        add_to_column(Case, "support_count", {first.pk: 1})
        add_to_column(Case, "support_count", {})
    counts = dict(Case.objects.values_list("pk", "support_count"))
    assert counts == {first.pk: 3, second.pk: 1, untouched.pk: 0}
    first.refresh_from_db()
    assert first.updated_at == before
