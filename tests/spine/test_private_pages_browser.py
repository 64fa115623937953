"""In a real browser the private pages' Referrer-Policy must not break their own forms.

With ``Referrer-Policy: no-referrer`` a browser sends ``Origin: null`` on a form's POST, and
Django's CSRF check refuses it. Every private page posts forms (its own, and the language
switcher in the header), so each is sent here from a real Chromium.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from medvirk.accountability.models import Response
from medvirk.contributions.models import Contribution
from tests import factories
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.language.helpers import switch_language
from tests.methods.survey import factories as survey_factories

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _switch_language(page: Page, code: str) -> None:  # noqa: F811
    switch_language(page, code)


def test_survey_form_and_thanks_page_post_their_forms(page: Page) -> None:  # noqa: F811
    survey = survey_factories.survey(factories.municipality("Lillevik"))
    page.goto(survey.url)
    page.locator(f"input[name={survey.single.field_name}][value=renovate]").check()
    with page.expect_navigation():
        page.locator("#survey-form button[type=submit]").click()
    assert Contribution.objects.count() == 1, page.content()[:500]
    # The thanks page holds the receipt link; its language switcher still posts.
    _switch_language(page, "en")


def test_receipt_page_posts_its_language_switcher(page: Page) -> None:  # noqa: F811
    w = factories.world()
    item = factories.contribution(w.method, text="Kva kostar det?")
    page.goto(item.receipt_url())
    _switch_language(page, "en")
    assert "/kvittering/" in page.url


def test_information_question_page_posts_its_form(page: Page) -> None:  # noqa: F811
    w = factories.world()
    page.goto(w.method.get_absolute_url())
    page.locator("textarea[name=text]").fill("Kor mykje kostar det?")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").first.click()
    assert Contribution.objects.filter(text="Kor mykje kostar det?").exists(), page.content()[:800]


def test_staff_answer_form_posts_in_a_browser(page: Page, live_server: object) -> None:  # noqa: F811
    w = factories.world()
    item = factories.contribution(w.method, text="Meir lys")
    page.goto(reverse("identity:login"))
    page.locator("input[name=username]").fill(w.officer.username)
    page.locator("input[name=password]").fill("pw")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    page.goto(reverse("staff:contribution", kwargs={"pk": item.pk}))
    page.locator("select[name=status]").select_option("adopted")
    page.locator("textarea[name=reason]").fill("Vi set opp lys.")
    with page.expect_navigation():
        page.locator("form:has(input[name=form][value=respond]) button[value=save]").click()
    assert Response.objects.filter(contribution=item, reason="Vi set opp lys.").exists(), (
        page.content()[:800]
    )
