"""Ingest: each post stored exactly once, linked to the right case, bad input stored or quarantined."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cases.models import AuditEvent, Case, Reply, Status
from programs.models import Program
from sources import ingest as ingest_module
from sources.connectors.base import FetchedPost, FetchResult, QuarantinedItem
from sources.ingest import ingest
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
