"""A case officer in a real browser: duplicates into a group, one answer previewed beside
each input and sent, then "save and next" through the list. axe at 1280 and 375 px."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from medvirk.accountability.models import Response
from medvirk.contributions.models import Theme
from tests import factories
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Vi lagar fortau og gangfelt langs skulevegen i 2027."
NEXT_REASON = "Kostnadane står i utgreiinga, side 4."


def _log_in(page: Page, username: str) -> None:  # noqa: F811
    page.goto("/konto/logg-inn/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _at_375(page: Page, path: str) -> None:  # noqa: F811
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(path)
    axe_check(page)
    # Nothing wider than the screen but the tables' own scrolling regions.
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 375, f"{path} is {overflow}px wide at 375px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_officer_groups_duplicates_answers_the_group_then_saves_and_goes_next(
    page: Page,  # noqa: F811
    live_server: Any,
) -> None:
    w = factories.world()
    road = [
        factories.contribution(w.method, text=f"Skulevegen er farleg for borna ({i}).")
        for i in range(3)
    ]
    cost = factories.contribution(w.method, text="Kva kostar den nye skulen?")
    gym = factories.contribution(w.method, text="Treng vi ny gymsal?")
    _log_in(page, w.officer.username)

    # The inbox: tick the three duplicates and put them into a new duplicate group.
    inbox = f"/stab/sak/{w.process.pk}/innspel/"
    page.goto(inbox)
    axe_check(page)
    for item in road:
        page.locator(f"#pick-{item.pk}").check()
    page.fill("#id_new_name", "Farleg skuleveg")
    page.select_option("#id_kind", "duplicates")
    page.locator("button[name=action][value=add]").click()
    page.wait_for_load_state()
    group = Theme.objects.get(process=w.process, name="Farleg skuleveg")
    assert group.contributions.count() == 3
    axe_check(page)

    # The group page: write the answer, preview it beside each input, send it.
    page.locator(f"a[href$='/innspel/gruppe/{group.pk}/']").first.click()
    page.wait_for_load_state()
    axe_check(page)
    page.select_option("#id_status", "adopted")
    page.fill("#id_reason", REASON)
    page.locator("button[name=then][value=preview]").click()
    page.wait_for_load_state()
    for item in road:
        block = page.locator(f"#input-{item.pk}")
        assert item.text in block.inner_text()
        assert REASON in block.locator(".response").inner_text()
    assert Response.objects.count() == 0  # the preview sent nothing
    axe_check(page)
    preview_url = page.url
    page.locator("button[name=then][value=send]", has_text="3").click()
    page.wait_for_load_state()
    assert {(r.contribution_id, r.reason) for r in Response.objects.all()} == {
        (item.pk, REASON) for item in road
    }

    # Back in the list of what still waits: open the newest and "save and next".
    page.goto(f"{inbox}?vis=unanswered")
    page.locator(f"a[href*='/stab/innspel/{gym.pk}/?vis=unanswered']").click()
    page.wait_for_load_state()
    axe_check(page)
    page.select_option("#id_status", "out_of_scope")
    page.fill("#id_reason", "Gymsalen er ikkje ein del av denne saka.")
    page.locator("button[name=then][value=next]").click()
    page.wait_for_load_state()
    assert f"/stab/innspel/{cost.pk}/" in page.url and "vis=unanswered" in page.url
    assert Response.objects.get(contribution=gym).status == "out_of_scope"
    page.select_option("#id_status", "partly_adopted")
    page.fill("#id_reason", NEXT_REASON)
    page.locator("button[name=then][value=next]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"{inbox}?vis=unanswered")  # that was the last one
    assert Response.objects.get(contribution=cost).reason == NEXT_REASON

    # The same pages at 375 px.
    _at_375(page, f"{inbox}?vis=all")
    _at_375(page, f"/stab/innspel/{cost.pk}/?vis=all")
    _at_375(page, preview_url)
    templates = f"/stab/kommune/{w.org.pk}/svarmalar/"
    page.goto(templates)
    axe_check(page)
    _at_375(page, templates)
