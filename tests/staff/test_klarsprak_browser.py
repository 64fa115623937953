"""klarsprak.js in Chromium: typing updates the live region through the same-origin script."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests import factories
from tests.browser.conftest import browser, page  # noqa: F401  (fixtures)
from tests.browser.helpers import axe_check

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.staff.klarsprak_urls"),
]


def test_typing_shows_the_check(page: Any, live_server: Any) -> None:  # noqa: F811
    officer = factories.staff(factories.municipality("Lillevik"))
    client = Client()
    client.force_login(officer)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto("/test-editor/")
    region = page.locator("#klarsprak-id_summary")
    assert region.get_attribute("aria-live") == "polite"
    page.fill(
        "#id_summary",
        "Kommunestyret skal bestemme hva som skjer med Lillevik skole. "
        "Bygningen er i svært dårlig stand. Vi vil høre hva du mener!",
    )
    # 21 words, 3 sentences, 4 long: LIX 26,0 (the page is in Norwegian bokmål, nb).
    region.locator("strong").wait_for()
    assert "26,0" in region.inner_text()
    # Typing a very long word updates it again.
    page.locator("#id_summary").press_sequentially(" Skolebruksplanarbeidet.")
    page.locator("#klarsprak-id_summary li").first.wait_for()
    assert "Skolebruksplanarbeidet" in region.inner_text()
    assert page.console_errors == []
    # The filled-in check passes WCAG 2.1 AA (contrast of the band tag included).
    axe_check(page)
    # A very hard text (LIX 86,3) with its danger-coloured tag passes too.
    page.fill(
        "#id_summary", "Kommunestyret vedtok utredningen. Innbyggerne forventer oppgradering."
    )
    page.get_by_text("86,3").wait_for()
    axe_check(page)
