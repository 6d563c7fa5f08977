"""The triage inbox in a real headless browser (Debian's chromium driven by Playwright).

Checks what only a browser can: htmx replaces the triaged row without reloading the page, and hostile
citizen text stays inert text.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AbstractBaseUser

from cases.models import AuditEvent, Case, Status
from programs.models import Agency

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test installs it with apt-get)"),
]


@pytest.fixture
def browser_page() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
        try:
            yield page
        finally:
            browser.close()


@pytest.mark.django_db(transaction=True)
def test_admin_delegates_from_the_inbox_without_a_reload(
    live_server: Any,
    browser_page: Any,
    admin_user: AbstractBaseUser,
    agency_b: Agency,
    make_case: Callable[..., Case],
) -> None:
    hostile_text = 'Jalan rusak <img src=x onerror="window.__xss=1"><script>window.__xss=2</script> #KemalaJateng'
    hostile = make_case(hostile_text, author="iseng")
    case = make_case("Lampu jalan mati di Tembalang, Kota Semarang #KemalaJateng", suggested_agency=agency_b)
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "pw-admin")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/cases/inbox/")
    assert page.evaluate("window.__xss") is None
    assert "<script>window.__xss=2</script>" in page.inner_text(f"#case-{hostile.tracking_code}")
    page.evaluate("window.__stillHere = true")  # gone if the page reloads

    row = page.locator(f"#case-{case.tracking_code}")
    row.locator("select[name=agency]").select_option("kota-semarang")
    row.locator("input[name=note]").fill("lampu jalan kota")
    row.locator("form[action$='/delegate/'] button[type=submit]").click()
    page.wait_for_selector(f"#case-{case.tracking_code}.case-done")

    assert page.evaluate("window.__stillHere") is True
    assert "Pemkot Semarang" in page.inner_text(f"#case-{case.tracking_code}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "inbox-after-delegation.png"), full_page=True)
    case.refresh_from_db()
    assert (case.status, case.agency) == (Status.DELEGATED, agency_b)
    event = AuditEvent.objects.get(case=case, action="delegate")
    assert (event.actor, event.reason) == (admin_user, "lampu jalan kota")
