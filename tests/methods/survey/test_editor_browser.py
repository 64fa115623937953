"""The question editor in a real browser: a case officer adds a question; axe on each page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from medvirk.identity.models import User
from medvirk.methods.survey.models import Question
from medvirk.organisations.models import Municipality
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check
from tests.methods.survey import factories as survey_factories

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(tab: Page, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    tab.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_officer_adds_a_question_in_the_browser(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
) -> None:
    survey = survey_factories.survey(org)
    instance = survey.instance
    url = reverse(
        "staff:method_content", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
    )
    log_in(page, live_server, officer)
    page.goto(url)
    assert page.locator(".survey-editor__item").count() == 7
    axe_check(page)

    # A mistake first: one option is not enough. The summary and the field say so.
    page.locator("#id_kind_1").check()  # multiple choice
    page.locator("#id_text").fill("Which rooms do you use after school?")
    page.locator("#id_options").fill("Gym")
    page.locator("#question-form button[type=submit]").click()
    summary = page.locator(".ds-error-summary")
    assert summary.is_visible()
    assert summary.locator('a[href="#id_options"]').count() == 1
    assert page.locator("#id_options").get_attribute("aria-invalid") == "true"
    assert "id_options-error" in (
        page.locator("#id_options").get_attribute("aria-describedby") or ""
    )
    axe_check(page)
    assert Question.objects.filter(method_instance=instance).count() == 7

    # Corrected: what was typed is still there; add the second option and send again.
    assert page.locator("#id_text").input_value() == "Which rooms do you use after school?"
    page.locator("#id_options").fill("Gym\nLibrary\nSchool yard")
    page.locator("#question-form button[type=submit]").click()
    page.wait_for_url(f"**{url}#question-*")
    added = Question.objects.get(text="Which rooms do you use after school?")
    assert added.option_keys() == ["gym", "library", "school_yard"]
    item = page.locator(f"#question-{added.pk}")
    assert item.is_visible()
    assert "8. Which rooms do you use after school?" in item.inner_text()
    assert "School yard" in item.inner_text()
    axe_check(page)

    # Move it up one place without JavaScript-only controls: a plain form button.
    with page.expect_navigation():
        item.locator("form:has(input[value=move_up]) button").click()
    added.refresh_from_db()
    assert added.order == 7
    assert page.locator(".survey-editor__item").nth(6).get_attribute("id") == f"question-{added.pk}"


def test_edit_delete_and_locked_views_are_accessible(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
) -> None:
    survey = survey_factories.survey(org)
    instance = survey.instance
    url = reverse(
        "staff:method_content", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
    )
    log_in(page, live_server, officer)
    page.goto(f"{url}?edit={survey.scale.pk}")
    assert page.locator("#id_kind_2").is_checked()
    axe_check(page)
    page.goto(f"{url}?delete={survey.text.pk}")
    assert page.locator("#delete-confirm").is_visible()
    axe_check(page)
    survey_factories.survey_answer(survey)
    page.goto(f"{url}?edit={survey.single.pk}")
    assert page.locator("#locked-note").is_visible()
    assert page.locator("#id_kind_0").count() == 0
    axe_check(page)
