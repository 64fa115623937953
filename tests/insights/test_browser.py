"""The Lillevik demo's "who took part" pages in a real browser: axe at 1280 and 375 px."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from medvirk.demo.loader import DEMO_LOGINS, load_demo
from medvirk.insights.models import PopulationTable
from medvirk.processes.models import Process
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_case_shows_who_took_part_accessibly(page: Page) -> None:  # noqa: F811
    load_demo()
    process = Process.objects.get(slug="lillevik-skule")
    assert PopulationTable.objects.filter(municipality=process.municipality).count() == 2
    public = f"/{process.municipality.slug}/{process.slug}/kven-deltok/"
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(public)
        assert page.locator("h1").count() == 1
        assert page.locator('svg[role="img"]').count() >= 3
        assert page.locator("table.insights-table").count() >= 3
        axe_check(page)
        counts = page.locator("td.count").all_inner_texts()
        assert all(not text.isdigit() or int(text) >= 5 for text in counts)
    officer = next(login for login in DEMO_LOGINS if login.username == "sakshandsamar")
    page.goto("/konto/logg-inn/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", officer.password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/stab/sak/{process.pk}/kven-deltok/")
        assert page.locator("#under-heard").count() == 1
        axe_check(page)
        page.goto(f"/stab/kommune/{process.municipality_id}/folketal/")
        axe_check(page)
