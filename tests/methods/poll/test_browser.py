"""The quick poll in a real browser at 1280 and 375 px: a resident votes and sees the
result; the embed and the staff editor pass axe too."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from medvirk.demo.loader import DEMO_LOGINS, load_demo
from medvirk.methods.poll.models import PollVote
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page: Page) -> None:  # noqa: F811
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"


@pytest.mark.parametrize("width", [1280, 375])
def test_a_resident_votes_and_sees_the_result(page: Page, width: int) -> None:  # noqa: F811
    load_demo()
    page.set_viewport_size({"width": width, "height": 900})
    instance = MethodInstance.objects.get(method_key="poll")
    before = PollVote.objects.count()

    page.goto(registry.get("poll").url(instance, "embed"))
    axe_check(page)
    _no_sideways_scroll(page)

    page.goto(instance.get_absolute_url())
    axe_check(page)
    _no_sideways_scroll(page)
    assert page.locator("#poll-result").count() == 0
    # Sending without a choice: a clear message, nothing stored.
    page.locator("#poll-form button[type=submit]").click()
    assert page.locator("#poll-error").is_visible()
    axe_check(page)
    page.get_by_label("Godt inneklima").check()
    page.locator("#poll-form button[type=submit]").click()
    page.wait_for_selector("#poll-result")
    axe_check(page)
    _no_sideways_scroll(page)
    assert page.locator('#poll-result svg[role="img"]').count() == 1
    assert page.locator("#poll-result table tbody tr").count() == 4
    assert page.locator("#own-vote").is_visible()
    assert PollVote.objects.count() == before + 1
    # The chart's labels are at least 12 px.
    sizes = page.locator("#poll-result svg text").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 12

    # The staff editor, with its results and embed code.
    login = next(x for x in DEMO_LOGINS if x.username == "admin")
    page.goto("/konto/logg-inn/")
    page.fill("#id_username", login.username)
    page.fill("#id_password", login.password)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    page.goto(f"/stab/sak/{instance.process_id}/metode/{instance.pk}/innhald/")
    axe_check(page)
    _no_sideways_scroll(page)
    assert "hurtigavstemming/embed/" in page.locator("#embed-snippet").input_value()
