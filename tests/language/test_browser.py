"""In a real browser: a low header on a phone, a language menu that works without JavaScript
and from the keyboard, chart labels of at least 12 px, tables that say they scroll, and axe
on the pages this work changed, at 375 and 1280 px."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from medvirk.demo.loader import DEMO_LOGINS, load_demo
from medvirk.processes.models import Process
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check
from tests.language.helpers import switch_language

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 900}
# Every <text> in every SVG, at the size it is drawn on screen (CSS size × the SVG's scale).
DRAWN_FONT_SIZES = """() => Array.from(document.querySelectorAll('svg text')).map(t =>
    parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a)"""


def _login(page: Page, username: str) -> None:  # noqa: F811
    login = next(x for x in DEMO_LOGINS if x.username == username)
    page.goto("/konto/logg-inn/")
    page.fill("#id_username", login.username)
    page.fill("#id_password", login.password)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def _header_share(page: Page) -> float:  # noqa: F811
    height = page.evaluate(
        "document.querySelector('header.site-header').getBoundingClientRect().height"
    )
    return float(height) / PHONE["height"]


def _the_header_stays_low_on_a_phone(page: Page, process: Process) -> None:  # noqa: F811
    """Ends logged in as the administrator."""
    page.set_viewport_size(PHONE)
    for url in ["/", process.get_absolute_url()]:
        page.goto(url)
        assert _header_share(page) < 0.2, (
            f"{url}: header is {_header_share(page):.0%} of the screen"
        )
    _login(page, "admin")  # staff: the longest menu
    page.goto(process.get_absolute_url())
    assert page.locator("header a[href='/stab/']").is_visible()
    assert _header_share(page) < 0.2, f"staff header is {_header_share(page):.0%} of the screen"
    # Opening the language menu lays it over the page: the header does not grow.
    before = _header_share(page)
    page.locator("summary.language-menu__toggle").click()
    assert page.locator(".language-menu__panel").is_visible()
    assert _header_share(page) == before
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1


def test_the_language_menu_works_without_javascript(browser: Browser, live_server: Any) -> None:  # noqa: F811
    context = browser.new_context(
        base_url=live_server.url, locale="nb-NO", java_script_enabled=False, viewport=PHONE
    )
    try:
        page = context.new_page()
        page.goto("/personvern/")
        assert page.get_attribute("html", "lang") == "nb"
        menu = page.locator("details.language-menu")
        options = menu.locator("button[name=language]")
        assert not options.first.is_visible()  # closed until asked for
        summary = menu.locator("summary")
        assert "Språk" in summary.inner_text() and "Language" in summary.inner_text()
        # Each language is named in itself and marked with its own lang.
        assert [b.get_attribute("lang") for b in options.all()] == ["nb", "nn", "en"]
        assert menu.locator("button[aria-current=true]").get_attribute("value") == "nb"
        switch_language(page, "en")
        assert page.url.endswith("/personvern/")  # back on the same page
        assert page.locator("details.language-menu summary").inner_text().startswith("Language")
        assert (
            page.locator("details.language-menu button[aria-current=true]").get_attribute("value")
            == "en"
        )
        switch_language(page, "nn")
        assert page.url.endswith("/personvern/")
    finally:
        context.close()


def test_the_language_menu_works_from_the_keyboard(page: Page) -> None:  # noqa: F811
    page.set_viewport_size(PHONE)
    page.goto("/om/")
    summary = page.locator("details.language-menu summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("details.language-menu").get_attribute("open") is not None
    page.keyboard.press("Tab")  # to the first language
    focused = page.evaluate("document.activeElement.getAttribute('value')")
    assert focused == "nb"
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_attribute("html", "lang") == "nn"
    assert page.url.endswith("/om/")


def _chart_labels_are_at_least_12_px(page: Page, process: Process) -> None:  # noqa: F811
    survey = process.methods.get(method_key="survey")
    page.goto(f"{survey.get_absolute_url()}resultat/")
    sizes = page.evaluate(DRAWN_FONT_SIZES)
    assert len(sizes) > 10, "no chart text found"
    assert min(sizes) >= 12, f"smallest chart text is drawn at {min(sizes):.1f} px"
    # No chart is wider than its column.
    overflow = page.evaluate(
        """() => Array.from(document.querySelectorAll('svg.survey-chart')).map(s =>
            s.getBoundingClientRect().width - s.parentElement.getBoundingClientRect().width)"""
    )
    assert max(overflow) <= 1


def _a_table_that_scrolls_says_so_on_a_phone(page: Page) -> None:  # noqa: F811
    """Needs a staff login (the audit log)."""
    page.set_viewport_size(PHONE)
    page.goto("/stab/logg/")
    region = page.locator(".table-scroll__region").first
    hint = page.locator(".table-scroll__hint").first
    assert hint.is_visible() and hint.inner_text().strip()
    assert region.get_attribute("aria-describedby") == hint.get_attribute("id")
    # Keyboard users reach the region and scroll it with the arrow keys.
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-scroll__region')")
    width = page.evaluate(
        "(() => { const r = document.querySelector('.table-scroll__region');"
        " return r.scrollWidth - r.clientWidth; })()"
    )
    if width > 0:
        page.keyboard.press("ArrowRight")
        # Polled from here: wait_for_function evaluates a string in the page, which the
        # site's CSP (no 'unsafe-eval') refuses when the first check is not already true.
        for _attempt in range(50):
            if region.evaluate("r => r.scrollLeft") > 0:
                break
            page.wait_for_timeout(100)
        assert region.evaluate("r => r.scrollLeft") > 0
    page.set_viewport_size(DESKTOP)
    assert not hint.is_visible()  # wide screens need no hint; screen readers still get it


def _axe_on_the_public_pages_this_work_changed(page: Page, process: Process) -> None:  # noqa: F811
    survey = process.methods.get(method_key="survey")
    information = process.methods.get(method_key="information")
    public = [
        "/",
        process.get_absolute_url(),
        survey.get_absolute_url(),
        f"{survey.get_absolute_url()}resultat/",
        information.get_absolute_url(),
        f"{process.get_absolute_url()}medverknadsplan/",
    ]
    for url in public:
        page.goto(url)
        axe_check(page)
    # With the language menu open.
    page.locator("summary.language-menu__toggle").click()
    axe_check(page)


def test_the_demo_on_a_phone_and_a_desktop(page: Page) -> None:  # noqa: F811
    # One demo load for every read-only check here: loading it is the slow part.
    load_demo()
    process = Process.objects.get(slug="lillevik-skule")
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        _chart_labels_are_at_least_12_px(page, process)
        _axe_on_the_public_pages_this_work_changed(page, process)
    _the_header_stays_low_on_a_phone(page, process)  # logs in as the administrator
    _a_table_that_scrolls_says_so_on_a_phone(page)
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        for url in ["/stab/logg/", f"/stab/sak/{process.pk}/plan/"]:
            page.goto(url)
            axe_check(page)
    switch_language(page, "en")
    axe_check(page)
