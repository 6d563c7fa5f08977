"""Take the README's screenshots from a real `kemala run --demo` in Debian's chromium (via Playwright).

    .venv/bin/pip install playwright && apt-get install chromium
    .venv/bin/python docs/screenshots.py

Starts Kemala on free ports with a throwaway var directory, lets simulated citizens post, walks the loop
as the admin and an operator, and writes PNGs into docs/screenshots/.
"""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
sys.path.insert(0, str(REPO))

from sandbox.corpus import generate_persona, generate_post  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def login(page: Page, web: str, username: str, password: str) -> None:
    page.goto(f"{web}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    web_port, sandbox_port = free_port(), free_port()
    web, sandbox = f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{sandbox_port}"
    var = tempfile.mkdtemp(prefix="kemala-shots-")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "KEMALA_TESTING")}
    env.update(KEMALA_VAR_DIR=var, PORT=str(web_port), SANDBOX_PORT=str(sandbox_port), KEMALA_WORKER_POLL_SECONDS="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "kemala.cli", "run", "--demo"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        lines = []
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Press Ctrl+C"):
                break
        logins = dict(re.findall(r"^  (\w+)\s+\w+(?: · [\w-]+)?: (\S+)$", "".join(lines), re.MULTILINE))
        for _ in range(60):
            try:
                if httpx.get(web + "/").status_code == 200 and httpx.get(sandbox + "/").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        rng = random.Random(7)
        for _ in range(24):
            post = generate_post(rng)
            username, name, location = generate_persona(rng)
            httpx.post(
                sandbox + "/_sandbox/post",
                json={"username": username, "name": name, "location": location or "", "text": post.text},
            )
        time.sleep(8)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
            )
            admin = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
            login(admin, web, "admin", logins["admin"])
            admin.goto(f"{web}/cases/inbox/")
            admin.screenshot(path=str(OUT / "inbox.png"))
            # Delegate the first case suggested for Pemkot Semarang, if any, else the first case.
            codes = admin.locator("a.case-code, a[href*='/cases/']").all_inner_texts()
            code = next((c.strip() for c in codes if re.fullmatch(r"[A-Z]+-\d{4}-[A-Z0-9]{6}", c.strip())), None)
            assert code, "no case in the inbox"
            admin.goto(f"{web}/cases/{code}/")
            admin.select_option("select[name=agency]", "kota-semarang")
            admin.locator("form[action$='/delegate/'] button[type=submit]").first.click()
            admin.wait_for_load_state("networkidle")
            operator = browser.new_page(viewport={"width": 430, "height": 900}, device_scale_factor=2, locale="id-ID")
            login(operator, web, "semarang", logins["semarang"])
            operator.goto(f"{web}/cases/queue/")
            operator.screenshot(path=str(OUT / "queue-mobile.png"))
            operator.goto(f"{web}/cases/{code}/")
            operator.fill(
                "textarea[name=text]",
                "Terima kasih atas laporannya. Tim kami akan mengecek lokasi "
                "dalam 2 hari kerja dan mengabarkan hasilnya di sini.",
            )
            operator.locator("form[action$='/reply/'] button[type=submit]").first.click()
            time.sleep(6)
            operator.reload()
            operator.screenshot(path=str(OUT / "case.png"), full_page=True)
            sandbox_page = browser.new_page(viewport={"width": 900, "height": 900}, locale="id-ID")
            sandbox_page.goto(sandbox + "/")
            sandbox_page.screenshot(path=str(OUT / "sandbox.png"))
            board = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
            board.goto(web + "/")
            board.screenshot(path=str(OUT / "board.png"), full_page=True)
            browser.close()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
