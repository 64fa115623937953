"""The meeting method in a real browser at 1280 and 375 px, in bokmål and nynorsk: a
resident registers for a meeting with a need; a gjestebod host reports three results
through the private link, and a case officer finds them in the inbox.

Every page passes axe (WCAG 2.1 A/AA) and none scrolls sideways.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test import Client

from medvirk.contributions.models import Channel, Contribution
from medvirk.identity.models import User
from medvirk.methods.meeting import links
from medvirk.methods.meeting.models import Format, Registration
from medvirk.organisations.models import Municipality
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check
from tests.methods.meeting.conftest import make_instance, make_meeting

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


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("width", [1280, 375])
def test_a_resident_registers_for_a_meeting_with_a_need(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    width: int,
    language: str,
) -> None:
    meetings = make_instance(org)
    meeting = make_meeting(
        meetings.instance,
        capacity=30,
        accessibility="Rampe ved hovudinngangen.",
        digital_link="https://lillevik.example.org/direkte/folkemote-om-skulen-og-framtida",
    )
    make_meeting(meetings.instance, title="Held before", days=-7)
    _language(page, live_server, language, width)

    page.goto(meetings.url())
    assert page.get_attribute("html", "lang") == language
    _check(page)
    page.locator(f"#mote-{meeting.pk} a.ds-button").click()
    page.wait_for_load_state()
    _check(page)

    # Sent empty: a clear message, nothing stored.
    with page.expect_navigation():
        page.locator("#register-form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    _check(page)
    assert Registration.objects.count() == 0

    page.fill("#id_name", "Saba Tesfay")
    page.fill("#id_email", "saba@example.org")
    page.check("#id_interpreter")
    page.fill("#id_interpreter_language", "Tigrinja")
    page.check("#id_step_free")
    page.locator("#register-form button[type=submit]").click()
    page.wait_for_url("**/pamelding/**")
    _check(page)
    assert page.locator("#registration-status").is_visible()
    assert "Tigrinja" in page.locator("main").inner_text()
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.REGISTERED
    assert registration.needs == {"interpreter": "Tigrinja", "step_free": True}
    assert registration.language == language

    # The meeting's own page, with the place counted.
    page.goto(meetings.url("meeting", pk=meeting.pk))
    _check(page)
    assert "29" in page.locator(".meeting-facts").first.inner_text()


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("width", [1280, 375])
def test_a_gjestebod_host_reports_three_results_that_reach_the_inbox(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
    width: int,
    language: str,
) -> None:
    meetings = make_instance(org)
    meeting = make_meeting(
        meetings.instance,
        format=Format.HOSTED,
        title="Gjestebod i Nordbygda",
        place_name="Nordbygda",
        address="",
        host_name="Aslaug Nordbø",
        host_email="aslaug@example.org",
        days=-2,
    )
    _language(page, live_server, language, width)

    page.goto(links.host_path(meeting))
    assert page.get_attribute("html", "lang") == language
    _check(page)
    assert page.locator("#link-is-permission").is_visible()

    page.fill("#id_guests", "7")
    page.fill("#id_resultat-0-text", "Gjestene vil ha skulen i bygda.")
    page.select_option("#id_resultat-1-type", "priority")
    page.fill("#id_resultat-1-rank", "1")
    page.fill("#id_resultat-1-text", "Trygg skuleveg er viktigast.")
    page.select_option("#id_resultat-2-type", "postit")
    page.fill("#id_resultat-2-text", "Eit bibliotek for vaksne òg.")
    page.locator("#results-form button[type=submit]").click()
    page.wait_for_url("**/vert/**")
    _check(page)
    assert page.locator("#reported .result").count() == 3
    results = Contribution.objects.filter(data__meeting=meeting.pk)
    assert results.count() == 3
    assert {r.channel for r in results} == {Channel.MEETING}

    # A case officer finds them in the inbox, filtered by the channel "meeting".
    staff = Client()
    staff.force_login(officer)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": staff.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"/stab/sak/{meetings.instance.process_id}/innspel/?kanal=meeting")
    _check(page)
    main = page.locator("main").inner_text()
    for text in (
        "Gjestene vil ha skulen i bygda.",
        "Trygg skuleveg er viktigast.",
        "Eit bibliotek",
    ):
        assert text in main
    # The staff page of the meeting's results, too.
    page.goto(meetings.url("staff_results", pk=meeting.pk))
    _check(page)
    assert page.locator("#registered ~ * .result, .result").count() >= 3


@pytest.mark.parametrize("width", [1280, 375])
def test_the_staff_pages_and_the_kit_pass_axe(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
    width: int,
) -> None:
    meetings = make_instance(org)
    upcoming = make_meeting(meetings.instance, capacity=1)
    workshop = make_meeting(
        meetings.instance, format=Format.FUTURE_WORKSHOP, title="Framtidsverkstad", days=-3
    )
    for n in range(2):
        Client().post(
            meetings.url("register", pk=upcoming.pk),
            {
                "name": f"Person {n}",
                "email": f"p{n}@example.org",
                "interpreter": "on",
                "interpreter_language": "Somali",
                "step_free": "on",
            },
        )
    _language(page, live_server, "nn", width)
    staff = Client()
    staff.force_login(officer)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": staff.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    editor = f"/stab/sak/{meetings.instance.process_id}/metode/{meetings.instance.pk}/innhald/"
    for url in (
        editor,
        meetings.url("staff_new"),
        meetings.url("staff_meeting", pk=upcoming.pk),
        meetings.url("staff_registrations", pk=upcoming.pk),
        meetings.url("staff_results", pk=workshop.pk),
        meetings.url("kit"),
        meetings.url("meeting", pk=workshop.pk),
    ):
        page.goto(url)
        _check(page)
    # A meeting saved with a mistake: the error summary, still accessible.
    page.goto(meetings.url("staff_new"))
    page.fill("#id_meeting-title", "Kafé")
    with page.expect_navigation():
        page.locator("#meeting-form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    _check(page)
    # Results with a mistake in one row.
    page.goto(meetings.url("staff_results", pk=workshop.pk))
    page.fill("#id_resultat-0-text", "Utan fase")
    with page.expect_navigation():
        page.locator("#results-form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    _check(page)
