"""`kemala run --demo`, as `make run` starts it: real processes (gunicorn, worker, sandbox) on loopback.

A person's path through the demo: a citizen posts on the sandbox page, the admin delegates the case, the
operator answers, and the answer appears under the citizen's post on the sandbox, from the agency's account.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="`kemala run` on its embedded SQLite is exercised in the SQLite run",
    ),
]

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(what: str, check: Callable[[], Any], timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except (httpx.HTTPError, AssertionError) as exc:
            last_error = exc
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what} (last error: {last_error})")


@pytest.fixture
def running_demo(tmp_path: Path) -> Iterator[dict[str, Any]]:
    web_port, sandbox_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KEMALA_TESTING", "SECRET_KEY")}
    env.update(
        KEMALA_VAR_DIR=str(tmp_path / "var"),
        PORT=str(web_port),
        SANDBOX_PORT=str(sandbox_port),
        KEMALA_WORKER_POLL_SECONDS="1",
        WEB_CONCURRENCY="1",
        DJANGO_SETTINGS_MODULE="kemala.settings",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "kemala.cli", "run", "--demo"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if line.startswith("Press Ctrl+C"):
                break
        text = "".join(output)
        assert "Kemala is running at" in text, text
        logins = dict(re.findall(r"^  (\w+)\s+\w+(?: · [\w-]+)?: (\S+)$", text, re.MULTILINE))
        yield {
            "web": f"http://127.0.0.1:{web_port}",
            "sandbox": f"http://127.0.0.1:{sandbox_port}",
            "logins": logins,
            "process": process,
            "output": output,
        }
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                raise


def logged_in(base: str, username: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=10)
    client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": client.cookies["csrftoken"]},
        headers={"Referer": base + "/accounts/login/"},
    )
    assert response.status_code == 302, response.text[:500]
    return client


def post_form(client: httpx.Client, path: str, data: dict[str, str]) -> httpx.Response:
    return client.post(
        path,
        data={**data, "csrfmiddlewaretoken": client.cookies["csrftoken"]},
        headers={"Referer": str(client.base_url) + path},
    )


def test_make_run_demo_answers_a_citizen_in_the_sandbox(running_demo: dict[str, Any]) -> None:
    web, sandbox, logins = running_demo["web"], running_demo["sandbox"], running_demo["logins"]
    assert set(logins) == {"admin", "dpu", "semarang", "pln", "analis"}, running_demo["output"]
    wait_for("the web server", lambda: httpx.get(web + "/", timeout=10).status_code == 200)
    wait_for("the sandbox", lambda: httpx.get(sandbox + "/", timeout=10).status_code == 200)
    assert httpx.get(web + "/static/kemala/kemala.css", timeout=10).status_code == 200  # whitenoise, DEBUG off

    marker = f"Ngesrep{int(time.time())}"
    posted = httpx.post(
        sandbox + "/_sandbox/post",
        json={
            "username": "sri_tembalang",
            "text": f"Lampu jalan {marker} di Tembalang Kota Semarang mati #KemalaJateng",
        },
        timeout=10,
    )
    assert posted.status_code == 201
    citizen_post = posted.json()

    admin = logged_in(web, "admin", logins["admin"])
    case = wait_for("the case in the API", lambda: admin.get("/api/cases/", params={"q": marker}).json()["results"])
    code = case[0]["tracking_code"]
    assert post_form(admin, f"/cases/{code}/delegate/", {"agency": "kota-semarang"}).status_code == 302

    operator = logged_in(web, "semarang", logins["semarang"])
    assert code in operator.get("/cases/queue/").text
    answer = f"Terima kasih, lampu {marker} kami perbaiki minggu ini."
    assert post_form(operator, f"/cases/{code}/reply/", {"text": answer}).status_code == 302

    def reply_on_sandbox() -> dict[str, Any] | None:
        state = httpx.get(sandbox + "/_sandbox/state.json", timeout=10).json()
        agency = next(a for a in state["accounts"] if a["username"] == "PemkotSemarang")
        tweets = [entry["tweet"] for entry in state["tweets"]]
        return next(
            (
                t
                for t in tweets
                if t.get("author_id") == agency["id"]
                and t["text"] == answer
                and t.get("conversation_id") == citizen_post["conversation_id"]
            ),
            None,
        )

    published = wait_for("the agency's reply on the sandbox", reply_on_sandbox)
    assert published["referenced_tweets"] == [{"type": "replied_to", "id": citizen_post["id"]}]
    thread_page = httpx.get(f"{sandbox}/sri_tembalang/status/{citizen_post['id']}", timeout=10).text
    assert answer in thread_page and "PemkotSemarang" in thread_page
    board = httpx.get(web + "/api/board", timeout=10).json()
    assert board["answered_cases"] >= 1

    process = running_demo["process"]
    os.killpg(process.pid, signal.SIGTERM)
    assert process.wait(timeout=20) is not None
