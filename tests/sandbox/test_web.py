"""The sandbox's human pages: threads, escaping of untrusted text, posting as a citizen."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sandbox.server import SandboxServer, serve_forever
from sandbox.store import SandboxStore


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(port=0) as running:
        yield running


@pytest.fixture
def http(server: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=5) as client:
        yield client


def test_timeline_shows_threads_with_replies(server: SandboxServer, http: httpx.Client) -> None:
    store = server.store
    store.ensure_account("warga", "Bu Sri")
    root = store.create_post(username="warga", text="Jalan rusak #KemalaJateng")
    reply = store.create_post(username="DinasPU", text="Segera kami perbaiki", in_reply_to_id=root["id"])
    page = http.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert html.index("Jalan rusak") < html.index("Segera kami perbaiki")
    assert f'href="/warga/status/{root["id"]}"' in html
    assert f'href="/DinasPU/status/{reply["id"]}"' in html
    assert 'class="post reply"' in html
    assert "Bu Sri" in html and "@warga" in html
    assert "WIB" in html
    assert "location.reload" in html  # refreshes itself
    assert 'name="viewport"' in html


def test_untrusted_text_is_escaped(server: SandboxServer, http: httpx.Client) -> None:
    store = server.store
    store.ensure_account("evil", name='<img src=x onerror="alert(1)">', location="<b>Semarang</b>")
    store.create_post(username="evil", text="<script>alert('x')</script> #KemalaJateng <img src=x onerror=alert(2)>")
    for path in ("/", f"/evil/status/{store.timeline(1)[0]['id']}"):
        html = http.get(path).text
        assert "<script>alert" not in html
        assert "<img src=x" not in html and '<img src="x"' not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=alert(2)&gt;" in html
        assert "&lt;b&gt;Semarang&lt;/b&gt;" in html
    csp = http.get("/").headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp


def test_status_page_shows_the_thread_and_fixes_the_handle(server: SandboxServer, http: httpx.Client) -> None:
    store = server.store
    root = store.create_post(username="warga", text="Lampu jalan mati #KemalaJateng")
    reply = store.create_post(username="PLN", text="Petugas menuju lokasi", in_reply_to_id=root["id"])
    store.create_post(username="other", text="Thread lain")
    page = http.get(f"/PLN/status/{reply['id']}")
    assert page.status_code == 200
    assert "Lampu jalan mati" in page.text and "Petugas menuju lokasi" in page.text
    assert "Thread lain" not in page.text
    wrong = http.get(f"/someone/status/{reply['id']}")
    assert wrong.status_code == 302 and wrong.headers["location"] == f"/PLN/status/{reply['id']}"
    short = http.get(f"/i/web/status/{root['id']}")
    assert short.headers["location"] == f"/warga/status/{root['id']}"
    assert http.get("/warga/status/1234567890123456789").status_code == 404


def test_post_form_and_json(server: SandboxServer, http: httpx.Client) -> None:
    response = http.post("/_sandbox/post", data={"username": "@warga_smg", "text": "Banjir #KemalaJateng"})
    assert response.status_code == 303 and response.headers["location"] == "/"
    root = server.store.timeline(1)[0]
    assert root["text"] == "Banjir #KemalaJateng"
    reply = http.post("/_sandbox/post", json={"username": "tetangga", "text": "Sama", "in_reply_to_id": root["id"]})
    assert reply.status_code == 201
    assert reply.json()["conversation_id"] == root["id"]
    bad = http.post("/_sandbox/post", json={"username": "x y", "text": "hi"})
    assert bad.status_code == 400
    missing = http.post("/_sandbox/post", json={"username": "w", "text": "hi", "in_reply_to_id": "999"})
    assert missing.status_code == 400


def test_accounts_endpoint_and_state_json(server: SandboxServer, http: httpx.Client) -> None:
    created = http.post("/_sandbox/accounts", json={"username": "DinasPU", "name": "Dinas PU"})
    assert created.status_code == 201 and created.json()["token"] == "sandbox-user-DinasPU"
    server.store.create_post(username="warga", text="hi")
    state = http.get("/_sandbox/state.json").json()
    assert {a["username"] for a in state["accounts"]} == {"DinasPU", "warga"}
    assert all("token" not in a for a in state["accounts"])
    assert len(state["tweets"]) == 1


def test_server_state_file_survives_restart(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.json"
    with SandboxServer(state_path=path) as first:
        posted = first.store.create_post(username="warga", text="Sebelum restart #KemalaJateng")
    with SandboxServer(state_path=path) as second, httpx.Client(base_url=second.base_url) as http:
        assert "Sebelum restart" in http.get("/").text
        assert second.store.get(posted["id"]) is not None


def test_serve_forever_starts_and_stops_cleanly(tmp_path: Path) -> None:
    stop = threading.Event()
    seen: list[str] = []

    def ready(server: SandboxServer) -> None:
        seen.append(httpx.get(server.base_url + "/").text)
        server.store.create_post(username="warga", text="dari serve_forever")
        stop.set()

    serve_forever("127.0.0.1", 0, tmp_path / "s.json", False, 3.0, ready=ready, stop_event=stop)
    assert "Kemala sandbox" in seen[0]
    assert SandboxStore(tmp_path / "s.json").timeline(1)[0]["text"] == "dari serve_forever"


@pytest.mark.skipif(importlib.util.find_spec("sandbox.simulator") is None, reason="simulator not written yet")
def test_serve_forever_runs_the_simulator(tmp_path: Path) -> None:
    stop = threading.Event()

    def ready(server: SandboxServer) -> None:
        stop.set()  # the simulator thread starts before `ready`; stopping must not hang

    serve_forever("127.0.0.1", 0, None, True, 600.0, ready=ready, stop_event=stop)
