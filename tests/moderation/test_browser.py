"""In a real browser: a resident on a phone reports a published input; a moderator finds it
in the queue and by search, hides it with a reason that the public list shows in its place,
and restores it. axe (WCAG 2.1 AA) on every page, at 375 and 1280 px."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from medvirk.contributions.models import Contribution, ModerationState, Report
from medvirk.organisations.models import Role
from tests import factories
from tests.browser.helpers import axe_check

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
DESK = {"width": 1280, "height": 900}
TEXT = "Læraren Ola Hansen på 5B er alltid sur, og skulen må byte han ut."
REASON = "Innspelet namngir ein tilsett."


def axe_both(page: Page, then: dict[str, int]) -> None:
    """axe at both widths; the page is left at ``then``."""
    for size in (PHONE, DESK):
        page.set_viewport_size(size)
        axe_check(page)
    page.set_viewport_size(then)


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/konto/logg-inn/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_a_reported_input_is_hidden_with_its_reason_and_restored(
    page: Page, live_server: Any
) -> None:
    w = factories.world()
    factories.contribution(w.method, text="Fleire sykkelstativ ved hovudinngangen, takk.")
    item = factories.contribution(
        w.method, w.resident, text=TEXT, author_name="Kari Nordmann", show_name=True
    )
    moderator = factories.staff(w.org, Role.MODERATOR, "moderator-b", password="mod-pass-123")
    listing = f"/{w.org.slug}/{w.process.slug}/innspel/"

    # A resident on a phone reports it (no account, no JavaScript needed).
    page.set_viewport_size(PHONE)
    page.goto(listing)
    axe_both(page, PHONE)
    page.locator(f"a[href$='/innspel/{item.pk}/meld/']").click()
    page.wait_for_load_state()
    axe_both(page, PHONE)
    page.locator("#id_reason_0").check()
    page.fill("#id_note", "Namngir ein lærar.")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith(f"{listing}#innspel-{item.pk}")
    axe_both(page, PHONE)
    report = Report.objects.get(contribution=item)
    assert (report.reason, report.note) == ("personal", "Namngir ein lærar.")

    # The moderator, at a desk, finds it among the reported input and by search.
    page.context.clear_cookies()
    page.set_viewport_size(DESK)
    log_in(page, moderator.username, "mod-pass-123")
    page.goto(f"/stab/sak/{w.process.pk}/moderering/")
    axe_both(page, DESK)
    page.goto(f"/stab/sak/{w.process.pk}/moderering/?vis=reported")
    assert page.locator(f"a[href='/stab/innspel/{item.pk}/moderering/']").count() >= 1
    page.fill("#id_q", "Ola Hansen")
    with page.expect_navigation():
        page.locator("form[role=search] button[type=submit]").click()
    axe_both(page, DESK)
    page.locator(f"a[href='/stab/innspel/{item.pk}/moderering/']").first.click()
    page.wait_for_load_state()
    axe_both(page, DESK)
    assert "Namngir ein lærar." in page.locator("main").inner_text()

    # Hiding without a reason is refused and changes nothing; with one, it is hidden.
    with page.expect_navigation():
        page.locator("#decide-hide button[type=submit]").click()
    item.refresh_from_db()
    assert item.moderation == ModerationState.PUBLISHED
    page.fill("#id_hide-reason", REASON)
    with page.expect_navigation():
        page.locator("#decide-hide button[type=submit]").click()
    axe_both(page, DESK)
    item.refresh_from_db()
    assert (item.moderation, item.hidden_reason) == (ModerationState.HIDDEN, REASON)

    # The public list shows the reason in its place: no text, no name.
    public = page.context.browser.new_context(  # type: ignore[union-attr]
        base_url=live_server.url, locale="nb-NO", viewport=PHONE
    )
    resident = public.new_page()
    resident.goto(listing)
    main = resident.locator(f"#innspel-{item.pk}").inner_text()
    assert REASON in main
    assert "Ola Hansen" not in resident.locator("main").inner_text()
    assert "Kari Nordmann" not in resident.locator("main").inner_text()
    axe_both(resident, PHONE)

    # The moderator restores it; the text is back.
    with page.expect_navigation():
        page.locator("#decide-restore button[type=submit]").click()
    item.refresh_from_db()
    assert item.moderation == ModerationState.PUBLISHED
    resident.goto(listing)
    assert "Ola Hansen" in resident.locator(f"#innspel-{item.pk}").inner_text()
    public.close()
    assert Contribution.objects.filter(moderation=ModerationState.HIDDEN).count() == 0


def test_the_administrator_chooses_pre_moderation(page: Page, live_server: Any) -> None:
    w = factories.world()
    w.admin.set_password("admin-pass-123")
    w.admin.save()
    log_in(page, w.admin.username, "admin-pass-123")
    page.goto("/stab/")
    page.locator(f"a[href='/stab/kommune/{w.org.pk}/innstillingar/']").click()
    page.wait_for_load_state()
    axe_both(page, DESK)
    page.locator("#id_mode_1").check()  # pre
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    axe_both(page, DESK)
    w.org.refresh_from_db()
    assert w.org.moderation_mode == "pre"
