"""The idea board in a real browser at 1280 and 375 px, in bokmål and nynorsk: a resident
puts forward an idea and supports another; a case officer takes it up in a case and
answers it in the inbox; the resident then reads the state, the link and the answer.

Every page passes axe (WCAG 2.1 A/AA) and none scrolls sideways.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test import Client

from medvirk.accountability.models import Response
from medvirk.identity.models import User
from medvirk.methods.ideas import staff_actions
from medvirk.methods.ideas.models import Idea, Outcome, Support
from medvirk.organisations.models import Municipality
from tests import factories
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check
from tests.methods.ideas.conftest import make_board

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page: Page) -> None:  # noqa: F811
    """axe on the page, and no sideways scroll at this width."""
    axe_check(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} scrolls sideways by {overflow}px"


def _language(page: Page, live_server: Any, language: str, width: int) -> None:  # noqa: F811
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.set_viewport_size({"width": width, "height": 900})


def _as(page: Page, live_server: Any, user: User) -> None:  # noqa: F811
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("width", [1280, 375])
def test_an_idea_is_supported_taken_up_in_a_case_and_answered(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
    width: int,
    language: str,
) -> None:
    board = make_board(org)
    neighbour = board.idea(
        "Badeplass med brygge i Vikabukta",
        "Ein enkel badeplass med brygge, benkar og toalett om sommaren.",
        category="Outdoor areas",
        author_name="Per Ås",
        show_name=True,
    )
    board.supporters(neighbour, 6)
    other_case = factories.process(org, title="Trafikktryggleiksplan for Lillevik")
    _language(page, live_server, language, width)

    # The board, and a new idea: first sent empty, then filled in.
    page.goto(board.url())
    assert page.get_attribute("html", "lang") == language
    _check(page)
    page.locator("#propose").click()
    page.wait_for_url("**/ny/")
    _check(page)
    with page.expect_navigation():
        page.locator("#idea-form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    _check(page)
    assert not Idea.objects.filter(title__startswith="Lys").exists()
    page.fill("#id_title", "Lys langs skulevegen")
    page.fill("#id_text", "Det er mørkt om morgonen.\n\nSet opp lys frå krysset til skulen.")
    page.select_option("#id_category", "Roads and traffic")
    page.fill("#id_author_name", "Ingrid Haugland")
    page.check("#id_show_name")
    page.locator("#idea-form button[type=submit]").click()
    page.wait_for_url("**/ide/*/")
    _check(page)
    idea = Idea.objects.get(title="Lys langs skulevegen")
    assert page.locator("#own-receipt").is_visible()

    # Supporting the neighbour's idea from the board; the count stays rounded publicly.
    page.goto(board.url())
    page.locator(f"#ide-{neighbour.pk} form.idea-support button").click()
    page.wait_for_load_state()
    _check(page)
    assert Support.objects.filter(idea=neighbour).count() == 7
    assert "7" in page.locator(f"#ide-{neighbour.pk} .idea-counts").inner_text()
    # Supporting one's own idea on its page, and once only.
    page.goto(board.url("idea", pk=idea.pk))
    page.locator("#support form.idea-support button").click()
    page.wait_for_load_state()
    _check(page)
    assert Support.objects.filter(idea=idea).count() == 1
    assert page.locator("#support button[value=withdraw]").is_visible()

    # A case officer takes it up in a case and answers it in the inbox.
    staff_page = page.context.new_page()
    _as(staff_page, live_server, officer)
    staff_page.set_viewport_size({"width": width, "height": 900})
    staff_page.goto(board.editor_url())
    _check(staff_page)
    staff_page.locator(f"#ide-{idea.pk} a").first.click()
    staff_page.wait_for_url("**/stab/ide/*/")
    _check(staff_page)
    staff_page.locator("#move-form button[type=submit]").click()  # no case chosen yet
    staff_page.wait_for_load_state()
    assert staff_page.locator("#error-summary").is_visible()
    _check(staff_page)
    staff_page.select_option("#id_move-process", str(other_case.pk))
    with staff_page.expect_navigation():
        staff_page.locator("#move-form button[type=submit]").click()
    _check(staff_page)
    idea.refresh_from_db()
    assert idea.outcome == Outcome.MOVED and idea.taken_up_in == other_case
    staff_page.goto(f"/stab/innspel/{idea.pk}/")
    _check(staff_page)
    staff_page.select_option("#id_status", "adopted")
    staff_page.fill("#id_reason", "Vi set opp lys langs gangvegen i haust.")
    staff_page.locator("#answer-form button[value=save]").click()
    staff_page.wait_for_load_state()
    _check(staff_page)
    assert Response.objects.get(contribution_id=idea.pk).status == "adopted"
    staff_page.close()

    # The resident reads what happened.
    page.goto(board.url("idea", pk=idea.pk))
    _check(page)
    assert page.locator("#taken-up a").inner_text() == "Trafikktryggleiksplan for Lillevik"
    assert "Vi set opp lys langs gangvegen i haust." in page.locator("#answer").inner_text()
    page.goto(board.url() + "?status=moved")
    _check(page)
    assert page.locator(f"#ide-{idea.pk}").is_visible()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_staff_pages_of_a_merged_idea_and_a_new_case_pass_axe(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
    width: int,
) -> None:
    board = make_board(org)
    kept = board.idea("Lys langs skulevegen", "Det er mørkt.", category="Roads and traffic")
    duplicate = board.idea("Gatelys ved busshaldeplassen", "Mørkt ved bussen.")
    started = board.idea("Ungdomsklubb", "Ein klubb på fredagar.", category="Culture")
    board.supporters(kept, 3)
    board.comment(kept, "Lys med rørslesensor.")
    staff_actions.do_merge(officer, board.instance, duplicate.pk, kept.pk)
    _language(page, live_server, "nn", width)
    _as(page, live_server, officer)
    for url in (
        board.url("idea", pk=kept.pk),
        board.url("idea", pk=duplicate.pk),
        board.url("staff_idea", pk=duplicate.pk),
        board.url("staff_idea", pk=started.pk),
        board.url() + "?status=merged",
    ):
        page.goto(url)
        _check(page)
    page.goto(board.url("staff_idea", pk=started.pk))
    page.fill("#id_case-open_to_influence", "")
    with page.expect_navigation():
        page.locator("#new-case-form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    _check(page)
    page.fill("#id_case-open_to_influence", "Kva klubben skal ha.")
    page.fill("#id_case-decided_by", "Kommunestyret")
    with page.expect_navigation():
        page.locator("#new-case-form button[type=submit]").click()
    _check(page)
    started.refresh_from_db()
    assert started.outcome == Outcome.NEW_CASE
    assert page.locator("#taken-up").is_visible()
