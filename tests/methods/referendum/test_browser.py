"""The referendum in a real browser at 1280 and 375 px, in bokmål and nynorsk: Kari logs in
with the test e-ID and votes (in bokmål declaring where she lives, in nynorsk looked up in
the test register), Nora (14) is refused; a re-voting receipt with its code; the result;
and the staff's pages (editor, paper, a mismatched count).

Every page passes axe (WCAG 2.1 A/AA) and none scrolls sideways.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from medvirk.identity.models import User
from medvirk.methods.referendum import actions, staff_actions
from medvirk.methods.referendum.models import Ballot, RollEntry
from medvirk.organisations.models import Municipality
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check
from tests.factories import DAY

from .conftest import DECLARED, TEST_RESIDENCE, announce, make_instance, vote_as, voter

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page: Page) -> None:  # noqa: F811
    axe_check(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} scrolls sideways by {overflow}px"


def _language(page: Page, live_server: Any, language: str, width: int) -> None:  # noqa: F811
    page.context.add_cookies(
        [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.set_viewport_size({"width": width, "height": 900})


def _log_in(page: Page, live_server: Any, person: User) -> None:  # noqa: F811
    client = Client()
    client.force_login(person)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _e_id(page: Page, who: str) -> None:  # noqa: F811
    """From the referendum's login link through the test e-ID and back."""
    page.locator("#login-to-vote").click()
    page.wait_for_load_state()
    page.locator("a[href*='/konto/eid/test/start/']").click()
    page.wait_for_url("**/konto/eid/test/**")
    page.check(f"input[name=person][value={who}]")
    page.check("input[name=level][value=idporten-loa-high]")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("width", [1280, 375])
def test_kari_votes_with_e_id_and_nora_is_refused(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
    settings: Any,
    width: int,
    language: str,
) -> None:
    declared = language == "nb"
    settings.MEDVIRK_RESIDENCE_PROVIDER = DECLARED if declared else TEST_RESIDENCE
    vote = make_instance(org, settings={"turnout_floor": 25})
    announce(vote, officer)
    _language(page, live_server, language, width)

    page.goto(vote.url())
    assert page.get_attribute("html", "lang") == language
    _check(page)
    assert page.locator("#floor").is_visible()
    _e_id(page, "kari")
    assert page.url.endswith(vote.url())
    _check(page)

    # Sent without a choice: the error summary, nothing stored.
    with page.expect_navigation():
        page.locator("#ballot-form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    _check(page)
    assert not Ballot.objects.exists()

    page.locator("#id_choice_1").check()
    if declared:
        page.select_option("#id_district", "Kaia")
        page.check("#id_lives_here")
    else:
        assert page.locator("#id_lives_here").count() == 0  # the register knows
    with page.expect_navigation():
        page.locator("#ballot-form button[type=submit]").click()
    page.wait_for_url("**/kvittering/")
    _check(page)
    assert page.locator("#receipt").is_visible()
    ballot = Ballot.objects.get()
    assert ballot.option_id == actions.options_of(vote.referendum)[1].pk
    assert ballot.district == ("Kaia" if declared else "Sentrum")
    assert RollEntry.objects.count() == 1

    page.goto(vote.url())
    assert page.locator("#voted").is_visible()
    _check(page)

    # Nora, fourteen: the page says why she cannot vote.
    page.context.clear_cookies()
    _language(page, live_server, language, width)
    page.goto(vote.url())
    _e_id(page, "nora")
    assert page.locator("#refusal").is_visible()
    assert "16" in page.locator("#refusal").inner_text()
    assert page.locator("#ballot-form").count() == 0
    _check(page)
    assert Ballot.objects.count() == 1


@pytest.mark.parametrize("width", [1280, 375])
def test_the_receipt_with_a_change_code_and_the_result_pass_axe(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
    width: int,
) -> None:
    vote = make_instance(org, settings={"revote": True})
    now = timezone.now()
    announce(vote, officer, opens=now - DAY, closes=now + DAY)
    for n in range(6):
        vote_as(vote, voter(), actions.options_of(vote.referendum)[n % 2].pk)
    person = voter()
    _language(page, live_server, "nn", width)
    _log_in(page, live_server, person)
    page.goto(vote.url())
    page.locator("#id_choice_0").check()
    page.check("#id_lives_here")
    page.select_option("#id_district", "Sentrum")
    with page.expect_navigation():
        page.locator("#ballot-form button[type=submit]").click()
    assert page.locator("#code").is_visible()
    _check(page)
    code = page.locator("#code").inner_text()
    page.goto(vote.url())
    assert page.locator("#endre").is_visible()
    page.fill("#change_code", "feil")
    with page.expect_navigation():
        page.locator("#endre button[type=submit]").click()
    assert page.locator("#change-errors").is_visible()
    _check(page)
    page.fill("#change_code", code)
    page.locator("#change_choice_1").check()
    with page.expect_navigation():
        page.locator("#endre button[type=submit]").click()
    assert page.locator("#code").inner_text() != code
    staff_actions.do_close(officer, vote.instance, now=now + 2 * DAY)
    page.goto(vote.url())
    _check(page)
    page.goto(vote.url("results"))
    _check(page)
    assert page.locator("#districts").is_visible()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_staff_pages_pass_axe(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
    second: User,
    width: int,
) -> None:
    _language(page, live_server, "nn", width)
    _log_in(page, live_server, officer)
    draft = make_instance(org)
    page.goto(draft.editor_url)
    _check(page)
    page.fill("#id_options", "Ja")
    with page.expect_navigation():
        page.locator("#edit-form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    _check(page)

    vote = make_instance(org, settings={"paper": True})
    now = timezone.now()
    announce(vote, officer, places=True, opens=now - DAY, closes=now + DAY)
    page.goto(vote.editor_url)
    _check(page)
    page.goto(vote.url("staff_paper"))
    _check(page)
    page.fill("#id_national_id", "01819012366")
    with page.expect_navigation():
        page.locator("#mark-form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    _check(page)

    later = now + 2 * DAY
    y, n = actions.options_of(vote.referendum)
    staff_actions.do_enter_paper(
        officer,
        vote.instance,
        "grendehus",
        {"options": {str(y.pk): 5, str(n.pk): 2}, "blank": 0, "rejected": 0},
        now=later,
    )
    staff_actions.do_enter_paper(
        second,
        vote.instance,
        "grendehus",
        {"options": {str(y.pk): 5, str(n.pk): 3}, "blank": 0, "rejected": 0},
        now=later,
    )
    # Voting has ended for the pages: move the period into the past.
    referendum = vote.referendum
    referendum.closes_at = now - DAY / 24
    referendum.opens_at = now - 2 * DAY
    referendum.save()
    page.goto(vote.url("staff_place", place="grendehus"))
    assert page.locator("#mismatch").is_visible()
    _check(page)
    page.goto(vote.editor_url)
    assert page.locator("#close-form").is_visible()
    _check(page)
