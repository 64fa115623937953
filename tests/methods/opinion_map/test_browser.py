"""The opinion map in a real browser at 1280 and 375 px, in bokmål and nynorsk: a resident
votes on ten statements and sees their group (on the page and on the map); adds a statement
that a moderator approves in the moderation queue, and then votes on it.

Every page passes axe (WCAG 2.1 A/AA) and none scrolls sideways. The map is drawn by the
task as votes come in (in process in tests; by the worker in production).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from medvirk.contributions.models import Contribution, ModerationState
from medvirk.methods.opinion_map import actions
from medvirk.methods.opinion_map.models import Participant, Statement, Vote
from medvirk.organisations.actions import do_grant_role
from medvirk.organisations.models import Municipality, Role
from tests import factories
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check

from .conftest import make_conversation

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Camp A agrees with the even statements, camp B with the odd ones; the visitor votes as B.
NEW = "The gym should be open to clubs in the evenings."


def _check(page: Page) -> None:  # noqa: F811
    axe_check(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} scrolls sideways by {overflow}px"


def _crowd(instance: Any, statements: list[Statement]) -> None:
    rng = random.Random(11)
    for n in range(24):
        camp = n % 2
        votes = {
            s.pk: (1 if (i + camp) % 2 == 0 else -1) if rng.random() > 0.05 else 0
            for i, s in enumerate(statements)
        }
        actions.do_votes(
            AnonymousUser(), instance, votes, session_key=f"crowd-{n}", recompute=False
        )


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("width", [1280, 375])
def test_a_resident_votes_sees_their_group_and_adds_a_statement_a_moderator_approves(
    page: Page,  # noqa: F811
    live_server: Any,
    width: int,
    language: str,
) -> None:
    org: Municipality = factories.municipality("Lillevik", moderation_mode="auto")
    conversation = make_conversation(org)
    instance = conversation.instance
    _crowd(instance, conversation.statements)
    moderator = factories.user("moderator-om", password="pw-moderator-1")
    do_grant_role(factories.administrator(org), org, moderator, Role.MODERATOR)

    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(conversation.url())
    assert page.get_attribute("html", "lang") == language
    _check(page)

    # Ten statements, one at a time: agree with the odd ones, disagree with the even ones.
    for n in range(10):
        text = page.locator("#statement-text").inner_text()
        index = next(i for i, s in enumerate(conversation.statements) if s.text == text)
        page.locator("#vote-agree" if index % 2 else "#vote-disagree").click()
        page.wait_for_load_state()
        if n in (0, 9):
            _check(page)
    assert Vote.objects.filter(participant__method_instance=instance).count() == 24 * 10 + 10
    assert page.locator("#all-done").is_visible()
    # Drawn as the votes came in: the visitor is in a group of people who vote like them.
    assert page.locator("#own-group").is_visible()
    me = (
        Participant.objects.exclude(key__startswith="crowd")
        .filter(method_instance=instance)
        .order_by("-pk")
        .first()
    )
    assert me is not None and me.group is not None

    page.locator("#map-link").click()
    page.wait_for_load_state()
    _check(page)
    assert page.locator('svg.opinion-map__svg[role="img"]').count() == 1
    assert page.locator("#own-group").is_visible()
    assert page.locator("#groups-table tbody tr").count() >= 2
    # Labels in the drawing are at least 12 px on every screen.
    sizes = page.locator("svg.opinion-map__svg text").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert sizes and min(sizes) >= 12

    page.goto(conversation.url("mine"))
    _check(page)
    assert page.locator(".opinion-mine__item").count() == 10

    # A statement of one's own: sent empty first (a clear message), then for real.
    page.goto(conversation.url())
    page.locator("#add-link").click()
    page.wait_for_load_state()
    _check(page)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    _check(page)
    page.fill("#id_text", NEW)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/kvittering/**")
    _check(page)
    contribution = Contribution.objects.get(kind=actions.STATEMENT_KIND)
    assert contribution.moderation == ModerationState.PENDING

    # The moderator approves it in the moderation queue (another browser).
    staff = page.context.browser.new_context(base_url=live_server.url)  # type: ignore[union-attr]
    try:
        staff.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        desk = staff.new_page()
        desk.set_viewport_size({"width": width, "height": 900})
        desk.goto("/konto/logg-inn/")
        desk.fill("#id_username", "moderator-om")
        desk.fill("#id_password", "pw-moderator-1")
        desk.locator("main form button[type=submit]").last.click()
        desk.wait_for_load_state()
        desk.goto(f"/stab/sak/{instance.process_id}/moderering/")
        axe_check(desk)
        desk.locator(f'form[action="/stab/innspel/{contribution.pk}/moderering/"] button').click()
        desk.wait_for_load_state()
    finally:
        staff.close()
    contribution.refresh_from_db()
    assert contribution.moderation == ModerationState.PUBLISHED

    # Now the resident is asked about it.
    page.goto(conversation.url())
    _check(page)
    assert page.locator("#statement-text").inner_text() == NEW
    page.locator("#vote-agree").click()
    page.wait_for_load_state()
    statement = Statement.objects.get(contribution=contribution)
    assert Vote.objects.filter(statement=statement).count() == 1
