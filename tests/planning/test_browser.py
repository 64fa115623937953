"""A case officer walks through the planning wizard for the Lillevik school and publishes.

axe-core checks every page on the way (WCAG 2.1 A/AA), in a real browser, without JavaScript
of our own: plain forms and POST-redirect-GET.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from medvirk.demo.loader import DEMO_LOGINS, load_demo
from medvirk.planning.models import Plan, PlannedActivity, PlanStatus
from medvirk.processes.models import Process
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.planning.urls"),
]

USE = "Innspela går inn i saksframlegget før kommunestyret vel alternativ."


def _submit(tab: Page) -> None:
    with tab.expect_navigation():
        tab.locator("main form.stack button[type=submit]").click()


def test_officer_plans_and_publishes(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    load_demo()
    process = Process.objects.get(slug="lillevik-skule")
    Plan.objects.filter(process=process).delete()  # walk the wizard from the start
    officer = next(login for login in DEMO_LOGINS if login.username == "sakshandsamar")

    page.goto("/konto/logg-inn/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", officer.password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    page.goto(f"/stab/sak/{process.pk}/plan/")
    axe_check(page)
    page.locator("form[action$='/plan/start/'] button").click()
    page.wait_for_load_state()

    # 1 Hvorfor
    assert page.url.endswith("/plan/steg/1/")
    axe_check(page)
    _submit(page)  # nothing filled in: errors, summarised and tied to the fields
    assert page.locator("#error-summary").count() == 1
    assert page.locator("#id_use").get_attribute("aria-invalid") == "true"
    axe_check(page)
    page.locator("input[name=purposes][value=anchoring]").check()
    page.locator("input[name=purposes][value=learning]").check()
    page.fill("#id_use", USE)
    _submit(page)

    # 2 Hvem
    assert page.url.endswith("/plan/steg/2/")
    axe_check(page)
    for key, affected, speaks in (
        ("residents", "3", "2"),
        ("associations", "2", "3"),
        ("children", "3", "1"),
        ("day_workers", "3", "1"),
    ):
        page.select_option(f"#id_{key}__affected", affected)
        page.select_option(f"#id_{key}__speaks_up", speaks)
    page.fill("#id_silent", "Foreldre som arbeider skift.")
    page.select_option("#id_know_enough", "no")
    page.locator("#id_public_debate").check()
    _submit(page)

    # 3 Når
    assert page.url.endswith("/plan/steg/3/")
    axe_check(page)
    page.locator("input[name=open_phases][value=investigation]").check()
    page.locator("input[name=open_phases][value=alternatives]").check()
    page.fill("#id_weeks", "17")
    _submit(page)

    # 4 Medvirkningsrommet (prefilled from the case)
    assert page.url.endswith("/plan/steg/4/")
    axe_check(page)
    assert "skulevegen" in page.input_value("#id_open")
    page.select_option("#id_case_kind", "building")
    _submit(page)

    # 5 Refleksjon
    assert page.url.endswith("/plan/steg/5/")
    axe_check(page)
    page.fill("#id_prepare", "Kva som alt er bestemt.")
    page.fill("#id_trust", "Eit grunngitt svar på kvart innspel.")
    _submit(page)

    # The plan with its recommendations; accept Barnetråkk, then publish.
    assert page.url.endswith(f"/stab/sak/{process.pk}/plan/")
    axe_check(page)
    main = page.locator("main").inner_text()
    assert "Barnetråkk" in main
    page.locator(
        "form[action$='/plan/godta/']:has(input[name=method][value=barnetrakk]) button"
    ).click()
    page.wait_for_load_state()
    axe_check(page)
    assert PlannedActivity.objects.filter(catalogue_key="barnetrakk").count() == 1
    page.locator("form[action$='/plan/publiser/'] button").click()
    page.wait_for_load_state()
    plan = Plan.objects.get(process=process)
    assert plan.status == PlanStatus.PUBLISHED

    # The public, plain-language plan (logged out), at desktop and phone width.
    page.context.clear_cookies()
    page.goto(f"/{process.municipality.slug}/{process.slug}/medverknadsplan/")
    axe_check(page)
    assert USE in page.locator("main").inner_text()
    page.set_viewport_size({"width": 375, "height": 800})
    axe_check(page)
    # The only console errors are the 400s of the deliberately empty first submission.
    errors = page.console_errors  # type: ignore[attr-defined]
    assert all("400" in e and "/plan/steg/1/" in e for e in errors), errors
