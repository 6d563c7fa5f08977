"""Ingest: each post stored exactly once, linked to the right case, bad input stored or quarantined."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import AuditEvent, Case, Reply, Status
from kemala.batchwrite import EncodedJson
from programs.models import Program
from sources import ingest as ingest_module
from sources.connectors.base import FetchedPost, FetchResult, QuarantinedItem
from sources.ingest import IngestStats, clean_json_text, ingest
from sources.models import Platform, Post, PostRole, PublishingAccount, Source
from sources.models import QuarantinedItem as QuarantineRow

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def fetched(external_id: str, text: str = "Jalan rusak parah di Kota Semarang #KemalaJateng", **kw: Any) -> FetchedPost:
    handle = kw.pop("author_handle", "warga")
    fields: dict[str, Any] = {
        "external_id": external_id,
        "text": text,
        "author_id": "42",
        "author_handle": handle,
        "author_name": "Warga",
        "created_at": T0 + timedelta(seconds=int(external_id[-3:])),
        "url": f"https://x.com/{handle}/status/{external_id}",
        "raw": {"id": external_id, "text": text},
        "conversation_id": external_id,
    }
    fields.update(kw)
    return FetchedPost(**fields)


@pytest.fixture
def source(program: Program) -> Source:
    return Source.objects.create(program=program, platform=Platform.X, name="x", query="#KemalaJateng")


def test_new_post_is_stored_read_and_opens_a_case(source: Source) -> None:
    stats = ingest(source, FetchResult(posts=[fetched("1800000000000000101")], cursor="1800000000000000101"))
    assert (stats.stored, stats.cases_opened, stats.duplicates) == (1, 1, 0)
    post = Post.objects.get(external_id="1800000000000000101")
    assert post.role == PostRole.REPORT
    assert post.raw == {"id": "1800000000000000101", "text": post.text}
    assert post.sector_code == "infrastruktur"
    assert post.region_code.startswith("33.74")
    assert post.model_version
    case = post.case
    assert case is not None and case.status == Status.NEW
    assert case.suggested_sector is not None and case.suggested_sector.code == "infrastruktur"
    assert case.opened_at == post.posted_at
    assert AuditEvent.objects.get(case=case).action == "open"
    source.refresh_from_db()
    assert source.cursor == "1800000000000000101"
    assert source.posts_captured == 1
    assert source.last_success_at is not None


def test_same_post_twice_and_overlapping_polls_store_it_once(source: Source) -> None:
    first = FetchResult(
        posts=[fetched("1800000000000000101"), fetched("1800000000000000102")], cursor="1800000000000000102"
    )
    overlapping = FetchResult(
        posts=[
            fetched("1800000000000000102"),
            fetched("1800000000000000103"),
            fetched("1800000000000000103"),
        ],
        cursor="1800000000000000103",
    )
    ingest(source, first)
    stats = ingest(source, overlapping)
    assert (stats.stored, stats.duplicates) == (1, 2)
    assert Post.objects.count() == 3
    assert Case.objects.count() == 3


def test_retweet_counts_as_support_not_a_case(source: Source) -> None:
    ingest(source, FetchResult(posts=[fetched("1800000000000000101")], cursor=None))
    retweet = fetched(
        "1800000000000000102",
        "RT @warga: Jalan rusak parah",
        author_handle="tetangga",
        repost_of_id="1800000000000000101",
    )
    stats = ingest(source, FetchResult(posts=[retweet], cursor=None))
    assert stats.cases_opened == 0
    case = Case.objects.get()
    assert case.support_count == 1
    assert Post.objects.get(external_id="1800000000000000102").role == PostRole.SUPPORT


def test_reply_in_thread_of_open_case_attaches_to_it(source: Source) -> None:
    ingest(source, FetchResult(posts=[fetched("1800000000000000101")], cursor=None))
    follow_up = fetched(
        "1800000000000000105",
        "gimana min udah seminggu blm ada kabar #KemalaJateng",
        in_reply_to_id="1800000000000000101",
        conversation_id="1800000000000000101",
    )
    stats = ingest(source, FetchResult(posts=[follow_up], cursor=None))
    assert stats.cases_opened == 0
    case = Case.objects.get()
    assert list(case.posts.order_by("external_id").values_list("role", flat=True)) == ["report", "follow_up"]
    assert AuditEvent.objects.filter(case=case, action="follow_up").count() == 1


def test_reply_in_thread_of_rejected_case_opens_a_new_case(source: Source) -> None:
    ingest(source, FetchResult(posts=[fetched("1800000000000000101")], cursor=None))
    Case.objects.update(status=Status.REJECTED)
    follow_up = fetched(
        "1800000000000000105",
        "jalan di Tembalang juga rusak #KemalaJateng",
        in_reply_to_id="1800000000000000101",
        conversation_id="1800000000000000101",
    )
    assert ingest(source, FetchResult(posts=[follow_up], cursor=None)).cases_opened == 1


def test_citizen_answering_the_agency_reply_attaches_to_the_case(
    source: Source, make_case: Any, agency_a: Any, operator_a: Any
) -> None:
    case = make_case(status=Status.ACKNOWLEDGED, agency=agency_a)
    from cases.services import mark_reply_sent, queue_reply

    reply = queue_reply(case, operator_a, text="Sudah kami cek")
    mark_reply_sent(reply, external_id="1800000000000000500", url="https://x.com/dpu/status/1800000000000000500")
    answer = fetched(
        "1800000000000000601",
        "blm beres tuh min",
        in_reply_to_id="1800000000000000500",
        conversation_id="1800000000000000999",
    )
    ingest(source, FetchResult(posts=[answer], cursor=None))
    post = Post.objects.get(external_id="1800000000000000601")
    assert (post.role, post.case) == (PostRole.FOLLOW_UP, case)
    assert Reply.objects.get().external_id == "1800000000000000500"


def test_agency_accounts_own_posts_never_open_cases(source: Source, agency_a: Any) -> None:
    PublishingAccount.objects.create(agency=agency_a, platform=Platform.X, handle="DPUBinamarga")
    ingest(source, FetchResult(posts=[fetched("1800000000000000101")], cursor=None))
    own = fetched(
        "1800000000000000102",
        "Terima kasih, segera kami tindak lanjuti #KemalaJateng",
        author_handle="dpubinamarga",
        in_reply_to_id="1800000000000000101",
        conversation_id="1800000000000000101",
    )
    assert ingest(source, FetchResult(posts=[own], cursor=None)).cases_opened == 0
    assert Post.objects.get(external_id="1800000000000000102").role == PostRole.AGENCY_REPLY


HOSTILE_TEXTS = [
    "jalan rusak " * 2500,  # 30,000 characters
    "lampu jalan mati\x00\x00 di Semarang #KemalaJateng",
    "kabel putus \ud800 lone surrogate #KemalaJateng",
    "שלום مرحبا jalan rusak ‏RTL‎ #KemalaJateng",
    "banjir 🌊🌊🙏🏽 tolong #KemalaJateng",
    "<script>alert(1)</script><img src=x onerror=alert(1)> #KemalaJateng",
]


def test_hostile_text_is_stored_cleanly_and_never_loses_neighbours(source: Source) -> None:
    posts = [fetched(f"1800000000000000{100 + i}", text) for i, text in enumerate(HOSTILE_TEXTS)]
    stats = ingest(source, FetchResult(posts=posts, cursor="1800000000000000105"))
    assert stats.stored == len(HOSTILE_TEXTS)
    stored = {p.external_id: p for p in Post.objects.all()}
    assert len(stored["1800000000000000100"].text) == 30_000
    assert "\x00" not in stored["1800000000000000101"].text
    assert "\ufffd" in stored["1800000000000000102"].text
    assert stored["1800000000000000105"].text.startswith("<script>")  # stored as written; escaped when shown
    assert Case.objects.count() == len(HOSTILE_TEXTS)


def test_quarantined_items_are_kept_with_their_reason(source: Source) -> None:
    result = FetchResult(
        posts=[fetched("1800000000000000101")],
        cursor="1800000000000000102",
        quarantined=[
            QuarantinedItem(
                raw={"id": "1800000000000000102", "txt": 1},
                reason="missing text",
                external_id="1800000000000000102",
            )
        ],
    )
    stats = ingest(source, result)
    assert (stats.stored, stats.quarantined) == (1, 1)
    row = QuarantineRow.objects.get()
    assert (row.external_id, row.reason) == ("1800000000000000102", "missing text")
    assert '"txt": 1' in row.raw


def test_crash_in_the_middle_of_a_batch_stores_nothing_and_keeps_the_cursor(
    source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    source.cursor = "1800000000000000100"
    source.save()
    batch = FetchResult(posts=[fetched(f"1800000000000000{n}") for n in range(101, 106)], cursor="1800000000000000105")
    real_link = ingest_module._link
    calls = {"n": 0}

    def crash_on_third(*args: Any, **kwargs: Any) -> bool:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker killed")
        return real_link(*args, **kwargs)

    monkeypatch.setattr(ingest_module, "_link", crash_on_third)
    with pytest.raises(RuntimeError):
        ingest(source, batch)
    source.refresh_from_db()
    assert source.cursor == "1800000000000000100"
    assert Post.objects.count() == 0 and Case.objects.count() == 0
    monkeypatch.setattr(ingest_module, "_link", real_link)
    stats = ingest(source, batch)  # the restarted worker fetches the same batch again
    assert stats.stored == 5
    assert Post.objects.count() == 5
    source.refresh_from_db()
    assert source.cursor == "1800000000000000105"


def test_retweet_and_follow_up_in_the_same_page_as_the_original(source: Source) -> None:
    page = FetchResult(
        posts=[
            fetched("1800000000000000101"),
            fetched(
                "1800000000000000102", "RT @warga: Jalan rusak", author_handle="t1", repost_of_id="1800000000000000101"
            ),
            fetched(
                "1800000000000000103", "RT @warga: Jalan rusak", author_handle="t2", repost_of_id="1800000000000000101"
            ),
            fetched(
                "1800000000000000104",
                "masih rusak min",
                in_reply_to_id="1800000000000000101",
                conversation_id="1800000000000000101",
            ),
        ],
        cursor="1800000000000000104",
    )
    stats = ingest(source, page)
    assert (stats.stored, stats.cases_opened) == (4, 1)
    case = Case.objects.get()
    assert case.support_count == 2
    assert sorted(case.posts.values_list("role", flat=True)) == ["follow_up", "report", "support", "support"]
    assert list(AuditEvent.objects.filter(case=case).order_by("id").values_list("action", flat=True)) == [
        "open",
        "follow_up",
    ]


# ----------------------------------------------------------------------------------- the write path below the ORM


def _orm_insert_rows(model: type[Any], rows: list[dict[str, Any]], *, key: str | None = None) -> dict[Any, int]:
    """The reference writer: the same rows through Model(**row) and bulk_create."""
    objects = [
        model(**{name: json.loads(v.text) if isinstance(v, EncodedJson) else v for name, v in row.items()})
        for row in rows
    ]
    model.objects.bulk_create(objects)
    return {getattr(o, key): o.pk for o in objects} if key else {}


def _orm_add_to_column(model: type[Any], attname: str, increments: dict[int, int]) -> None:
    for pk, count in increments.items():
        model.objects.filter(pk=pk).update(**{attname: F(attname) + count})


def _snapshot(before: set[int]) -> dict[str, Any]:
    """Every post, case and audit event, with cases named by their first post (ids differ between runs)."""
    label = {case_id: f"stored {case_id}" for case_id in before}
    for case_id, external_id in Post.objects.filter(role=PostRole.REPORT).values_list("case_id", "external_id"):
        label.setdefault(case_id, f"opened by {external_id}")
    posts = {
        p.pop("external_id"): {**p, "case_id": label.get(p["case_id"])}
        for p in Post.objects.values(*[f.attname for f in Post._meta.concrete_fields if f.attname != "id"])
    }
    cases = {
        label[c.pop("id")]: {**c, "merged_into_id": label.get(c["merged_into_id"])}
        for c in Case.objects.values(*[f.attname for f in Case._meta.concrete_fields])
    }
    events = [
        {**e, "case_id": label.get(e["case_id"])}
        for e in AuditEvent.objects.order_by("id").values(
            *[f.attname for f in AuditEvent._meta.concrete_fields if f.attname != "id"]
        )
    ]
    return {"posts": posts, "cases": cases, "events": events}


def test_the_write_path_below_the_orm_stores_what_the_orm_would(
    source: Source, agency_a: Any, operator_a: Any, make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page with every kind of post, ingested once through the ORM and once through kemala.batchwrite."""
    from cases import services
    from cases.services import mark_reply_sent, queue_reply

    PublishingAccount.objects.create(agency=agency_a, platform=Platform.X, handle="DPUBinamarga")
    ingest(source, FetchResult(posts=[fetched("1700000000000000001")], cursor=None))  # a stored report
    stored_case = Case.objects.get()
    answered = make_case(status=Status.ACKNOWLEDGED, agency=agency_a)
    reply = queue_reply(answered, operator_a, text="Sudah kami cek")
    mark_reply_sent(reply, external_id="1700000000000000500", url="https://x.com/dpu/status/1800000000000000500")
    merged = make_case()
    Case.objects.filter(pk=merged.pk).update(status=Status.MERGED, merged_into=stored_case)
    merged_post = merged.posts.get().external_id
    page = [
        fetched(
            "1700000000000000101",
            "lampu jalan mati\x00 di Tembalang \ud800 שלום 🌊 <b>x</b> #KemalaJateng",
            raw={"id": "1700000000000000101", "text": "mati\x00 \ud800 🌊", "geo": {"place": "Tembalang"}},
            author_location="Semarang",
            lang="in",
        ),
        fetched("1700000000000000102", "RT @warga: lampu", author_handle="t1", repost_of_id="1700000000000000101"),
        fetched("1700000000000000103", "RT @warga: jalan", author_handle="t2", repost_of_id="1700000000000000001"),
        fetched("1700000000000000104", "RT @x: entah", author_handle="t3", repost_of_id="1699999999999999999"),
        fetched(
            "1700000000000000105",
            "masih mati min",
            in_reply_to_id="1700000000000000101",
            conversation_id="1700000000000000101",
        ),
        fetched(
            "1700000000000000106",
            "gimana min udah seminggu",
            in_reply_to_id="1700000000000000001",
            conversation_id="1700000000000000001",
        ),
        fetched(
            "1700000000000000107",
            "blm beres tuh min",
            in_reply_to_id="1700000000000000500",
            conversation_id="1700000000000000999",
        ),
        fetched(
            "1700000000000000108",
            "Terima kasih, segera kami tindak lanjuti",
            author_handle="dpubinamarga",
            in_reply_to_id="1700000000000000101",
            conversation_id="1700000000000000101",
        ),
        fetched("1700000000000000500", "Sudah kami cek", author_handle="dpu_lain"),  # Kemala's published reply
        fetched("1700000000000000109", "jalan ini juga", in_reply_to_id=merged_post, conversation_id=merged_post),
        fetched("1700000000000000110", "setuju, parah #KemalaJateng", quote_of_id="1700000000000000001"),
        fetched("1700000000000000111", "PROMO pinjol cepat cair klik bit.ly/x bit.ly/y bit.ly/z #KemalaJateng"),
        fetched("1700000000000000112", "banjir di Pati, tolong", place_name="Pati, Jawa Tengah"),
        fetched("1700000000000000101"),  # twice in the page
        fetched("1700000000000000001"),  # stored already
    ]
    before = set(Case.objects.values_list("pk", flat=True))

    def run() -> tuple[IngestStats, dict[str, Any], int]:
        codes = iter(f"JATE-2611-{n:06d}" for n in range(100))
        monkeypatch.setattr(services, "new_tracking_code", lambda program: next(codes))
        with transaction.atomic():
            with CaptureQueriesContext(connection) as statements:
                stats = ingest(source, FetchResult(posts=page, cursor="1700000000000000112"))
            snapshot = _snapshot(before)
            transaction.set_rollback(True)
        return stats, snapshot, len(statements)

    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        fast_stats, fast, fast_statements = run()
        monkeypatch.setattr(ingest_module, "insert_rows", _orm_insert_rows)
        monkeypatch.setattr(services, "insert_rows", _orm_insert_rows)
        monkeypatch.setattr(ingest_module, "add_to_column", _orm_add_to_column)
        orm_stats, orm, _ = run()

    assert fast_stats == orm_stats == IngestStats(stored=13, duplicates=2, quarantined=0, cases_opened=4)
    # A fixed number of statements for the page, none per post, and no lazy load while linking (a merged case
    # included): its savepoint, 7 lookups, the tracking-code check, 3 executemany + the id read-back, 2 UPDATEs.
    assert fast_statements == 16
    assert fast == orm
    # The page did exercise every path:
    roles = {external_id: (p["role"], p["case_id"]) for external_id, p in fast["posts"].items()}
    opened = "opened by 1700000000000000101"
    assert roles["1700000000000000102"] == (PostRole.SUPPORT, opened)
    assert roles["1700000000000000103"] == (PostRole.SUPPORT, f"stored {stored_case.pk}")
    assert roles["1700000000000000104"] == (PostRole.SUPPORT, None)
    assert roles["1700000000000000105"] == (PostRole.FOLLOW_UP, opened)
    assert roles["1700000000000000106"] == (PostRole.FOLLOW_UP, f"stored {stored_case.pk}")
    assert roles["1700000000000000107"] == (PostRole.FOLLOW_UP, f"stored {answered.pk}")
    assert roles["1700000000000000108"] == (PostRole.AGENCY_REPLY, opened)
    assert roles["1700000000000000500"] == (PostRole.AGENCY_REPLY, None)
    assert roles["1700000000000000109"] == (PostRole.FOLLOW_UP, f"stored {stored_case.pk}")  # the merge target
    assert fast["cases"][opened]["support_count"] == 1
    assert fast["cases"][f"stored {stored_case.pk}"]["support_count"] == 1
    assert fast["posts"]["1700000000000000101"]["raw"] == {
        "id": "1700000000000000101",
        "text": "mati \ufffd 🌊",
        "geo": {"place": "Tembalang"},
    }
    assert [e["action"] for e in fast["events"]].count("follow_up") == 4


def test_a_tracking_code_another_case_has_is_drawn_again(
    source: Source, make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cases import services

    existing = make_case()
    codes = iter([existing.tracking_code, "JATE-2611-BBBBBB", "JATE-2611-BBBBBB", "JATE-2611-CCCCCC"])
    monkeypatch.setattr(services, "new_tracking_code", lambda program: next(codes))
    page = [fetched("1700000000000000101"), fetched("1700000000000000102", "Lampu jalan mati di Pati #KemalaJateng")]
    assert ingest(source, FetchResult(posts=page, cursor=None)).cases_opened == 2
    codes_by_post = dict(Post.objects.filter(role=PostRole.REPORT).values_list("external_id", "case__tracking_code"))
    assert codes_by_post["1700000000000000101"] == "JATE-2611-BBBBBB"
    assert codes_by_post["1700000000000000102"] == "JATE-2611-CCCCCC"


def test_tracking_codes_use_the_whole_alphabet(program: Program) -> None:
    from cases.services import TRACKING_ALPHABET, new_tracking_code

    codes = [new_tracking_code(program) for _ in range(500)]
    prefix = f"JATE-{timezone.now():%y%m}-"
    assert all(code.startswith(prefix) and len(code) == len(prefix) + 6 for code in codes)
    assert {letter for code in codes for letter in code[len(prefix) :]} == set(TRACKING_ALPHABET)


def test_clean_json_text_is_what_django_stores_and_proves_clean_payloads_in_one_pass() -> None:
    clean = {"text": "jalan 🌊 שלום \\ud800 \\u0000 (typed, not characters)", "n": [1, 2.5, None, True]}
    assert clean_json_text(clean) == json.dumps(clean)
    assert json.loads(clean_json_text({"a\x00": "b\x00c"})) == {"a": "bc"}
    assert json.loads(clean_json_text({"t": "x\ud800y", "u": ["\udc00"]})) == {"t": "x\ufffdy", "u": ["\ufffd"]}
    # An escaped backslash before a lone surrogate does not make it look like half of a pair.
    assert json.loads(clean_json_text({"t": "\\\ud800\\udc00"})) == {"t": "\\\ufffd\\udc00"}
    assert json.loads(clean_json_text({"t": "\ud83d\ud83d\ude00"})) == {"t": "\ufffd😀"}
    assert json.loads(clean_json_text({"t": "\ud83d\\\ude00"})) == {"t": "\ufffd\\\ufffd"}


def test_clean_json_text_never_lets_an_unstorable_string_through() -> None:
    rng = random.Random(2016)
    pieces = ["\\", "u", "d", "8", "c", "0", "a", "\x00", "\ud800", "\udc00", "\ud83d", "\ude00", "😀", "é", '"']
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        value = {text: [text, {"k": text}]}
        assert clean_json_text(value) == json.dumps(ingest_module._clean_json_walk(value))
