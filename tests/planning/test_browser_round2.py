"""The planner's second round in a browser: named groups, phases created in step 3, the
state of the decision, warnings, accepting a method into a phase the wizard made, the
draft-case refusal, and a public plan that lists only what was accepted, with its dates.

axe-core on every page, at 1280 and 375 px, in bokmål and nynorsk.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.utils import timezone

from medvirk.organisations.models import Role
from medvirk.planning.models import Plan, PlannedActivity, PlanStatus
from medvirk.processes.actions import do_set_status
from medvirk.processes.models import MethodInstance, Phase, ProcessStatus
from tests import factories
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.planning.urls"),
]


def _check(page: Page) -> None:  # noqa: F811
    axe_check(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} scrolls sideways by {overflow}px"


def _submit(tab: Page) -> None:
    with tab.expect_navigation():
        tab.locator("main form.stack button[type=submit]").click()


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("width", [1280, 375])
def test_named_groups_new_phases_and_a_public_plan_of_what_was_accepted(
    page: Page,  # noqa: F811
    live_server: Any,
    width: int,
    language: str,
) -> None:
    org = factories.municipality("Fjordvik")
    officer = factories.staff(org, Role.CASE_OFFICER, "rettleiar")
    decision = timezone.localdate() + dt.timedelta(weeks=30)
    process = factories.process(
        org,
        ProcessStatus.DRAFT,
        slug="skulegarden",
        title="Ny skulegard på Fjordvik skule",
        open_to_influence="Kva skulegarden skal innehalde.",
        already_decided="",
        decision_expected=decision,
        area="Fjordvik sentrum",
    )
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/konto/logg-inn/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", "pw")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    page.goto(f"/stab/sak/{process.pk}/plan/")
    page.locator("form[action$='/plan/start/'] button").click()
    page.wait_for_load_state()

    # 1 Why
    page.locator("input[name=purposes][value=learning]").check()
    page.locator("input[name=purposes][value=anchoring]").check()
    page.fill("#id_use", "Innspela går inn i saka før kommunestyret vedtek skulegarden.")
    _submit(page)

    # 2 Who: no fixed row, two named groups with ages and settings.
    assert page.url.endswith("/plan/steg/2/")
    _check(page)
    page.fill("#id_group-0-name", "FAU ved Fjordvik skule")
    page.select_option("#id_group-0-kind", "parents")
    page.locator("input[name='group-0-ages'][value='20-66']").check()
    page.select_option("#id_group-0-affected", "3")
    page.select_option("#id_group-0-speaks_up", "3")
    page.fill("#id_group-0-setting", "Foreldremøte")
    page.fill("#id_group-1-name", "Elevrådet")
    page.select_option("#id_group-1-kind", "pupils")
    page.locator("input[name='group-1-ages'][value='6-12']").check()
    page.select_option("#id_group-1-affected", "3")
    page.select_option("#id_group-1-speaks_up", "1")
    page.select_option("#id_group-1-time", "school_hours")
    page.fill("#id_group-1-minutes", "90")
    _submit(page)

    # 3 When: the case has no phases; the open ones need dates, then they are created.
    assert page.url.endswith("/plan/steg/3/"), page.url
    _check(page)
    assert page.input_value("#id_decision_date") == decision.isoformat()
    page.locator("input[name=open_phases][value=investigation]").check()
    page.locator("input[name=open_phases][value=alternatives]").check()
    _submit(page)
    assert page.locator("#error-summary").is_visible()
    _check(page)
    today = timezone.localdate()
    dates = {
        "investigation": (today, today + dt.timedelta(weeks=6)),
        "alternatives": (today + dt.timedelta(weeks=6, days=1), today + dt.timedelta(weeks=12)),
    }
    for kind, (start, end) in dates.items():
        page.fill(f"#id_start_{kind}", start.isoformat())
        page.fill(f"#id_end_{kind}", end.isoformat())
    _submit(page)
    assert page.url.endswith("/plan/steg/4/"), page.url
    phases = {p.kind: p for p in Phase.objects.filter(process=process)}
    assert set(phases) == {"investigation", "alternatives"}

    # 4 Room: partly decided, a place.
    _check(page)
    page.select_option("#id_decision_state", "partly")
    page.select_option("#id_case_kind", "building")
    page.locator("#id_place_based").check()
    _submit(page)

    # 5 Reflect
    page.fill("#id_prepare", "Kva som alt er bestemt: tomta.")
    _submit(page)

    # The plan: a warning (nothing said about what is decided), the pupils by a method that
    # fits their age, and "required by law" only with a section.
    assert page.url.endswith(f"/stab/sak/{process.pk}/plan/")
    _check(page)
    assert page.locator("#warnings-heading").count() == 1
    main = page.locator("main").inner_text()
    assert "Barnetråkk" in main
    assert "§ 4-1" in main  # the facts: kommuneloven § 4-1

    # Accept the facts for the alternatives: runs in Medvirk, in the phase step 3 made.
    page.locator(
        "form[action$='/plan/godta/']:has(input[name=method][value=information])"
        ":has(input[name=phase][value=alternatives]) button"
    ).click()
    page.wait_for_load_state()
    _check(page)
    activity = PlannedActivity.objects.get(catalogue_key="information")
    assert activity.phase == phases["alternatives"]
    instance = MethodInstance.objects.get(pk=activity.method_instance_id)
    assert instance.phase_id == phases["alternatives"].pk
    page.goto(f"/stab/sak/{process.pk}/")
    assert instance.title in page.locator("main").inner_text()  # on the case's method list

    # A draft case cannot have a public plan.
    page.goto(f"/stab/sak/{process.pk}/plan/")
    page.locator("form[action$='/plan/publiser/'] button").click()
    page.wait_for_load_state()
    assert Plan.objects.get(process=process).status == PlanStatus.DRAFT
    _check(page)
    do_set_status(factories.administrator(org), process, ProcessStatus.PUBLISHED)
    page.locator("form[action$='/plan/publiser/'] button").click()
    page.wait_for_load_state()
    assert Plan.objects.get(process=process).status == PlanStatus.PUBLISHED

    # The public plan lists what was accepted, with the phase's dates, and nothing else.
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.goto(f"/{org.slug}/{process.slug}/medverknadsplan/")
    _check(page)
    public = page.locator("main").inner_text()
    assert "Barnetråkk" not in public  # recommended, never accepted
    assert "FAU ved Fjordvik skule" in public
    start = phases["alternatives"].start
    assert str(timezone.localtime(start).year) in public
