"""In a real browser: a case officer (1280 px) uploads a PDF to the case and registers input
from a meeting with its date, place and an attachment; a resident (375 px) finds the
document on the case page and downloads it. axe on every page, at both widths."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone

from medvirk.contributions.models import Channel, Contribution
from medvirk.processes.models import CaseDocument
from tests import factories
from tests.browser.conftest import browser, page  # noqa: F401  (fixtures)
from tests.browser.helpers import axe_check
from tests.documents import files

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEETING = "Ope møte i gymsalen, Lillevik skule"
TITLE = "Tilstandsrapport for Lillevik skule"


def _fits(tab: Page) -> None:
    """axe passes, and nothing is wider than the screen."""
    axe_check(tab)
    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{tab.url} scrolls sideways by {overflow}px"


def _log_in(tab: Page, username: str) -> None:
    tab.goto("/konto/logg-inn/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", "pw")
    with tab.expect_navigation():
        tab.locator("main form button[type=submit]").click()


def test_case_documents_and_meeting_input(
    page: Page,  # noqa: F811  (the fixture)
    browser: Browser,  # noqa: F811
    live_server: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    w = factories.world()
    meeting_day = timezone.localdate() - dt.timedelta(days=3)

    # The case officer adds the condition report (1280 px).
    _log_in(page, w.officer.username)
    page.goto(f"/stab/sak/{w.process.pk}/")
    page.locator(".process-nav a[href$='/dokument/']").click()
    page.wait_for_load_state()
    axe_check(page)
    page.fill("#id_title", TITLE)
    page.select_option("#id_kind", "condition")
    page.fill("#id_description", "Kva som må gjerast med bygget.")
    page.set_input_files(
        "#id_file",
        {
            "name": "Tilstandsrapport 2026.pdf",
            "mimeType": "application/pdf",
            "buffer": files.pdf_bytes(),
        },
    )
    assert page.is_checked("#id_is_published")
    with page.expect_navigation():
        page.locator("main form[enctype] button[type=submit]").click()
    axe_check(page)
    assert page.locator("table.ds-table", has_text=TITLE).count() == 1
    document = CaseDocument.objects.get()
    assert document.name == "Tilstandsrapport 2026.pdf"

    # … and registers what was said at the open meeting, with the minutes attached.
    page.locator(".process-nav a[href$='/innspel/registrer/']").click()
    page.wait_for_load_state()
    axe_check(page)
    page.select_option("#id_method", str(w.method.pk))
    page.select_option("#id_channel", Channel.MEETING)
    page.fill("#id_given_on", meeting_day.isoformat())
    page.fill("#id_given_at_place", MEETING)
    page.fill("#id_text", "Foreldra vil ha trygg skuleveg før bygget vert pussa opp.")
    page.set_input_files(
        "#id_attachments",
        {
            "name": "Referat.pdf",
            "mimeType": "application/pdf",
            "buffer": files.pdf_bytes("Referat"),
        },
    )
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    contribution = Contribution.objects.get(registered_by=w.officer)
    assert page.url.endswith(f"/stab/innspel/{contribution.pk}/")
    assert (contribution.given_on, contribution.given_at_place) == (meeting_day, MEETING)
    assert contribution.method_instance_id == w.method.pk
    assert [a.name for a in contribution.attachments.all()] == ["Referat.pdf"]

    # The staff pages hold at 375 px too.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/stab/sak/{w.process.pk}/dokument/")
    _fits(page)
    page.goto(f"/stab/sak/{w.process.pk}/dokument/{document.pk}/")
    _fits(page)
    page.goto(f"/stab/sak/{w.process.pk}/innspel/registrer/")
    _fits(page)

    # A resident on a phone finds the report on the case page and downloads it.
    phone = browser.new_context(
        base_url=live_server.url, locale="nb-NO", viewport={"width": 375, "height": 800}
    )
    try:
        resident = phone.new_page()
        resident.goto(w.process.get_absolute_url())
        _fits(resident)
        link = resident.get_by_role("link", name=TITLE)
        assert link.is_visible()
        assert "PDF" in link.inner_text()
        with resident.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename == "Tilstandsrapport 2026.pdf"
        saved = tmp_path / "lasta-ned.pdf"
        download.save_as(saved)
        assert saved.read_bytes() == files.pdf_bytes()
        # Nothing of the meeting's attachment is public.
        assert "Referat.pdf" not in resident.content()
    finally:
        phone.close()

    # And the case page at 1280 px.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(w.process.get_absolute_url())
    axe_check(page)
