"""Browser tests: headless Chromium through Playwright's sync API, against ``live_server``.

Fixtures
  ``browser``  one Chromium per test module (``/usr/bin/chromium``, or ``MEDVIRK_CHROMIUM``)
  ``page``     a fresh browser context and page per test, ``base_url`` = the live server,
               so ``page.goto("/")`` works; ``page.console_errors`` lists console errors
Helpers (``tests.browser.helpers``)
  ``axe_check(page)``  run the vendored axe-core (WCAG 2.0/2.1 A and AA) and fail on any violation

Without Chromium the browser tests are skipped, except when ``CI=true``: then they fail,
so a CI run can never pass by quietly skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page

CHROMIUM = Path(os.environ.get("MEDVIRK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _require_chromium() -> None:
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    message = (
        f"Chromium not found at {CHROMIUM} (install it: apt-get install chromium, "
        "or point MEDVIRK_CHROMIUM at a Chromium binary)"
    )
    if _in_ci():
        pytest.fail(f"{message}; CI=true, so the browser tests must run.", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API drives an asyncio event loop on this thread (in a greenlet), and
    # while it is alive asyncio reports that loop as running. Django then takes every ORM call
    # the test (or pytest-django's database set-up and teardown) makes on this thread for a
    # call from async code and refuses it with SynchronousOnlyOperation. Nothing here runs
    # concurrently with that loop -- the sync API blocks until each browser call returns -- so
    # it is safe to tell Django so, for as long as the browser is up, and no longer.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="nb-NO",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url") or ""
            errors.append(f"{message.text} ({where})" if where else message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    page.console_errors = errors  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()
