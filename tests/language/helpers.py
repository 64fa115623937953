"""Browser helpers for the header's language menu (usable by any browser test)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page


def switch_language(page: Page, code: str) -> None:
    """Open the language menu and choose ``code``; waits for the page in that language."""
    menu = page.locator("details.language-menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    with page.expect_navigation():
        menu.locator(f"button[name=language][value={code}]").click()
    assert "/i18n/setlang/" not in page.url, page.content()[:500]  # not the CSRF 403
    assert page.locator("html").get_attribute("lang") == code
