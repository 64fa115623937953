"""The panel's member pages in a real browser, at 1280 and 375 px, in bokmål and nynorsk:
a resident logs in from the panel page, joins with a profile (after a refused first try),
sees and changes the profile, and leaves. Every page passes axe and does not scroll
sideways."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings

from medvirk.methods.panel import dimensions
from medvirk.methods.panel.models import Dimension, PanelMember
from medvirk.organisations.models import Municipality
from medvirk.processes.models import MethodInstance
from tests import factories
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check
from tests.methods.panel.conftest import panel_url

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "panel-Pass-2025!"


def _no_sideways_scroll(page: Page) -> None:  # noqa: F811
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"


def _check(page: Page, lang: str) -> None:  # noqa: F811
    assert page.locator("html").get_attribute("lang") == lang
    axe_check(page)
    _no_sideways_scroll(page)


@pytest.mark.parametrize("lang", ["nb", "nn"])
@pytest.mark.parametrize("width", [1280, 375])
def test_a_resident_joins_changes_the_profile_and_leaves(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    panel_instance: MethodInstance,
    width: int,
    lang: str,
) -> None:
    dimensions.ensure_defaults(org)
    Dimension.objects.filter(municipality=org, key="krins").update(
        options=[
            {"key": "sentrum", "label": "Lillevik sentrum"},
            {"key": "nordvik", "label": "Nordvik"},
        ]
    )
    person = factories.user("kari", password=PASSWORD, email_verified=True, preferred_language=lang)
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}]
    )

    # The panel page, not logged in: what the panel is, and "log in to join".
    page.goto(panel_url(panel_instance))
    _check(page, lang)
    assert page.locator("#panel-organ").is_visible()
    page.locator("#panel-login-link").click()
    page.fill("#id_username", "kari")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**{panel_url(panel_instance, 'join')}")

    # The join form; sending it without the consent is refused, and the choices are kept.
    _check(page, lang)
    page.locator("label[for=id_q-alder_2]").click()
    page.locator("label[for=id_q-kjonn_1]").click()
    page.locator("label[for=id_q-krins_2]").click()
    page.locator("label[for=id_of_age]").click()
    page.locator("#panel-join-form button[type=submit]").click()
    page.wait_for_selector("#error-summary")
    _check(page, lang)
    assert not PanelMember.objects.exists()
    assert page.locator("#id_q-kjonn_1").is_checked()
    page.locator("#error-summary a[href='#id_consent']").click()
    assert page.evaluate("document.activeElement.id") == "id_consent"
    assert page.locator("#id_of_age").is_checked()
    page.locator("label[for=id_consent]").click()
    page.locator("#panel-join-form button[type=submit]").click()
    page.wait_for_url(f"**{panel_url(panel_instance, 'profile')}")

    # The profile: the code and the answers.
    _check(page, lang)
    member = PanelMember.objects.get(user=person)
    assert member.profile == {"alder": "25-34", "kjonn": "female", "krins": "nordvik"}
    assert page.locator("#panel-code").inner_text() == member.code
    assert "Nordvik" in page.locator("#panel-answers").inner_text()

    # Changing an answer, and taking one back.
    page.locator("#panel-change summary").click()
    _check(page, lang)
    # check() clicks and then waits until the radio is checked: a click that landed while
    # the opened section was still moving would otherwise send the old answers.
    page.locator("#id_q-krins_1").check()
    page.locator("#id_q-kjonn_0").check()
    with page.expect_navigation():
        page.locator("#panel-profile-form button[type=submit]").click()
    _check(page, lang)
    member.refresh_from_db()
    assert member.profile == {"alder": "25-34", "krins": "sentrum"}
    assert "Lillevik sentrum" in page.locator("#panel-answers").inner_text()

    # The panel page now shows the membership.
    page.goto(panel_url(panel_instance))
    _check(page, lang)
    assert member.code in page.locator("#panel-membership").inner_text()
    page.locator("#panel-profile-link").click()
    page.wait_for_url(f"**{panel_url(panel_instance, 'profile')}")

    # Leaving: a confirmation page, then the membership is gone.
    page.locator("#panel-leave-link").click()
    page.wait_for_url(f"**{panel_url(panel_instance, 'leave')}")
    _check(page, lang)
    page.locator("#panel-leave-form button[type=submit]").click()
    page.wait_for_url(f"**{panel_url(panel_instance)}")
    _check(page, lang)
    assert not PanelMember.objects.exists()
    assert page.locator("#panel-join-link").is_visible()
