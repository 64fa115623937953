"""axe-core on every page of the demo a resident, a case officer and an administrator see,
on a desktop and on a phone-sized screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from medvirk.accountability.models import Decision
from medvirk.contributions.models import Contribution
from medvirk.demo.loader import DEMO_LOGINS, load_demo
from medvirk.processes.models import Process
from tests.browser.helpers import axe_check

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Page, username: str) -> None:
    login = next(x for x in DEMO_LOGINS if x.username == username)
    page.goto("/konto/logg-inn/")
    page.fill("#id_username", login.username)
    page.fill("#id_password", login.password)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def _check(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    axe_check(page)
    # Nothing wider than the screen: the page works on a phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{url} scrolls sideways by {overflow}px"


WIDTHS = (1280, 375)


def test_every_page_passes_axe(page: Page) -> None:
    # One demo load for both screen sizes: loading it is the slow part.
    load_demo()
    process = Process.objects.get(slug="lillevik-skule")
    survey = process.methods.get(method_key="survey")
    information = process.methods.get(method_key="information")
    contribution = Contribution.objects.filter(process=process).first()
    assert contribution is not None
    public = [
        "/",
        "/lillevik/",
        process.get_absolute_url(),
        f"{process.get_absolute_url()}innspel/",
        survey.get_absolute_url(),
        f"{survey.get_absolute_url()}resultat/",
        information.get_absolute_url(),
        f"{process.get_absolute_url()}opne-data/",
        contribution.receipt_url(),
        "/tilgjengelegheit/",
        "/personvern/",
        "/om/",
        "/konto/logg-inn/",
        "/konto/ny/",
        "/konto/eid/test/",
    ]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for url in public:
            _check(page, url)

    _login(page, "admin")
    decision = Decision.objects.filter(process=process).first()
    assert decision is not None
    staff = [
        "/stab/",
        f"/stab/sak/{process.pk}/",
        f"/stab/sak/{process.pk}/rediger/",
        f"/stab/sak/{process.pk}/fase/ny/",
        f"/stab/sak/{process.pk}/metode/ny/",
        f"/stab/sak/{process.pk}/metode/ny/?metode=survey",
        f"/stab/sak/{process.pk}/metode/{survey.pk}/",
        f"/stab/sak/{process.pk}/metode/{information.pk}/",
        f"/stab/sak/{process.pk}/metode/{survey.pk}/innhald/",
        f"/stab/sak/{process.pk}/innspel/",
        f"/stab/sak/{process.pk}/innspel/?vis=answered",
        f"/stab/sak/{process.pk}/innspel/registrer/",
        f"/stab/sak/{process.pk}/moderering/",
        f"/stab/sak/{process.pk}/vedtak/",
        f"/stab/sak/{process.pk}/vedtak/{decision.pk}/",
        f"/stab/sak/{process.pk}/kven-deltok/",
        f"/stab/sak/{process.pk}/innspel/tema/",
        f"/stab/sak/{process.pk}/rapport/",
        f"/stab/sak/{process.pk}/rapport/utskrift/",
        f"/stab/innspel/{contribution.pk}/",
        f"/stab/kommune/{process.municipality_id}/roller/",
        "/stab/logg/",
        "/stab/logg/?verify=1",
        "/konto/",
        "/stab/identitet/",
        "/stab/identitet/tvister/",
        "/konto/slett/",
    ]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for url in staff:
            _check(page, url)
