"""The pages every installation carries, in a real browser: styled, accessible, switchable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse

from medvirk.organisations.models import Malform, Municipality
from tests.language.helpers import switch_language

from .helpers import axe_check, stylesheet_statuses

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["public:home", "public:accessibility", "public:privacy"]


@pytest.fixture
def municipality() -> Municipality:
    return Municipality.objects.create(
        name="Lillevik",
        slug="lillevik",
        kommunenummer="4299",
        inhabitants=5400,
        malform=Malform.NYNORSK,
        privacy_contact="personvern@lillevik.example.no",
    )


def test_stylesheets_load(page: Page) -> None:
    """axe's colour-contrast rule is only meaningful when the real CSS is applied."""
    statuses = stylesheet_statuses(page, reverse("public:home"))
    names = {url.rsplit("/", 1)[-1]: status for url, status in statuses.items()}
    assert names == {
        "designsystemet-theme-1.22.0.css": 200,
        "designsystemet-css-1.22.0.css": 200,
        "medvirk.css": 200,
    }
    # The theme's custom properties are in effect and the layout CSS styles the header.
    token = page.evaluate(
        "() => getComputedStyle(document.documentElement)"
        ".getPropertyValue('--ds-color-neutral-background-default').trim()"
    )
    assert token.startswith("#") or token.startswith("rgb"), token
    header_display = page.evaluate(
        "() => getComputedStyle(document.querySelector('.site-header__inner')).display"
    )
    assert header_display == "flex"


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_is_accessible(page: Page, municipality: Municipality, name: str) -> None:
    response = page.goto(reverse(name))
    assert response is not None and response.status == 200
    assert page.locator("h1").count() == 1
    assert page.get_attribute("html", "lang") == "nb"
    axe_check(page)
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_footer_links_to_accessibility_statement_and_privacy(page: Page) -> None:
    page.goto(reverse("public:home"))
    footer = page.locator("footer")
    statement = footer.locator(f'a[href="{reverse("public:accessibility")}"]')
    privacy = footer.locator(f'a[href="{reverse("public:privacy")}"]')
    assert statement.count() == 1
    assert privacy.count() == 1
    statement.click()
    page.wait_for_url(f"**{reverse('public:accessibility')}")
    page.locator("footer").locator(f'a[href="{reverse("public:privacy")}"]').click()
    page.wait_for_url(f"**{reverse('public:privacy')}")
    assert page.locator("h1").count() == 1


def test_accessibility_statement_names_the_municipality(
    page: Page, municipality: Municipality
) -> None:
    page.goto(reverse("public:accessibility") + "?kommune=lillevik")
    assert "Lillevik" in page.locator("main").inner_text()
    axe_check(page)


def test_language_switcher_works_without_javascript(browser: Browser, live_server: Any) -> None:
    """The switcher is a plain form: nb → en → nn with scripts off, html[lang] follows."""
    context = browser.new_context(
        base_url=live_server.url, locale="nb-NO", java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(reverse("public:privacy"))
        assert page.get_attribute("html", "lang") == "nb"
        for language in ["en", "nn"]:
            switch_language(page, language)  # a <details> menu of plain POST buttons
            assert page.get_attribute("html", "lang") == language
            # The form sends you back to the page you were on.
            assert page.url.endswith(reverse("public:privacy"))
    finally:
        context.close()


def test_axe_check_reports_violations(page: Page) -> None:
    """The harness is not vacuous: known WCAG failures are caught and described."""
    page.set_content(
        """<!DOCTYPE html><html lang="nb"><head><title>Feil</title></head><body><main>
        <h1>Feil</h1>
        <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="no-alt">
        <input type="text" id="no-label">
        <p style="color:#bbb;background:#fff">Lys grå tekst</p>
        </main></body></html>"""
    )
    with pytest.raises(AssertionError) as failure:
        axe_check(page)
    message = str(failure.value)
    for rule, target in [("image-alt", "#no-alt"), ("label", "#no-label"), ("color-contrast", "p")]:
        assert f"- {rule} (" in message
        assert f"at {target}" in message
