"""The citizen simulator and its labelled corpus, against a tiny in-memory stand-in for the fake network."""

from __future__ import annotations

import csv
import itertools
import random
import re
import threading
import time
from collections import Counter
from typing import Any

import pytest

from sandbox import corpus
from sandbox.corpus import CitizenPost
from sandbox.simulator import ACTIONS, CitizenSimulator, make_corpus_sample

DATA = corpus.DATA_DIR
HASHTAG = "#kemalajateng"
USERNAME = re.compile(r"^[A-Za-z0-9_]{1,15}$")


def _codes(name: str, column: str = "kode") -> set[str]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return {row[column] for row in csv.DictReader(handle)}


SECTORS = _codes("jateng_sectors.csv", "code")
REGIONS = _codes("jateng_kabkota.csv") | _codes("jateng_kecamatan.csv") | _codes("jateng_desa_kelurahan.csv")


class FakeStore:
    """Just enough of the sandbox store: accounts, posts with X-like references, a timeline."""

    def __init__(self) -> None:
        self.accounts: dict[str, dict[str, Any]] = {}
        self.tweets: dict[str, dict[str, Any]] = {}
        self.order: list[str] = []
        self.calls: list[dict[str, Any]] = []
        self._next = 1000

    def ensure_account(self, username: str, name: str | None = None, location: str | None = None) -> dict:
        key = username.lower()
        if key not in self.accounts:
            self.accounts[key] = {
                "id": str(len(self.accounts) + 1),
                "username": username,
                "name": name or username,
                "location": location,
            }
        return self.accounts[key]

    def create_post(
        self,
        *,
        username: str,
        text: str,
        in_reply_to_id: str | None = None,
        retweet_of_id: str | None = None,
        quote_of_id: str | None = None,
        place: dict | None = None,
    ) -> dict:
        self.calls.append(
            {
                "username": username,
                "text": text,
                "in_reply_to_id": in_reply_to_id,
                "retweet_of_id": retweet_of_id,
                "quote_of_id": quote_of_id,
                "place": place,
            }
        )
        author = self.ensure_account(username)
        self._next += 1
        tweet_id = str(self._next)
        tweet: dict[str, Any] = {"id": tweet_id, "author_id": author["id"], "conversation_id": tweet_id}
        refs = []
        if retweet_of_id is not None:
            original = self.tweets[retweet_of_id]  # KeyError for a deleted post, as the store does
            text = f"RT @{self.accounts_by_id(original['author_id'])['username']}: {original['text']}"
            refs.append({"type": "retweeted", "id": retweet_of_id})
        if in_reply_to_id is not None:
            parent = self.tweets[in_reply_to_id]
            tweet["conversation_id"] = parent["conversation_id"]
            refs.append({"type": "replied_to", "id": in_reply_to_id})
        if quote_of_id is not None:
            refs.append({"type": "quoted", "id": self.tweets[quote_of_id]["id"]})
        if refs:
            tweet["referenced_tweets"] = refs
        tweet["text"] = text
        self.tweets[tweet_id] = tweet
        self.order.append(tweet_id)
        return dict(tweet)

    def timeline(self, limit: int) -> list[dict]:
        live = (self.tweets[i] for i in reversed(self.order) if i in self.tweets)
        return [dict(tweet) for tweet in itertools.islice(live, limit)]

    def accounts_by_id(self, author_id: str) -> dict[str, Any]:
        return next(a for a in self.accounts.values() if a["id"] == author_id)

    def delete(self, tweet_id: str) -> None:
        del self.tweets[tweet_id]


def _run(sim: CitizenSimulator, steps: int, *, agency: FakeStore | None = None) -> list[str]:
    """Step `steps` times; if `agency` is the store, an agency answers some citizen threads as it goes."""
    lines: list[str] = []
    answered: set[str] = set()
    for i in range(steps):
        lines += sim.step()
        if agency is not None and i % 10 == 9:
            for tweet_id, label in list(sim.labels.items())[-8:]:
                if label.kind == "complaint" and tweet_id not in answered and tweet_id in agency.tweets:
                    answered.add(tweet_id)
                    agency.create_post(username="dpu_jateng", text="Baik, segera kami cek.", in_reply_to_id=tweet_id)
    return lines


# ------------------------------------------------------------------ the simulator


def test_the_same_seed_gives_the_same_run() -> None:
    first, second = FakeStore(), FakeStore()
    a = _run(CitizenSimulator(first, seed=7), 300, agency=first)
    b = _run(CitizenSimulator(second, seed=7), 300, agency=second)
    assert a == b
    assert first.calls == second.calls


def test_another_seed_gives_another_run() -> None:
    assert _run(CitizenSimulator(FakeStore(), seed=1), 50) != _run(CitizenSimulator(FakeStore(), seed=2), 50)


@pytest.mark.parametrize("rate", [0.5, 3.0, 12.0])
def test_the_long_run_rate_matches_rate_per_minute(rate: float) -> None:
    store = FakeStore()
    sim = CitizenSimulator(store, rate_per_minute=rate, seed=11)
    while sim.minute < 2000 / rate * 3:  # about 6,000 posts whatever the rate
        sim.step()
    observed = len(store.calls) / sim.minute
    assert observed == pytest.approx(rate, rel=0.08)
    assert sum(sim.counts.values()) == len(store.calls)


def test_posts_come_in_bursts_with_random_gaps() -> None:
    sim = CitizenSimulator(FakeStore(), rate_per_minute=3.0, seed=3)
    sizes, gaps = [], []
    for _ in range(2000):
        sizes.append(len(sim.step()))
        gaps.append(sim.next_delay)
    assert Counter(sizes)[1] > 1000
    assert max(sizes) >= 4
    mean_gap = sum(gaps) / len(gaps)
    assert min(gaps) < mean_gap / 10 and max(gaps) > mean_gap * 4  # exponential, not a metronome


def test_every_action_kind_occurs_over_a_long_run() -> None:
    store = FakeStore()
    sim = CitizenSimulator(store, seed=5)
    lines = _run(sim, 1500, agency=store)
    kinds = Counter(line.split(" ", 1)[0] for line in lines)
    assert set(kinds) == set(ACTIONS)
    assert kinds == sim.counts
    assert kinds["new"] > kinds["duplicate"] > 0


def test_actions_reference_the_right_posts() -> None:
    store = FakeStore()
    sim = CitizenSimulator(store, seed=9)
    lines = _run(sim, 1500, agency=store)
    by_id = store.tweets
    for line in lines:
        action, tweet_id = line.split(" ", 2)[:2]
        tweet = by_id[tweet_id]
        refs = {ref["type"]: ref["id"] for ref in tweet.get("referenced_tweets", [])}
        if action == "retweet":
            original = by_id[refs["retweeted"]]
            assert original["id"] in sim.labels and original["author_id"] != tweet["author_id"]
        elif action == "follow_up":
            # a reply in the citizen's own thread
            root = by_id[tweet["conversation_id"]]
            assert root["author_id"] == tweet["author_id"] and refs["replied_to"] in by_id
        elif action == "answer":
            parent = by_id[refs["replied_to"]]
            assert store.accounts_by_id(parent["author_id"])["username"] == "dpu_jateng"
            assert by_id[tweet["conversation_id"]]["author_id"] == tweet["author_id"]
        elif action == "quote":
            assert refs["quoted"] in sim.labels and HASHTAG in tweet["text"].lower()
        else:
            assert tweet_id in sim.labels and not refs
        if action == "duplicate":
            original = sim.labels[line.rsplit("(same as ", 1)[1].rstrip(")")]
            copy = sim.labels[tweet_id]
            assert (copy.sector, copy.topic, copy.region, copy.place) == (
                original.sector,
                original.topic,
                original.region,
                original.place,
            )
            assert copy.text != original.text


def test_several_citizens_report_the_same_problem() -> None:
    store = FakeStore()
    sim = CitizenSimulator(store, seed=13)
    lines = _run(sim, 1500)
    reporters: dict[str, set[str]] = {}
    for line in lines:
        if line.startswith("duplicate"):
            original = line.rsplit("(same as ", 1)[1].rstrip(")")
            reporters.setdefault(original, {store.tweets[original]["author_id"]})
            reporters[original].add(store.tweets[line.split()[1]]["author_id"])
    assert max(len(authors) for authors in reporters.values()) >= 3


def test_accounts_look_like_x_accounts() -> None:
    store = FakeStore()
    _run(CitizenSimulator(store, seed=17), 600)
    usernames = [account["username"] for account in store.accounts.values()]
    assert all(USERNAME.match(name) for name in usernames)
    assert len({name.lower() for name in usernames}) == len(usernames)
    posts_per_author = Counter(call["username"] for call in store.calls)
    assert posts_per_author.most_common(1)[0][1] > 3  # regulars post again
    assert any(account["location"] for account in store.accounts.values())


def test_geotags_name_the_kabkota_of_the_problem() -> None:
    store = FakeStore()
    sim = CitizenSimulator(store, seed=19)
    _run(sim, 600)
    tagged = [
        (tweet_id, call["place"]) for tweet_id, call in zip(store.order, store.calls, strict=True) if call["place"]
    ]
    assert tagged
    for tweet_id, place in tagged:
        label = sim.labels[tweet_id]
        assert label.place is not None and place["id"] and place["country_code"] == "ID"
        west, south, east, north = place["bbox"]
        assert 108 < west < east < 112 and -9 < south < north < -5
        assert place["name"] in place["full_name"]


def test_deleted_posts_are_skipped_without_failing() -> None:
    store = FakeStore()
    sim = CitizenSimulator(store, seed=23)
    _run(sim, 200)
    for tweet_id in list(store.tweets):
        store.delete(tweet_id)
    lines = _run(sim, 300, agency=store)
    assert len(lines) >= 300


def test_run_stops_within_a_second_of_the_event() -> None:
    sim = CitizenSimulator(FakeStore(), rate_per_minute=0.1, seed=29)  # bursts ~15 minutes apart
    stop = threading.Event()
    worker = threading.Thread(target=sim.run, args=(stop,), daemon=True)
    worker.start()
    time.sleep(0.2)
    assert sum(sim.counts.values()) >= 1  # the first burst happens at once
    started = time.monotonic()
    stop.set()
    worker.join(timeout=1.0)
    assert not worker.is_alive()
    assert time.monotonic() - started < 1.0


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        CitizenSimulator(FakeStore(), rate_per_minute=0)


# ------------------------------------------------------------------ the corpus


@pytest.fixture(scope="module")
def sample() -> list[CitizenPost]:
    return make_corpus_sample(3000, seed=42)


def test_the_sample_is_deterministic() -> None:
    assert make_corpus_sample(200, seed=1) == make_corpus_sample(200, seed=1)
    assert make_corpus_sample(200, seed=1) != make_corpus_sample(200, seed=2)


def test_labels_use_the_reference_codes(sample: list[CitizenPost]) -> None:
    assert {post.sector for post in sample} - {None} <= SECTORS
    assert {post.region for post in sample} - {None} <= REGIONS
    assert {post.kind for post in sample} == set(corpus.KINDS)
    assert {post.urgency for post in sample} == set(corpus.URGENCIES)
    assert {post.sector for post in sample} >= set(corpus.COMMON_SECTORS)
    assert all(post.region == (post.place.region if post.place else None) for post in sample)
    assert all((post.sector is None) == (post.kind in ("other", "spam")) for post in sample)
    assert all(post.urgency == "normal" for post in sample if post.kind not in ("complaint",))


def test_regions_are_at_every_level(sample: list[CitizenPost]) -> None:
    levels = Counter(None if post.region is None else post.region.count(".") for post in sample)
    assert levels[None] and levels[1] and levels[2] and levels[3]  # none, kab/kota, kecamatan, desa


def test_the_named_place_is_in_the_text(sample: list[CitizenPost]) -> None:
    names = {}
    for file in ("jateng_kecamatan.csv", "jateng_desa_kelurahan.csv"):
        with (DATA / file).open(encoding="utf-8", newline="") as handle:
            names.update({row["kode"]: row["nama"] for row in csv.DictReader(handle)})
    for post in sample:
        if post.place is not None and post.place.kecamatan is not None:
            assert names[post.place.kecamatan].lower() in post.text.lower()
        if post.place is not None and post.place.desa is not None:
            assert names[post.place.desa].lower() in post.text.lower()


def test_every_post_but_chatter_carries_the_hashtag(sample: list[CitizenPost]) -> None:
    chatter_tagged = Counter(HASHTAG in post.text.lower() for post in sample if post.kind == "other")
    assert chatter_tagged[True] and chatter_tagged[False]
    assert all(HASHTAG in post.text.lower() for post in sample if post.kind != "other")
    casings = Counter(re.findall(r"#kemalajateng", " ".join(p.text for p in sample), flags=re.IGNORECASE))
    assert len(casings) >= 3
    positions = Counter(
        "start" if p.text.lower().startswith(HASHTAG) else "end" if p.text.lower().endswith(HASHTAG) else "mid"
        for p in sample
    )
    assert min(positions.values()) > 100


def test_texts_vary(sample: list[CitizenPost]) -> None:
    first = [post.text for post in sample[:500]]
    assert len(set(first)) >= 0.95 * len(first)
    assert all(0 < len(post.text) <= 280 for post in sample)


def test_texts_sound_like_citizens(sample: list[CitizenPost]) -> None:
    text = "\n".join(post.text.lower() for post in sample)
    for marker in (
        "gk",
        "yg",
        "udh",
        "bgt",
        "tp ",
        "lur",
        "min",
        "piye",
        "ora",
        "mohon maaf",
        "@",
        "http",
        "🙏",
    ):
        assert marker in text, marker
    assert any(post.text.split(" http")[0].isupper() for post in sample)  # the odd ALL CAPS rant
    assert sum("tolong" in post.text.lower() for post in sample if post.urgency == "emergency") > 5


def test_invented_personal_data_is_labelled(sample: list[CitizenPost]) -> None:
    patterns = {
        "nik": re.compile(r"\b33\d{14}\b"),
        "phone": re.compile(r"(\+62 |0)8\d{2}[- ]?\d{4}[- ]?\d{3,4}"),
        "email": re.compile(r"[\w.]+@example\.(com|net)", re.IGNORECASE),
        "plate": re.compile(r"\b[A-Z]{1,2} \d{1,4} [A-Z]{1,3}\b"),
    }
    kinds = Counter(kind for post in sample for kind in post.pii)
    assert set(kinds) == set(patterns)
    for post in sample:
        for kind in post.pii:
            assert patterns[kind].search(post.text if kind != "plate" else post.text.upper()), (
                kind,
                post.text,
            )
        if "nik" not in post.pii:
            assert not patterns["nik"].search(post.text)


def test_coastal_problems_happen_on_the_coast(sample: list[CitizenPost]) -> None:
    coastal_templates = {t.template_id for t in corpus.TEMPLATES if t.coastal}
    placed = [p for p in sample if p.template_id in coastal_templates and p.place is not None]
    assert placed
    assert all(p.place is not None and p.place.kabkota in corpus.COASTAL for p in placed)


def test_every_sector_has_templates_and_common_ones_many() -> None:
    complaints = Counter(t.sector for t in corpus.TEMPLATES if t.kind == "complaint")
    assert set(complaints) == SECTORS
    assert all(complaints[sector] >= 20 for sector in corpus.COMMON_SECTORS)
    assert {t.kind for t in corpus.TEMPLATES} == {"complaint", "question", "suggestion", "appreciation"}


def test_the_same_problem_is_worded_differently() -> None:
    rng = random.Random(3)
    originals = [p for p in make_corpus_sample(400, seed=8) if p.kind == "complaint" and p.place][:50]
    for original in originals:
        again = corpus.generate_same_problem(rng, original)
        assert (again.sector, again.topic, again.region) == (original.sector, original.topic, original.region)
        assert again.text != original.text


def test_follow_ups_and_personas() -> None:
    rng = random.Random(4)
    post = make_corpus_sample(1, seed=4)[0]
    follow_ups = {corpus.generate_follow_up(rng, post) for _ in range(200)}
    assert len(follow_ups) > 30 and all(0 < len(text) <= 280 for text in follow_ups)
    personas = [corpus.generate_persona(rng) for _ in range(300)]
    assert all(USERNAME.match(username) for username, _, _ in personas)
    assert any(location is None for _, _, location in personas)
    assert len({username for username, _, _ in personas}) > 250
