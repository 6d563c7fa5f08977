"""SandboxStore: X-shaped posts, threads, edits, deletions and the state file."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sandbox import xtext
from sandbox.store import SandboxStore


def test_ids_are_increasing_19_digit_strings() -> None:
    store = SandboxStore()
    ids = [store.create_post(username="warga", text=f"Lapor {i} #KemalaJateng")["id"] for i in range(50)]
    assert all(isinstance(i, str) and len(i) == 19 and i.isdigit() for i in ids)
    assert [int(i) for i in ids] == sorted({int(i) for i in ids})


def test_ids_stay_increasing_when_the_clock_goes_back() -> None:
    now = [datetime(2026, 5, 1, tzinfo=UTC)]
    store = SandboxStore(clock=lambda: now[0])
    first = store.create_post(username="warga", text="satu")
    now[0] = datetime(2026, 4, 1, tzinfo=UTC)
    second = store.create_post(username="warga", text="dua")
    assert int(second["id"]) > int(first["id"])


def test_concurrent_posts_get_unique_ids() -> None:
    store = SandboxStore()
    ids: list[str] = []
    lock = threading.Lock()

    def post_many() -> None:
        for _ in range(50):
            tweet = store.create_post(username="warga", text="x #KemalaJateng")
            with lock:
                ids.append(tweet["id"])

    threads = [threading.Thread(target=post_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(ids)) == 200


def test_hashtag_offsets_count_code_points_after_emoji() -> None:
    store = SandboxStore()
    text = "🙏🏽🚧 Jalan berlubang #KemalaJateng dan #jalanRusak"
    tweet = store.create_post(username="warga", text=text)
    hashtags = tweet["entities"]["hashtags"]
    assert [h["tag"] for h in hashtags] == ["KemalaJateng", "jalanRusak"]
    for h in hashtags:
        assert text[h["start"] : h["end"]] == "#" + h["tag"]
    # Two emoji, one with a skin-tone modifier: 3 code points (UTF-16 would say 6, bytes 12).
    assert hashtags[0]["start"] == 3 + len(" Jalan berlubang ") == 20


def test_entities_skip_numbers_and_urls_and_find_mentions() -> None:
    store = SandboxStore()
    agency = store.ensure_account("DinasPU", "Dinas PU")
    tweet = store.create_post(username="warga", text="#2026 @DinasPU lihat https://ex.com/#tag #Banjir")
    assert [h["tag"] for h in tweet["entities"]["hashtags"]] == ["Banjir"]
    assert tweet["entities"]["mentions"] == [{"start": 6, "end": 14, "username": "DinasPU", "id": agency["id"]}]
    assert tweet["entities"]["urls"][0]["url"] == "https://ex.com/#tag"


def test_reply_joins_the_thread_and_counts() -> None:
    store = SandboxStore()
    root = store.create_post(username="warga", text="Lampu mati #KemalaJateng")
    reply = store.create_post(username="DinasPU", text="Segera kami cek", in_reply_to_id=root["id"])
    follow = store.create_post(username="warga", text="Terima kasih", in_reply_to_id=reply["id"])
    assert reply["conversation_id"] == follow["conversation_id"] == root["id"]
    assert reply["in_reply_to_user_id"] == root["author_id"]
    assert follow["referenced_tweets"] == [{"type": "replied_to", "id": reply["id"]}]
    assert [t["id"] for t in store.thread(root["id"])] == [root["id"], reply["id"], follow["id"]]
    assert store.get(root["id"])["public_metrics"]["reply_count"] == 1  # type: ignore[index]


def test_retweet_text_and_reference_like_x() -> None:
    store = SandboxStore()
    original = store.create_post(username="warga", text="Banjir di Demak #KemalaJateng " + "air " * 40)
    retweet = store.create_post(username="tetangga", text="", retweet_of_id=original["id"])
    again = store.create_post(username="lain", text="", retweet_of_id=retweet["id"])
    assert retweet["text"].startswith("RT @warga: Banjir di Demak #KemalaJateng")
    assert retweet["text"].endswith("…") and len(retweet["text"]) == 140
    assert retweet["referenced_tweets"] == [{"type": "retweeted", "id": original["id"]}]
    assert again["referenced_tweets"] == [{"type": "retweeted", "id": original["id"]}]  # to the original
    assert retweet["conversation_id"] == retweet["id"]
    assert store.get(original["id"])["public_metrics"]["retweet_count"] == 2  # type: ignore[index]


def test_long_post_is_a_note_tweet() -> None:
    store = SandboxStore()
    text = "Keluhan panjang " * 30 + "#KemalaJateng"
    tweet = store.create_post(username="warga", text=text)
    assert tweet["note_tweet"]["text"] == text
    assert xtext.weighted_length(tweet["text"]) <= 280
    assert tweet["note_tweet"]["entities"]["hashtags"][0]["tag"] == "KemalaJateng"


def test_edit_makes_a_new_version_and_keeps_history() -> None:
    store = SandboxStore()
    root = store.create_post(username="warga", text="Jalan rusak #KemalaJateng")
    edited = store.edit_post(root["id"], "Jalan rusak parah #KemalaJateng")
    assert int(edited["id"]) > int(root["id"])
    assert edited["edit_history_tweet_ids"] == [root["id"], edited["id"]]
    assert edited["conversation_id"] == root["id"]
    assert store.get(root["id"])["edit_history_tweet_ids"] == [root["id"], edited["id"]]  # type: ignore[index]
    assert [t["id"] for t in store.timeline(10)] == [edited["id"]]
    with pytest.raises(ValueError):
        store.edit_post(root["id"], "not the latest")


def test_delete_hides_post_and_its_retweets() -> None:
    store = SandboxStore()
    root = store.create_post(username="warga", text="Sampah #KemalaJateng")
    retweet = store.create_post(username="other", text="", retweet_of_id=root["id"])
    assert store.delete_post(root["id"]) is True
    assert store.get(root["id"]) is None and store.get(retweet["id"]) is None
    assert store.timeline(10) == []
    assert store.delete_post(root["id"]) is False
    with pytest.raises(KeyError):
        store.create_post(username="x", text="reply", in_reply_to_id=root["id"])


def test_accounts_and_tokens() -> None:
    store = SandboxStore()
    account = store.ensure_account("PemkotSemarang", "Pemkot Semarang", "Semarang")
    assert account["token"] == "sandbox-user-PemkotSemarang"
    assert store.account_for_token("sandbox-user-PemkotSemarang")["id"] == account["id"]  # type: ignore[index]
    assert store.ensure_account("pemkotsemarang")["id"] == account["id"]  # handles are case-insensitive
    assert store.account_for_token("nope") is None
    with pytest.raises(ValueError):
        store.ensure_account("has space")


def test_place_is_attached_by_id() -> None:
    store = SandboxStore()
    tweet = store.create_post(
        username="warga",
        text="Banjir #KemalaJateng",
        place={
            "full_name": "Semarang, Indonesia",
            "bbox": [110.3, -7.1, 110.5, -6.9],
            "coordinates": [110.4, -7.0],
        },
    )
    place = store.place(tweet["geo"]["place_id"])
    assert place is not None and place["full_name"] == "Semarang, Indonesia" and place["country_code"] == "ID"
    assert tweet["geo"]["coordinates"] == {"type": "Point", "coordinates": [110.4, -7.0]}


def test_state_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "sandbox.json"
    store = SandboxStore(path)
    store.ensure_account("warga", "Warga Satu", "Kudus")
    root = store.create_post(username="warga", text="Air PDAM mati #KemalaJateng", place={"full_name": "Kudus"})
    reply = store.create_post(username="PDAM", text="Mohon maaf", in_reply_to_id=root["id"])
    edited = store.edit_post(reply["id"], "Mohon maaf, sedang diperbaiki")
    gone = store.create_post(username="warga", text="salah kirim")
    store.delete_post(gone["id"])
    assert json.loads(path.read_text())["version"] == 1
    assert not list(path.parent.glob(".sandbox-*"))  # the temp file was renamed away

    again = SandboxStore(path)
    assert again.snapshot() == store.snapshot()
    assert [t["id"] for t in again.thread(root["id"])] == [root["id"], edited["id"]]
    assert again.get(gone["id"]) is None
    assert again.account("warga")["location"] == "Kudus"  # type: ignore[index]
    newer = again.create_post(username="warga", text="lagi")
    assert int(newer["id"]) > int(edited["id"])


def test_weighted_length_rules() -> None:
    assert xtext.weighted_length("a" * 280) == 280
    assert xtext.weighted_length("jalan https://example.com/very/long/path/that/is/long") == 6 + 23
    assert xtext.weighted_length("漢字") == 4
    assert xtext.weighted_length("👍🏽") == 2  # a skin-tone modifier adds nothing


def test_clock_drives_created_at() -> None:
    now = datetime(2026, 5, 1, 3, 4, 5, 678000, tzinfo=UTC)
    store = SandboxStore(clock=lambda: now)
    tweet = store.create_post(username="warga", text="x")
    assert tweet["created_at"] == "2026-05-01T03:04:05.678Z"
    later = SandboxStore(clock=lambda: now + timedelta(days=1)).create_post(username="w", text="y")
    assert int(later["id"]) > int(tweet["id"])
