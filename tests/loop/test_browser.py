"""The loop in a real browser, with axe on every page: a resident at 375 px gets the receipt
by e-mail, a logged-in resident is never asked for an address, and a decision recorded by
staff at 1280 px reaches a contributor and a follower once each.

E-mails land in Django's test outbox (locmem): the live server runs in this process, and
its tasks run in-process after each commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.core import mail
from django.utils import timezone

from medvirk.accountability.models import Decision, Subscription
from medvirk.contributions.models import Contribution
from medvirk.methods.survey import actions as survey_actions
from medvirk.methods.survey.models import QuestionKind
from medvirk.processes.models import MethodInstance
from tests import factories
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check
from tests.methods.survey import factories as survey_factories

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
MOTEBOK = "https://innsyn.example.org/mote/42"


def _log_in(tab: Page, username: str, password: str = "pw") -> None:
    tab.goto("/konto/logg-inn/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", password)
    with tab.expect_navigation():
        tab.locator("main form button[type=submit]").click()


def test_a_resident_on_a_phone_gets_the_receipt_by_email(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    w = factories.world()
    page.set_viewport_size(PHONE)
    page.goto(w.method.get_absolute_url())
    axe_check(page)
    page.fill("#id_text", "Kor mange elevar går på skulen i dag?")
    page.fill("#id_contact_email", "kari@example.org")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/kvittering/" in page.url
    axe_check(page)
    item = Contribution.objects.get(method_instance=w.method)
    [receipt] = [m for m in mail.outbox if m.to == ["kari@example.org"]]
    assert item.receipt_url() in str(receipt.body)
    assert w.process.title in receipt.subject
    # The link in the e-mail opens the receipt.
    page.goto(item.receipt_url())
    assert "Kor mange elevar" in page.locator("main").inner_text()


def test_a_logged_in_resident_answers_and_follows_without_giving_an_address(
    page: Page,  # noqa: F811
    live_server,  # type: ignore[no-untyped-def]
) -> None:
    org = factories.municipality("Lillevik")
    instance = survey_factories.survey_method(org)
    survey_actions.do_add_question(
        None,
        instance,
        kind=QuestionKind.SINGLE,
        text="Kva alternativ vil du ha?",
        choices=[{"key": "ny", "label": "Ny skule"}, {"key": "gamal", "label": "Pusse opp"}],
        required=True,
    )
    factories.user("kari", email="kari.nordmann@example.org", email_verified=True)
    page.set_viewport_size(PHONE)
    _log_in(page, "kari")

    page.goto(instance.get_absolute_url())
    axe_check(page)
    form = page.locator("form#survey-form")
    assert form.locator("input[type=email]").count() == 0
    assert "k…n@example.org" in form.inner_text()
    form.locator("input[value=ny]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    axe_check(page)
    answer = Contribution.objects.get(method_instance=instance)
    assert answer.contact_email == "kari.nordmann@example.org"

    page.goto(instance.process.get_absolute_url())
    axe_check(page)
    follow = page.locator("section[aria-labelledby=follow-heading]")
    assert follow.locator("input[type=email]").count() == 0
    follow.locator("button[type=submit]").click()
    page.wait_for_load_state()
    axe_check(page)
    subscription = Subscription.objects.get(process=instance.process)
    assert subscription.email == "kari.nordmann@example.org"
    assert subscription.confirmed_at is not None
    assert "k…n@example.org" in page.locator("section[aria-labelledby=follow-heading]").inner_text()
    # No confirmation e-mail to click: only the receipt of the answer went out.
    assert not any("/kvittering/folg/" in str(m.body) for m in mail.outbox)
    assert [m.to for m in mail.outbox] == [["kari.nordmann@example.org"]]


def test_a_decision_reaches_a_contributor_and_a_follower_once(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    w = factories.world()
    w.officer.set_password("pw")
    w.officer.save()
    item = factories.contribution(w.method, contact_email="innspel@example.org")
    Subscription.objects.create(
        process=w.process,
        email="folgjar@example.org",
        language="nn",
        token_hash="t",
        confirmed_at=timezone.now(),
    )
    mail.outbox.clear()  # the contributor's receipt

    _log_in(page, w.officer.username)
    page.goto(f"/stab/sak/{w.process.pk}/vedtak/")
    axe_check(page)
    page.fill("#id_body", "Kommunestyret")
    page.uncheck("#id_is_pending")
    page.fill("#id_date", "2026-12-01")
    page.fill("#id_text", "Ny skule ved fjorden.")
    page.fill("#id_case_number", "2026/1234")
    page.fill("#id_meeting_record_url", MOTEBOK)
    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").click()
    axe_check(page)
    decision = Decision.objects.get(process=w.process)
    assert decision.announced_at is not None
    assert (decision.case_number, decision.meeting_record_url) == ("2026/1234", MOTEBOK)

    to = sorted(address for m in mail.outbox for address in m.to)
    assert to == ["folgjar@example.org", "innspel@example.org"]
    contributor = next(m for m in mail.outbox if m.to == ["innspel@example.org"])
    assert item.receipt_url() in str(contributor.body)
    assert "2026/1234" in str(contributor.body) and MOTEBOK in str(contributor.body)

    # Saving again changes the text and tells nobody again.
    page.goto(f"/stab/sak/{w.process.pk}/vedtak/{decision.pk}/")
    axe_check(page)
    page.fill("#id_text", "Ny skule ved fjorden, retta.")
    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").click()
    assert len(mail.outbox) == 2

    # The case page shows where the case stands, and its methods are closed.
    page.set_viewport_size(PHONE)
    page.goto(w.process.get_absolute_url())
    axe_check(page)
    assert MOTEBOK in page.locator(
        "section[aria-labelledby=decisions-heading] a"
    ).first.get_attribute("href")
    assert all(m.closed_at is not None for m in MethodInstance.objects.filter(process=w.process))
