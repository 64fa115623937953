"""The loop that must never break, in a real browser, with axe on every public page.

A resident answers the survey without an account and leaves an e-mail address → gets a
private receipt link → a case officer answers that input and 49 like it as one group → the
receipt page shows the answer, and the e-mail went out (Django's test outbox).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.core import mail

from medvirk.accountability.models import Response
from medvirk.contributions.models import Contribution
from medvirk.demo.loader import DEMO_LOGINS, load_demo
from medvirk.processes.models import Process
from tests.browser.helpers import axe_check

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESIDENT_EMAIL = "kari.innbyggjar@example.org"
REASON = "Trygg skuleveg blir eit krav i alle alternativa."


def _answer_every_question(page: Page) -> None:
    for block in page.locator("form#survey-form .survey-question").all():
        if block.locator("xpath=ancestor::fieldset[.//input[@name='consent']]").count():
            continue  # background questions stay unanswered: no consent given
        selects = block.locator("select")
        if selects.count():
            for rank, select in enumerate(selects.all(), start=1):
                select.select_option(str(rank))
        elif block.locator("textarea").count():
            block.locator("textarea").fill("Skulen må ha trygg skuleveg og plass til leik.")
        else:
            block.locator("input").first.check()


def test_resident_to_officer_and_back(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    load_demo()
    process = Process.objects.get(slug="lillevik-skule")
    officer = next(login for login in DEMO_LOGINS if login.username == "sakshandsamar")

    # The resident reads the case page and opens the survey (no account).
    page.goto(process.get_absolute_url())
    axe_check(page)
    assert page.locator("footer a[href*='tilgjengelegheit']").count() == 1
    assert page.locator("footer a[href*='personvern']").count() == 1
    survey_link = page.locator("a[href*='sporjeundersoking']").first
    survey_link.click()
    page.wait_for_load_state()
    axe_check(page)

    _answer_every_question(page)
    page.fill("#id_email", RESIDENT_EMAIL)
    page.locator("form#survey-form button[type=submit]").click()
    page.wait_for_load_state()
    axe_check(page)
    receipt_link = page.locator("a[href*='/kvittering/']").first
    receipt_url = receipt_link.get_attribute("href")
    assert receipt_url and re.search(r"/kvittering/\d+/[\w-]+/", receipt_url)
    mine = Contribution.objects.get(contact_email=RESIDENT_EMAIL)
    assert not hasattr(mine, "response")

    page.goto(receipt_url)
    axe_check(page)

    # The case officer logs in, puts the resident's input and 49 others that say the same
    # into a duplicate group, previews one answer beside each, and sends it to all 50.
    page.goto("/konto/logg-inn/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", officer.password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"/stab/sak/{process.pk}/innspel/?vis=unanswered")
    boxes = page.locator("input[name=ids]")
    assert boxes.count() >= 50
    page.locator(f"input[name=ids][value='{mine.pk}']").check()
    checked = 1
    for box in boxes.all():
        if checked == 50:
            break
        if not box.is_checked():
            box.check()
            checked += 1
    page.fill("#id_new_name", "Trygg skuleveg (prøve)")
    page.select_option("#id_kind", "duplicates")
    page.locator("button[name=action][value=add]").click()
    page.wait_for_load_state()
    page.locator("a", has_text="Trygg skuleveg (prøve)").first.click()
    page.wait_for_load_state()
    page.select_option("#id_status", "adopted")
    page.fill("#id_reason", REASON)
    page.locator("button[name=then][value=preview]").click()
    page.wait_for_load_state()
    assert page.locator(".response", has_text=REASON).count() == 50
    page.locator("button[name=then][value=send]").click()
    page.wait_for_load_state()
    assert Response.objects.filter(reason=REASON).count() == 50
    assert Response.objects.get(contribution=mine).status == "adopted"

    # Log out and come back as the resident through the private link.
    page.context.clear_cookies()
    page.goto(receipt_url)
    axe_check(page)
    assert REASON in page.locator("main").inner_text()

    # Two e-mails, each with the receipt link: "received" when the answers came in, and
    # the answer.
    to_resident = [m for m in mail.outbox if m.to == [RESIDENT_EMAIL]]
    assert len(to_resident) == 2
    receipt_path = re.sub(r"^https?://[^/]+", "", receipt_url)
    assert all(receipt_path in m.body for m in to_resident)
    assert REASON in to_resident[1].body
