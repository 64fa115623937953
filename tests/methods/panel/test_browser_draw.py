"""The panel's draw side in a real browser, at 1280 and 375 px, in bokmål and nynorsk, axe
on every page: a case officer draws members and sends the invitations from the staff
pages; the lottery is published; an invited member opens the one-time link, logs in, lands
on the survey and answers it; the response rates show the answer."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.core import mail
from django.urls import reverse

from medvirk.demo.loader import DEMO_LOGINS, load_demo
from medvirk.methods.panel.models import Draw, Invitation
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check
from tests.language.helpers import switch_language

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBER_PASSWORD = "panel-test-passord"


def _no_sideways_scroll(page: Page) -> None:  # noqa: F811
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} scrolls sideways by {overflow}px"


def _check(page: Page) -> None:  # noqa: F811
    axe_check(page)
    _no_sideways_scroll(page)


def _log_in(page: Page, username: str, password: str) -> None:  # noqa: F811
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


@pytest.mark.parametrize(("width", "language"), [(1280, "nb"), (375, "nn")])
def test_staff_draw_a_member_is_invited_and_answers(
    page: Page,  # noqa: F811
    width: int,
    language: str,
) -> None:
    load_demo()
    page.set_viewport_size({"width": width, "height": 900})
    panel = MethodInstance.objects.get(method_key="panel")
    survey = MethodInstance.objects.get(method_key="survey")
    plugin = registry.get("panel")
    mail.outbox.clear()

    page.goto("/")
    switch_language(page, language)
    # The panel's page lists the demo's published draw.
    page.goto(panel.get_absolute_url())
    _check(page)
    assert page.locator("#panel-draw-list li").count() == 1

    # A case officer makes a draw of six for the survey and sends the invitations.
    officer = next(x for x in DEMO_LOGINS if x.username == "sakshandsamar")
    page.goto("/konto/logg-inn/")
    _log_in(page, officer.username, officer.password)
    page.goto(
        reverse("staff:method_content", kwargs={"pk": panel.process_id, "method_pk": panel.pk})
    )
    _check(page)
    page.goto(plugin.url(panel, "staff_figures"))
    _check(page)
    page.goto(plugin.url(panel, "staff_dimensions"))
    _check(page)
    page.goto(plugin.url(panel, "staff_draw_new"))
    _check(page)
    # Sending the form empty: the error summary, nothing drawn.
    before = Draw.objects.count()
    with page.expect_navigation():
        page.locator("#draw-form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    _check(page)
    assert Draw.objects.count() == before
    page.select_option("#id_target", str(survey.pk))
    page.fill("#id_size", "6")
    page.locator("#draw-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/stab/trekning/\d+/$"))
    _check(page)
    draw = Draw.objects.order_by("-pk").first()
    assert draw is not None and draw.size == 6 and draw.target_id == survey.pk
    with page.expect_navigation():
        page.locator("#send-form button[type=submit]").click()
    assert page.locator("#remind-form").count() == 1
    _check(page)
    sent = Invitation.objects.filter(draw=draw, sent_at__isnull=False).count()
    assert sent == 6
    assert len(mail.outbox) == 6

    # The published lottery and its check.
    page.goto(plugin.url(panel, "draw", pk=draw.pk))
    _check(page)
    assert page.locator("#draw-check").is_visible()
    assert draw.seed in page.locator("main").inner_text()
    page.goto(plugin.url(panel, "verify", pk=draw.pk))
    _check(page)
    assert page.locator('#verify-steps li[data-ok="no"]').count() == 0

    # An invited member opens the link from the e-mail, logs in and answers the survey.
    invitation = (
        Invitation.objects.filter(draw=draw, member__isnull=False)
        .select_related("member__user")
        .first()
    )
    assert invitation is not None and invitation.member is not None
    member = invitation.member.user
    member.set_password(MEMBER_PASSWORD)
    member.save()
    message = next(m for m in mail.outbox if m.to == [member.email])
    found = re.search(r"https?://[^/\s]+(/\S+/invitasjon/[^/\s]+/)", message.body)
    assert found is not None
    page.context.clear_cookies()
    page.goto(found.group(1))
    assert "/konto/logg-inn/" in page.url
    _check(page)
    _log_in(page, member.username, MEMBER_PASSWORD)
    page.wait_for_url(f"**{survey.get_absolute_url()}")
    _check(page)
    invitation.refresh_from_db()
    assert invitation.opened_at is not None
    page.get_by_label("Rehabilitere (pusse opp) skulen").check()
    page.locator("#survey-form button[type=submit]").click()
    page.wait_for_url("**/takk/**")
    _check(page)
    invitation.refresh_from_db()
    assert invitation.responded_at is not None
    # The link again: it was used, and still leads to the survey.
    page.goto(found.group(1))
    assert page.locator("#invitation-used").is_visible()
    assert page.locator("#invitation-target").get_attribute("href") == survey.get_absolute_url()
    _check(page)

    # The staff's response rates show the answer.
    page.context.clear_cookies()
    page.goto("/konto/logg-inn/")
    _log_in(page, officer.username, officer.password)
    page.goto(plugin.url(panel, "staff_draw", pk=draw.pk))
    assert page.locator("#answered-count").inner_text().strip() == "1"
    page.goto(plugin.url(panel, "staff_responses", pk=draw.pk))
    _check(page)
    assert page.locator("#strata-table tbody tr").count() >= 1
    answered = page.locator("#rates-summary").inner_text()
    assert re.search(r"\b1\b", answered) and re.search(r"\b6\b", answered)
