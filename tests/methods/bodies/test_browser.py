"""Councils and committees in a real browser at 1280 and 375 px, in bokmål and nynorsk: the
ungdomsråd's secretary registers its statement, and a resident finds it on the case (the
case page's card, the list of bodies asked, the body's own page); and the staff's pages.

Every page passes axe (WCAG 2.1 A/AA) and none scrolls sideways.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from medvirk.identity.models import User
from medvirk.methods.bodies import staff_actions
from medvirk.methods.bodies.models import BodyKind, MemberRole, Statement
from medvirk.organisations.models import Municipality
from tests import factories
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check

from .conftest import ask, make_body, make_instance, make_meeting, make_member

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATEMENT = (
    "Ungdomsrådet rår kommunestyret til å byggje ny skule i Lillevik, med eit uteområde som "
    "er ope for ungdom etter skuletid."
)


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


def _log_out(page: Page) -> None:  # noqa: F811
    page.context.clear_cookies()


def _world(org: Municipality) -> tuple[Any, Any, User]:
    statements = make_instance(org)
    youth = make_body(org)
    make_member(youth, "Emma Haugland", MemberRole.CHAIR, represents="Nordvik ungdomsskule")
    make_member(youth, "Ida Strand", MemberRole.MEMBER, name_public=False, represents="8. trinn")
    secretary = factories.user("sekretaer-ungdomsrad")
    make_member(youth, "Sigrid Vik", MemberRole.SECRETARY, user=secretary, term_days=None)
    held = make_meeting(
        youth,
        days=-5,
        place="Ungdomshuset, Lillevik",
        items=(
            ("US 6/26", "Godkjenning av innkalling og sakliste"),
            ("US 7/26", "Framtida for Lillevik skule – uttale til kommunestyret"),
        ),
    )
    staff_actions.do_save_minutes(None, held, "US 7/26: Uttalen vart vedteken samrøystes.")
    make_meeting(youth, days=12, items=(("US 9/26", "Årsmelding"),))
    ask(statements, youth, days=7)
    elderly = make_body(org, "Lillevik eldreråd", BodyKind.ELDERLY_COUNCIL)
    ask(statements, elderly, days=20)
    return statements, youth, secretary


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("width", [1280, 375])
def test_the_secretary_registers_the_statement_and_it_shows_on_the_case(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    width: int,
    language: str,
) -> None:
    statements, youth, secretary = _world(org)
    _language(page, live_server, language, width)
    _log_in(page, live_server, secretary)

    page.goto(statements.url())
    assert page.get_attribute("html", "lang") == language
    _check(page)
    page.locator(f"#organ-{youth.slug} a.ds-button").click()
    page.wait_for_load_state()
    _check(page)

    # Sent empty: the error summary, nothing stored.
    with page.expect_navigation():
        page.locator("#statement-form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    _check(page)
    assert not Statement.objects.exists()

    page.fill("#id_text", STATEMENT)
    page.select_option("#id_meeting", index=1)
    page.select_option(
        "#id_agenda_item", label="US 7/26 Framtida for Lillevik skule – uttale til kommunestyret"
    )
    with page.expect_navigation():
        page.locator("#statement-form button[type=submit]").click()
    statement = Statement.objects.get()
    assert statement.contribution.text == STATEMENT
    assert statement.agenda_item is not None and statement.agenda_item.case_reference == "US 7/26"
    _check(page)  # the receipt

    # A resident finds it on the case.
    _log_out(page)
    _language(page, live_server, language, width)
    page.goto(statements.instance.process.get_absolute_url())
    _check(page)
    card = page.locator(".ds-card", has=page.locator(f'a[href="{statements.url()}"]')).first
    assert "1" in card.inner_text()
    card.locator("a.ds-button").click()
    page.wait_for_load_state()
    _check(page)
    assert STATEMENT in page.locator(f"#organ-{youth.slug}").inner_text()
    assert "Lillevik eldreråd" in page.inner_text("main")

    page.locator(f"#organ-{youth.slug} h3 a").click()
    page.wait_for_load_state()
    _check(page)
    text = page.inner_text("main")
    assert "Emma Haugland" in text and "Ida Strand" not in text
    assert STATEMENT in text
    minutes = page.locator("#held ~ ul details").first
    assert "samrøystes" in (minutes.text_content() or "")
    minutes.locator("summary").click()
    _check(page)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_staff_pages(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
    width: int,
) -> None:
    statements, youth, _secretary = _world(org)
    _language(page, live_server, "nn", width)
    _log_in(page, live_server, officer)
    page.goto(statements.url())
    page.get_by_role("link", name="Manage the bodies asked (staff)").or_(
        page.locator(f'a[href*="/metode/{statements.instance.pk}/innhald/"]')
    ).first.click()
    page.wait_for_load_state()
    _check(page)
    page.goto(statements.url("staff_body", pk=youth.pk))
    _check(page)
    meeting = youth.meetings.order_by("starts_at").first()
    page.goto(statements.url("staff_meeting", pk=youth.pk, meeting=meeting.pk))
    _check(page)
    member = youth.members.order_by("pk").first()
    page.goto(statements.url("staff_member", pk=youth.pk, member=member.pk))
    _check(page)
    page.goto(statements.url("staff_body_new"))
    _check(page)
    with page.expect_navigation():
        page.locator("#body-form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    _check(page)
    page.goto(statements.url("statement", slug=youth.slug))
    _check(page)
