"""Playwright (Python) driving Debian's Chromium against pytest-django's live server.

Skipped, with the reason shown, where /usr/bin/chromium is not installed. Never downloads a
browser: ``playwright install`` cannot run here.
"""

import os
from pathlib import Path

import pytest

from tests.factories import StaffFactory

CHROMIUM = Path(os.environ.get("LIMON_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
BROWSER_PASSWORD = "correct horse battery"

# Playwright's sync API runs an event loop in the test thread; Django ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium) — browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def browser_staff(transactional_db):
    return StaffFactory(username="browser-staff", is_superuser=True)


@pytest.fixture
def browser_page(page, browser_staff):
    """A page logged in through the real login form as a staff member."""
    page.goto("/panel/login")
    page.fill("input[name=username]", browser_staff.username)
    page.fill("input[name=password]", BROWSER_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/panel/")
    return page
