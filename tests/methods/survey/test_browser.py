"""The survey in a real browser: answered like a resident would, axe on every page."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from medvirk.contributions.models import Contribution
from medvirk.organisations.models import Municipality
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check
from tests.methods.survey import factories as survey_factories

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_answer_survey_in_browser_is_accessible(page: Page, org: Municipality) -> None:  # noqa: F811
    survey = survey_factories.survey(org, settings={"results_public": True})
    page.goto(survey.url)
    axe_check(page)
    # Send with a required question missing: the error summary and field errors show.
    page.locator("#survey-form button[type=submit]").click()
    assert page.locator(".ds-error-summary").is_visible()
    axe_check(page)
    page.get_by_label("Renovate").check()
    page.get_by_role("checkbox", name="Pupil").check()
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Safety").select_option("1")
    page.get_by_label("Air").select_option("2")
    page.get_by_label("Cost").select_option("3")
    page.get_by_label("What should the council know?").fill("Fiks ventilasjonen.")
    page.locator("#id_email").fill("kari@example.org")
    page.locator("#survey-form button[type=submit]").click()
    page.wait_for_url("**/takk/**")
    axe_check(page)
    contribution = Contribution.objects.get()
    assert contribution.contact_email == "kari@example.org"
    assert page.locator(f'a[href$="{contribution.receipt_url()}"]').count() == 1
    page.goto(survey.named("results"))
    axe_check(page)
    assert page.locator('svg[role="img"]').count() >= 4
