"""Innbyggerforslag in a real browser at 1280 and 375 px, in bokmål and nynorsk: a resident
logs in with the test e-ID, signs a proposal and withdraws the signature (in bokmål with a
declared address, in nynorsk checked against the test register); and the staff's pages.

Every page passes axe (WCAG 2.1 A/AA) and none scrolls sideways.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from medvirk.identity.models import User
from medvirk.methods.initiative import staff_actions
from medvirk.methods.initiative.models import Signature
from medvirk.methods.initiative.staff_actions import PaperRow
from medvirk.organisations.models import Municipality
from tests import factories
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check

from .conftest import DECLARED, TEST_RESIDENCE, collecting, make_instance, propose, sign_many

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
        [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.set_viewport_size({"width": width, "height": 900})


def _log_in_as_staff(page: Page, live_server: Any, person: User) -> None:  # noqa: F811
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


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("width", [1280, 375])
def test_a_resident_signs_with_e_id_and_withdraws(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
    settings: Any,
    width: int,
    language: str,
) -> None:
    declared = language == "nb"
    initiatives = make_instance(org)
    initiative = collecting(
        initiatives.instance,
        officer,
        title="Gatelys langs skulevegen til Nordbygda – trygg veg for borna heile vinteren",
    )
    sign_many(initiatives.instance, initiative, 6)  # they declared their addresses
    settings.MEDVIRK_RESIDENCE_PROVIDER = DECLARED if declared else TEST_RESIDENCE
    _language(page, live_server, language, width)

    page.goto(initiatives.url())
    assert page.get_attribute("html", "lang") == language
    _check(page)
    page.locator(f"#forslag-{initiative.pk} h3 a").click()
    page.wait_for_load_state()
    _check(page)
    assert "6" in page.locator(".initiative-progress__text").first.inner_text()

    # Not logged in: the way to the e-ID, and back to the proposal afterwards.
    page.locator("#login-to-sign").click()
    page.wait_for_load_state()
    page.locator("a[href*='/konto/eid/test/start/']").click()
    page.wait_for_url("**/konto/eid/test/**")
    _check(page)
    page.check("input[name=person][value=kari]")
    page.check("input[name=level][value=idporten-loa-high]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/{initiative.pk}/")
    _check(page)

    # Sent without ticking: a clear message, nothing stored.
    with page.expect_navigation():
        page.locator("#sign-form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    _check(page)
    assert Signature.objects.filter(initiative=initiative).count() == 6

    if declared:
        page.fill("#id_address", "Skulevegen 4, Lillevik")
        page.check("#id_lives_here")
    else:
        assert page.locator("#id_address").count() == 0  # the register knows where Kari lives
    page.check("#id_support")
    page.locator("#sign-form button[type=submit]").click()
    page.wait_for_url("**#din-underskrift")
    _check(page)
    assert page.locator("#signed").is_visible()
    assert Signature.objects.filter(initiative=initiative).count() == 7
    mine = Signature.objects.get(initiative=initiative, user__username__startswith="eid-")
    assert mine.address == ("Skulevegen 4, Lillevik" if declared else "")
    assert mine.language == language

    with page.expect_navigation():
        page.locator("#withdraw-form button[type=submit]").click()
    _check(page)
    assert page.locator("#sign-form").is_visible()
    assert Signature.objects.filter(initiative=initiative).count() == 6


@pytest.mark.parametrize("width", [1280, 375])
def test_writing_a_proposal_passes_axe(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    width: int,
) -> None:
    initiatives = make_instance(org)
    _language(page, live_server, "nn", width)
    person = factories.user(
        "forslagsstillar",
        national_id_hash="f" * 64,
        verified_at=dt.datetime.now(dt.UTC),
        verified_via="test",
    )
    _log_in_as_staff(page, live_server, person)
    page.goto(initiatives.url("propose"))
    _check(page)
    with page.expect_navigation():
        page.locator("#propose-form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    _check(page)
    page.fill("#id_title", "Badeplass ved Lillevatnet")
    page.fill(
        "#id_text",
        "Lillevatnet er mykje brukt om sommaren. Kommunen bør lage ein enkel badeplass med "
        "brygge og benkar ved nordenden av vatnet.",
    )
    page.fill("#id_contact_email", "forslag@example.org")
    page.locator("#propose-form button[type=submit]").click()
    page.wait_for_url("**/kvittering/**")
    _check(page)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_staff_pages_pass_axe(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
    width: int,
) -> None:
    initiatives = make_instance(org)
    earlier = collecting(initiatives.instance, officer, title="Gatelys langs skulevegen")
    sign_many(initiatives.instance, earlier, 3)
    staff_actions.do_register_paper(
        officer,
        earlier,
        [PaperRow("Olav Haugland", "Nordbygdvegen 31, Lillevik", dt.date(1941, 3, 14))],
        checked=True,
    )
    waiting = propose(initiatives.instance, title="Lys på skulevegen frå Nordbygda")
    small = factories.municipality("Smaavik", inhabitants=50)
    small_officer = factories.staff(small)
    small_instance = make_instance(small)
    delivered = collecting(small_instance.instance, small_officer)
    sign_many(small_instance.instance, delivered, 1)

    _language(page, live_server, "nn", width)
    _log_in_as_staff(page, live_server, officer)
    instance = initiatives.instance
    page.goto(f"/stab/sak/{instance.process_id}/metode/{instance.pk}/innhald/")
    _check(page)
    page.goto(initiatives.url("staff_initiative", pk=waiting.pk))
    _check(page)
    assert "Gatelys langs skulevegen" in page.locator("#liknande").inner_text()
    page.goto(initiatives.url("staff_initiative", pk=earlier.pk))
    _check(page)
    page.goto(initiatives.url("staff_paper", pk=earlier.pk))
    _check(page)
    with page.expect_navigation():
        page.locator("#paper-form button[type=submit]").click()
    _check(page)  # the error summary
    _log_in_as_staff(page, live_server, small_officer)
    page.goto(small_instance.url("staff_initiative", pk=delivered.pk))
    _check(page)
    assert page.locator("#position-form").is_visible()
    page.goto(small_instance.url("initiative", pk=delivered.pk))
    _check(page)
    assert page.locator("#deadline").is_visible()
