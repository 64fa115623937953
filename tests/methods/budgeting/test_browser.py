"""Participatory budgeting in a real browser at 1280 and 375 px, in bokmål and nynorsk: a
pupil votes with a code on the knapsack ballot (the running total follows the ticks), tries
to go over the budget, changes the vote, and after the close reads the explained result;
and the staff's pages. Every page passes axe (WCAG 2.1 A/AA) and none scrolls sideways.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from medvirk.demo.loader import load_demo
from medvirk.identity.models import User
from medvirk.methods.budgeting import actions, staff_actions
from medvirk.methods.budgeting.models import Ballot, Project, Tally
from medvirk.organisations.models import Municipality
from medvirk.processes.models import MethodInstance
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check

from .conftest import Budget, add, make_budget, make_codes, open_vote

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


def _schoolyard(org: Municipality, officer: User) -> tuple[Budget, dict[str, int], list[str]]:
    budget = make_budget(
        org,
        settings={"voters": "codes", "budget": 200_000, "ballot": "knapsack"},
    )
    numbers = {
        "klatrevegg": add(
            budget, officer, "Klatrevegg ved gymsalen med mjukt underlag", 85_000
        ).number,
        "gapahuk": add(budget, officer, "Gapahuk med benkar", 70_000).number,
        "huske": add(budget, officer, "Fuglereirhuske", 45_000).number,
        "mål": add(budget, officer, "Nye fotballmål", 28_000).number,
    }
    open_vote(budget, officer)
    codes = make_codes(budget, officer, 12)
    # Others have voted already, so the result shows its numbers (five or more).
    for code, choice in zip(
        codes[1:], ["klatrevegg", "huske", "mål", "huske", "gapahuk", "mål"], strict=False
    ):
        actions.do_vote(AnonymousUser(), budget.instance, {numbers[choice]: 1}, code=code)
    return budget, numbers, codes


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("width", [1280, 375])
def test_a_pupil_votes_changes_the_vote_and_reads_the_result(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
    width: int,
    language: str,
) -> None:
    budget, p, codes = _schoolyard(org, officer)
    _language(page, live_server, language, width)

    page.goto(live_server.url + budget.url())
    assert page.get_attribute("html", "lang") == language
    _check(page)
    with page.expect_navigation():
        page.locator("#vote-link").click()
    _check(page)

    # The code from the slip, typed in lower case with a space.
    page.fill("#id_code", codes[0][:4].lower() + " " + codes[0][4:].lower())
    with page.expect_navigation():
        page.locator("#code-form button[type=submit]").click()
    _check(page)
    assert page.locator("#ballot-form").is_visible()

    # The running total follows the ticks (a polite live region), without sending anything.
    page.check(f"#project-{p['klatrevegg']}")
    page.check(f"#project-{p['huske']}")
    total = page.locator("#total-text").inner_text()
    assert "130" in total and "70" in total, total
    page.check(f"#project-{p['gapahuk']}")
    page.check(f"#project-{p['mål']}")
    assert page.locator("#total-over").inner_text() != ""  # 228 000 is over
    _check(page)

    # Over the budget: refused with the numbers, the choices kept, nothing stored.
    with page.expect_navigation():
        page.locator("#cast").click()
    assert page.locator("#error-summary").is_visible()
    assert page.locator(f"#project-{p['gapahuk']}").is_checked()
    _check(page)
    assert (
        not Ballot.objects.filter(choices__has_key=str(p["gapahuk"]))
        .filter(choices__has_key=str(p["klatrevegg"]))
        .exists()
    )

    # Within the budget: stored.
    page.uncheck(f"#project-{p['gapahuk']}")
    page.uncheck(f"#project-{p['mål']}")
    with page.expect_navigation():
        page.locator("#cast").click()
    assert page.locator("#din-stemme").is_visible()
    _check(page)
    assert Ballot.objects.count() == 7

    # Changed: the last vote counts, still one ballot for this code.
    page.uncheck(f"#project-{p['huske']}")
    page.check(f"#project-{p['gapahuk']}")
    page.check(f"#project-{p['mål']}")
    with page.expect_navigation():
        page.locator("#update-total").click()  # the button that works without JavaScript
    assert "183" in page.locator("#total-text").inner_text()
    with page.expect_navigation():
        page.locator("#cast").click()
    assert page.locator("#din-stemme").is_visible()
    assert Ballot.objects.count() == 7
    assert {p["klatrevegg"], p["gapahuk"], p["mål"]} in [
        {int(k) for k in b.choices} for b in Ballot.objects.all()
    ]

    # The municipality closes the vote; the count runs; the result explains every project.
    staff_actions.do_close_vote(officer, budget.instance)
    assert Tally.objects.filter(method_instance=budget.instance).exists()
    page.goto(live_server.url + budget.url())
    _check(page)
    with page.expect_navigation():
        page.locator("#results-link").click()
    _check(page)
    for number in p.values():
        assert page.locator(f"#hvorfor-{number}").is_visible()
    assert page.locator("svg[role=img]").count() == 1
    page.goto(live_server.url + budget.url("project", number=p["klatrevegg"]))
    _check(page)
    assert page.locator("#why").is_visible()


@pytest.mark.parametrize("width", [1280, 375])
def test_a_pupil_without_javascript_updates_the_total(
    browser: Any,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
    width: int,
) -> None:
    budget, p, codes = _schoolyard(org, officer)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        quiet = context.new_page()
        quiet.set_viewport_size({"width": width, "height": 900})
        quiet.goto(budget.url("vote"))
        quiet.fill("#id_code", codes[0])
        with quiet.expect_navigation():
            quiet.locator("#code-form button[type=submit]").click()
        quiet.check(f"#project-{p['klatrevegg']}")
        quiet.check(f"#project-{p['mål']}")
        with quiet.expect_navigation():
            quiet.locator("#update-total").click()
        assert "113" in quiet.locator("#total-text").inner_text()
        assert quiet.locator(f"#project-{p['mål']}").is_checked()
        with quiet.expect_navigation():
            quiet.locator("#cast").click()
        assert quiet.locator("#din-stemme").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_staff_pages_pass_axe(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
    width: int,
) -> None:
    budget = make_budget(
        org, settings={"voters": "codes", "districts": "Sentrum: 100000\nKaia: 50000"}
    )
    idea = actions.do_propose(
        AnonymousUser(),
        budget.instance,
        actions.Idea("Gapahuk ved skulen", "Ein gapahuk for uteskule.", 60_000, "Kaia"),
    ).project
    add(budget, officer, "Benkar på torget", 40_000, "Sentrum")
    staff_actions.do_make_codes(officer, budget.instance, label="7A, Lillevik skule", count=6)
    _language(page, live_server, "nn", width)
    _log_in(page, live_server, officer)
    instance = budget.instance
    for url in (
        f"/stab/sak/{instance.process_id}/metode/{instance.pk}/innhald/",
        budget.url("staff_project", number=idea.number),
        budget.url("staff_add"),
        budget.url("staff_codes"),
        budget.url(),
        budget.url("propose"),
        budget.url("project", number=idea.number),
    ):
        page.goto(live_server.url + url)
        _check(page)
    page.goto(live_server.url + budget.url("staff_codes"))
    with page.expect_navigation():
        page.locator("#batch-table a").first.click()
    _check(page)


def test_the_demo_budget_passes_axe(
    page: Page,  # noqa: F811
    live_server: Any,
) -> None:
    load_demo()  # once for both screen sizes: loading it is the slow part
    instance = MethodInstance.objects.get(method_key="budgeting")
    funded = Project.objects.filter(method_instance=instance).exclude(delivery="").first()
    assert funded is not None
    base = instance.get_absolute_url()
    for width in (1280, 375):
        _language(page, live_server, "nn", width)
        for url in (
            instance.process.get_absolute_url(),
            base,
            base + "resultat/",
            base + f"prosjekt/{funded.number}/",
            base + "stem/",
        ):
            page.goto(live_server.url + url)
            _check(page)
        page.goto(live_server.url + base + "resultat/")
        assert page.locator(".budget-why > li").count() == 8
