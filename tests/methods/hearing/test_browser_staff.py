"""The høyring's staff side in a real browser at 1280 px, in bokmål and nynorsk: a case
officer sets the period (a 30-day plan case is refused with the reason and the section of
law, then fixed), writes a document with a section and a paragraph, opens a submission,
withholds a passage from the register, and downloads the arkivmelding ZIP, whose every XML
validates against the KS Fiks Arkiv schema. Every page passes axe (WCAG 2.1 A/AA)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from medvirk.identity.models import User
from medvirk.methods.hearing import actions
from medvirk.methods.hearing.actions import SubmissionDraft
from medvirk.methods.hearing.models import Hearing, Paragraph, Redaction, Section, Submission
from medvirk.organisations.models import Municipality
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check

from .conftest import make_hearing
from .test_archive_export import assert_valid

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSAGE = "Mora mi er sjuk og treng skyss."
TEXT = f"Vi treng trygg skuleveg. {PASSAGE} Fortau no, takk."


def _check(page: Page) -> None:  # noqa: F811
    axe_check(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} scrolls sideways by {overflow}px"


def _log_in(page: Page, live_server: Any, user: User, language: str) -> None:  # noqa: F811
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )


def _submit_and_wait(page: Page, form: str) -> None:  # noqa: F811
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_staff_set_the_period_write_the_text_redact_and_export(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
    language: str,
    tmp_path: Path,
) -> None:
    case = make_hearing(org, with_row=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page, live_server, officer, language)
    editor = f"/stab/sak/{case.instance.process_id}/metode/{case.instance.pk}/innhald/"

    page.goto(editor)
    assert page.get_attribute("html", "lang") == language
    _check(page)
    assert page.locator("#period-missing").is_visible()

    # A zoning plan on consultation for 30 days: refused with the reason and the section.
    start = timezone.localdate()
    page.select_option("#id_period-plan_stage", "regulering")
    page.fill("#id_period-starts_on", start.isoformat())
    page.fill("#id_period-ends_on", (start + dt.timedelta(days=30)).isoformat())
    _submit_and_wait(page, "#period-form")
    assert page.locator("#error-summary").is_visible()
    assert "§ 12-10" in page.locator("#id_period-ends_on-error").inner_text()
    _check(page)
    assert not Hearing.objects.exists()

    # Six weeks: saved.
    page.fill("#id_period-ends_on", (start + dt.timedelta(days=42)).isoformat())
    _submit_and_wait(page, "#period-form")
    assert page.locator("#period-status").is_visible()
    _check(page)
    hearing = Hearing.objects.get(method_instance=case.instance)
    assert (hearing.ends_on - hearing.starts_on).days == 42

    # A document, a section and a paragraph.
    page.fill("#id_document-title", "Framlegg: nybygg på same tomt")
    page.fill("#id_document-summary", "Kommunedirektøren si tilråding.")
    _submit_and_wait(page, "#panel-form")
    _check(page)
    page.locator('a[href*="?add=d"]').first.click()
    page.wait_for_load_state()
    _check(page)
    page.fill("#id_section-heading", "Skulevegen")
    _submit_and_wait(page, "#panel-form")
    page.locator('a[href*="?add=s"]').first.click()
    page.wait_for_load_state()
    page.fill("#id_paragraph-text", "Kommunen byggjer fortau langs heile skulevegen.")
    _submit_and_wait(page, "#panel-form")
    _check(page)
    section = Section.objects.get(heading="Skulevegen")
    paragraph = Paragraph.objects.get(section=section)
    assert page.locator(f"#part-p{paragraph.pk}").inner_text().startswith("1.1")

    # A resident's submission, opened by staff; a passage withheld from the register.
    contribution = actions.do_submit(
        AnonymousUser(),
        case.instance,
        SubmissionDraft(text=TEXT, author_name="Kari Nordmann", show_name=True),
    ).contribution
    page.goto(case.url("staff_submissions"))
    _check(page)
    page.locator(f'#submissions a[href$="/stab/innspel/{contribution.pk}/"]').click()
    page.wait_for_load_state()
    _check(page)
    assert PASSAGE in page.locator("#full-text").inner_text()
    page.fill("#id_passage-passage", "Ho er sjuk")  # not in the text: a clear error
    page.select_option("#id_passage-basis", "taushetsplikt")
    _submit_and_wait(page, "#passage-form")
    assert page.locator("#id_passage-passage-error").is_visible()
    _check(page)
    page.fill("#id_passage-passage", PASSAGE)
    _submit_and_wait(page, "#passage-form")
    assert page.locator("#redactions").is_visible()
    assert PASSAGE not in page.locator("#public-text").inner_text()
    _check(page)
    assert Redaction.objects.filter(contribution=contribution).count() == 1
    page.goto(case.url("register_item", pk=contribution.pk))
    assert PASSAGE not in page.locator("main").inner_text()
    assert "Vi treng trygg skuleveg." in page.locator("main").inner_text()

    # The arkivmelding ZIP: every XML validates.
    page.goto(case.url("staff_submissions"))
    with page.expect_download() as download_info:
        page.locator("#export-zip").click()
    target = tmp_path / "arkivmelding.zip"
    download_info.value.save_as(target)
    with zipfile.ZipFile(target) as package:
        xmls = [n for n in package.namelist() if n.endswith("arkivmelding.xml")]
        assert len(xmls) == 2
        for name in xmls:
            assert_valid(package.read(name))
    assert Submission.objects.get(contribution=contribution).archived_at is not None
