"""A case officer in a real browser: «Foreslå tema» over the case's input, accept the first
suggestion under an edited name, open the theme list, and answer every input of the theme
with one text after a preview. axe on every page at 1280 px."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from medvirk.accountability.models import Response
from medvirk.contributions.models import Theme
from tests import factories
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check
from tests.themes.conftest import planted_input

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Kommunestyret har ikkje vedteke å leggje ned skulen. Innspela går inn i utgreiinga."


def test_officer_accepts_a_suggested_theme_and_answers_all_its_input(
    page: Page,  # noqa: F811
    live_server: Any,
) -> None:
    w = factories.world()
    planted_input(w, 40)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/konto/logg-inn/")
    page.fill("#id_username", w.officer.username)
    page.fill("#id_password", "pw")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    # From the inbox to the suggestions.
    page.goto(f"/stab/sak/{w.process.pk}/innspel/")
    with page.expect_navigation():
        page.locator(f"a[href='/stab/sak/{w.process.pk}/innspel/tema/forslag/']").click()
    axe_check(page)
    first = page.locator("#suggestion-0")
    assert first.locator("ul li").count() == 3  # three examples
    page.fill("#id_s0-name", "Nedlegging og bygda")
    with page.expect_navigation():
        first.locator("button[type=submit]").click()
    theme = Theme.objects.get(process=w.process, name="Nedlegging og bygda")
    members = set(theme.contributions.values_list("pk", flat=True))
    assert len(members) >= 5
    assert page.url.endswith(f"/innspel/gruppe/{theme.pk}/")
    axe_check(page)

    # The theme list with its counts.
    page.goto(f"/stab/sak/{w.process.pk}/innspel/tema/")
    axe_check(page)
    assert f"\t{len(members)} " in page.locator("main table").inner_text()

    # One answer to all of it, after a preview.
    with page.expect_navigation():
        page.locator(f"main table a[href$='/innspel/gruppe/{theme.pk}/']").click()
    page.select_option("#id_status", "under_review")
    page.fill("#id_reason", REASON)
    with page.expect_navigation():
        page.locator("button[name=then][value=preview]").click()
    axe_check(page)
    assert Response.objects.filter(reason=REASON).count() == 0  # the preview sent nothing
    with page.expect_navigation():
        page.locator("button[name=then][value=send]").click()
    answered = set(Response.objects.filter(reason=REASON).values_list("contribution_id", flat=True))
    assert answered == members
    axe_check(page)
