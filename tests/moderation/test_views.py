"""The moderator's pages, the kommune's setting, the method's choice, and the public side:
the report form, hidden input with its reason in place, and the receipt in words."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from medvirk.contributions import actions
from medvirk.contributions.models import Contribution, ModerationMode, ModerationState, Report
from medvirk.organisations.actions import do_grant_role
from medvirk.organisations.models import Role
from medvirk.processes.models import MethodInstance
from tests import factories

from .conftest import give_in, set_mode

EN = {"Accept-Language": "en"}


def queue_url(w: factories.World) -> str:
    return reverse("staff:moderation", kwargs={"pk": w.process.pk})


def item_url(c: Contribution) -> str:
    return reverse("staff:moderation_item", kwargs={"pk": c.pk})


def list_url(w: factories.World) -> str:
    return reverse("public:contributions", args=[w.org.slug, w.process.slug])


def report_url(w: factories.World, c: Contribution) -> str:
    return reverse("public:report", args=[w.org.slug, w.process.slug, c.pk])


@pytest.fixture
def moderator(w: factories.World, client: Client) -> Client:
    client.force_login(w.moderator)
    return client


# -- the queue ---------------------------------------------------------------------------------


def test_the_queue_has_a_list_for_each_kind_of_work(
    w: factories.World, moderator: Client, published: Contribution
) -> None:
    pending = give_in(set_mode(w, ModerationMode.AUTO))("Vent på meg")
    held = factories.contribution(w.method, text="Ring 41234567")
    actions.do_report(published, Report.Reason.PERSONAL, "", "user:1")
    actions.do_report(published, Report.Reason.PERSONAL, "", "user:2")
    actions.do_report(published, Report.Reason.SPAM, "", "user:3")
    hidden = factories.contribution(w.method, w.resident, text="Skjult")
    actions.do_hide(w.moderator, hidden, "Spam")

    res = moderator.get(queue_url(w), headers=EN)  # lands on what waits first
    assert res.status_code == 200
    assert res.context["tab"] == "pending"
    assert [c.pk for c, _ in res.context["rows"]] == [pending.pk]
    assert {key: n for key, _label, n in res.context["tabs"]} == {
        "pending": 1,
        "held": 1,
        "reported": 1,
        "hidden": 1,
        "rejected": 0,
    }
    html = moderator.get(queue_url(w), {"vis": "held"}, headers=EN).content.decode()
    assert "The text: contains a phone number" in html and f"Input {held.pk}" in html
    res = moderator.get(queue_url(w), {"vis": "reported"}, headers=EN)
    [(row, summary)] = res.context["rows"]
    assert row.pk == published.pk
    assert summary == [("Names or details about a person", 2), ("Spam or advertising", 1)]
    assert "Names or details about a person (2)" in res.content.decode()
    html = moderator.get(queue_url(w), {"vis": "hidden"}, headers=EN).content.decode()
    assert "Spam" in html and f"Input {hidden.pk}" in html


def test_search_finds_published_input_by_text_name_or_number(
    w: factories.World, moderator: Client, published: Contribution
) -> None:
    named = factories.contribution(
        w.method, text="Meir leik", author_name="Bjørg Åsen", show_name=True
    )
    give_in(set_mode(w, ModerationMode.PRE))("Ola Hansen igjen")  # pending: not searched

    def found(query: str) -> list[int]:
        return [c.pk for c, _ in moderator.get(queue_url(w), {"q": query}).context["rows"]]

    assert found("ola hansen") == [published.pk]
    assert found("Åsen") == [named.pk]
    assert found(f"#{named.pk}") == [named.pk]
    assert found("finst ikkje") == []
    res = moderator.get(queue_url(w), {"q": "x" * 101})
    assert res.status_code == 400


def test_the_queue_makes_the_same_queries_for_10_and_100_items(
    w: factories.World, moderator: Client
) -> None:
    def count_for(n: int) -> int:
        for i in range(n):
            c = factories.contribution(w.method, text=f"Innspel {i}")
            actions.do_report(c, Report.Reason.SPAM, "", f"user:{i}")
        with CaptureQueriesContext(connection) as queries:
            assert moderator.get(queue_url(w), {"vis": "reported"}).status_code == 200
        return len(queries)

    assert count_for(10) == count_for(90)


@pytest.mark.parametrize("who", ["officer", "other_officer", "resident"])
def test_others_do_not_reach_the_moderation_pages(
    w: factories.World, client: Client, published: Contribution, who: str
) -> None:
    client.force_login(getattr(w, who))
    assert client.get(queue_url(w)).status_code == 404
    assert client.get(item_url(published)).status_code == 404
    res = client.post(item_url(published), {"action": "hide", "hide-reason": "Spam"})
    assert res.status_code == 404
    published.refresh_from_db()
    assert published.moderation == ModerationState.PUBLISHED


# -- one input --------------------------------------------------------------------------------


def test_a_moderator_opens_published_input_and_hides_it(
    w: factories.World, moderator: Client, published: Contribution
) -> None:
    actions.do_report(published, Report.Reason.PERSONAL, "Namngir læraren", "user:5")
    res = moderator.get(item_url(published), headers=EN)
    assert res.status_code == 200  # not 404: a moderator needs no RESPOND
    html = res.content.decode()
    assert "Læraren Ola Hansen er for streng." in html
    assert "Namngir læraren" in html and "Names or details about a person (1)" in html
    assert set(res.context["forms"]) == {"hide", "dismiss"}
    assert res["Cache-Control"] == "private, no-store"

    res = moderator.post(
        item_url(published), {"action": "hide", "hide-reason": "Namngir ein tilsett."}, headers=EN
    )
    assert res.status_code == 302
    published.refresh_from_db()
    assert (published.moderation, published.hidden_reason) == (
        ModerationState.HIDDEN,
        "Namngir ein tilsett.",
    )
    page = moderator.get(item_url(published), headers=EN)
    assert set(page.context["forms"]) == {"restore"}
    history = page.content.decode()
    assert "«Namngir ein tilsett.»" in history


def test_bad_input_changes_nothing(
    w: factories.World, moderator: Client, published: Contribution
) -> None:
    mark = factories.audit_mark()
    res = moderator.post(item_url(published), {"action": "hide", "hide-reason": ""}, headers=EN)
    assert res.status_code == 400
    assert "Write the reason" in res.content.decode()
    res = moderator.post(item_url(published), {"action": "approve"}, headers=EN)
    assert res.status_code == 409  # not offered for published input
    assert moderator.post(item_url(published), {"action": "explode"}).status_code == 400
    assert moderator.post(item_url(published), {}).status_code == 400
    published.refresh_from_db()
    assert published.moderation == ModerationState.PUBLISHED
    assert not factories.audited_since(mark).exists()


def test_approve_from_the_queue_returns_to_the_queue(w: factories.World, moderator: Client) -> None:
    pending = give_in(set_mode(w, ModerationMode.PRE))()
    res = moderator.post(item_url(pending), {"action": "approve", "back": "pending"})
    assert res.status_code == 302
    assert res["Location"] == f"{queue_url(w)}?vis=pending"
    pending.refresh_from_db()
    assert pending.moderation == ModerationState.PUBLISHED


def test_reject_with_a_reason_and_restore(w: factories.World, moderator: Client) -> None:
    pending = give_in(set_mode(w, ModerationMode.PRE))()
    res = moderator.post(item_url(pending), {"action": "reject", "reject-reason": "Ikkje om saka."})
    assert res.status_code == 302
    assert res["Location"] == item_url(pending)
    pending.refresh_from_db()
    assert (pending.moderation, pending.hidden_reason) == (
        ModerationState.REJECTED,
        "Ikkje om saka.",
    )
    assert moderator.post(item_url(pending), {"action": "restore"}).status_code == 302
    pending.refresh_from_db()
    assert pending.moderation == ModerationState.PUBLISHED


def test_the_dashboard_counts_what_awaits_a_moderator(
    w: factories.World, moderator: Client, published: Contribution
) -> None:
    give_in(set_mode(w, ModerationMode.PRE))()
    factories.contribution(w.method, text="Ring 41234567")
    actions.do_report(published, Report.Reason.SPAM, "", "user:1")
    actions.do_report(published, Report.Reason.SPAM, "", "user:2")
    factories.contribution(w.method, w.resident, text="Heilt greitt")  # pending too (pre)
    res = moderator.get(reverse("staff:dashboard"))
    case = next(p for p in res.context["processes"] if p.pk == w.process.pk)
    assert case.n_held == 4  # two pending, one held, one reported
    actions.do_dismiss_reports(w.moderator, published)
    res = moderator.get(reverse("staff:dashboard"))
    case = next(p for p in res.context["processes"] if p.pk == w.process.pk)
    assert case.n_held == 3


# -- the kommune's setting and the method's choice ---------------------------------------


def test_the_administrator_sets_the_kommunes_mode(w: factories.World, client: Client) -> None:
    url = reverse("staff:municipality_settings", kwargs={"municipality": w.org.pk})
    client.force_login(w.moderator)
    assert client.get(url).status_code == 404
    assert client.post(url, {"mode": "pre"}).status_code == 404
    client.force_login(w.admin)
    dashboard = client.get(reverse("staff:dashboard")).content.decode()
    assert url in dashboard
    page = client.get(url, headers=EN)
    assert page.status_code == 200
    assert "Nothing a resident writes is shown publicly" in page.content.decode()
    res = client.post(url, {"mode": "sometimes"}, headers=EN)
    assert res.status_code == 400
    w.org.refresh_from_db()
    assert w.org.moderation_mode == "post"
    assert client.post(url, {"mode": "pre"}).status_code == 302
    w.org.refresh_from_db()
    assert w.org.moderation_mode == "pre"


def test_the_method_form_has_the_moderation_choice(w: factories.World, client: Client) -> None:
    client.force_login(w.officer)
    url = reverse("staff:method_edit", kwargs={"pk": w.process.pk, "method_pk": w.method.pk})
    form = client.get(url, headers=EN).content.decode()
    assert 'name="moderation"' in form and "Follow the municipality" in form
    data = {"phase": w.phase.pk, "title": "Metode", "slug": w.method.slug, "is_published": "on"}
    assert client.post(url, data | {"moderation": "never"}).status_code == 400
    assert client.post(url, data | {"moderation": "pre"}).status_code == 302
    assert MethodInstance.objects.get(pk=w.method.pk).moderation == "pre"
    assert client.post(url, data | {"moderation": ""}).status_code == 302
    assert MethodInstance.objects.get(pk=w.method.pk).moderation == ""


# -- the public side ---------------------------------------------------------------------------


def test_a_resident_reports_published_input(
    w: factories.World, client: Client, published: Contribution
) -> None:
    listing = client.get(list_url(w), headers=EN).content.decode()
    assert report_url(w, published) in listing
    page = client.get(report_url(w, published), headers=EN)
    assert page.status_code == 200
    assert "Læraren Ola Hansen" in page.content.decode()
    res = client.post(report_url(w, published), {"reason": "personal", "note": "Namn"}, headers=EN)
    assert res.status_code == 302
    assert res["Location"] == f"{list_url(w)}#innspel-{published.pk}"
    assert (
        "A moderator will look at the input"
        in client.get(res["Location"], headers=EN).content.decode()
    )
    res = client.post(report_url(w, published), {"reason": "spam"}, follow=True, headers=EN)
    assert "You have already reported this input" in res.content.decode()
    [report] = Report.objects.filter(contribution=published)
    assert (report.reason, report.note) == ("personal", "Namn")


def test_a_logged_in_resident_counts_once_across_browsers(
    w: factories.World, published: Contribution
) -> None:
    for _ in range(2):
        browser = Client()
        browser.force_login(w.officer)
        browser.post(report_url(w, published), {"reason": "spam"})
    assert Report.objects.filter(contribution=published).count() == 1


def test_a_bad_report_is_a_400_and_stores_nothing(
    w: factories.World, client: Client, published: Contribution
) -> None:
    res = client.post(report_url(w, published), {"note": "Stygt"}, headers=EN)
    assert res.status_code == 400
    html = res.content.decode()
    assert "Choose what is wrong with the input." in html and "Stygt" in html  # kept
    for data in ({"reason": "boring"}, {"reason": "spam", "note": "x" * 501}):
        assert client.post(report_url(w, published), data, headers=EN).status_code == 400
    assert not Report.objects.exists()


def test_the_report_form_needs_its_csrf_token(w: factories.World, published: Contribution) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(report_url(w, published), {"reason": "spam"}).status_code == 403
    assert not Report.objects.exists()


@override_settings(MEDVIRK_RATE_LIMITS={"input": "2/10m"})
def test_reports_are_rate_limited(w: factories.World, client: Client) -> None:
    items = [factories.contribution(w.method, text=f"Innspel {i}") for i in range(3)]
    statuses = [client.post(report_url(w, c), {"reason": "spam"}).status_code for c in items]
    assert statuses == [302, 302, 429]
    assert Report.objects.count() == 2


def test_only_published_input_has_a_report_page(w: factories.World, client: Client) -> None:
    pending = give_in(set_mode(w, ModerationMode.PRE))()
    assert client.get(report_url(w, pending)).status_code == 404
    other = factories.process(w.org)
    elsewhere = factories.contribution(factories.method(other, factories.phase(other)))
    assert client.get(report_url(w, elsewhere)).status_code == 404


def test_hidden_input_shows_the_reason_in_its_place(
    w: factories.World, client: Client, published: Contribution
) -> None:
    actions.do_hide(w.moderator, published, "Namngir ein tilsett.")
    pending = give_in(set_mode(w, ModerationMode.PRE))("Ventar på godkjenning")
    rejected = give_in(set_mode(w, ModerationMode.PRE))("Avvist tekst")
    actions.do_reject(w.moderator, rejected, "")
    html = client.get(list_url(w), headers=EN).content.decode()
    assert "Hidden by a moderator: Namngir ein tilsett." in html
    assert "Ola Hansen" not in html
    assert report_url(w, published) not in html
    assert pending.text not in html and "Avvist tekst" not in html


@pytest.mark.parametrize(
    ("state", "words"),
    [
        ("pending", "it awaits a moderator's approval"),
        ("hidden", "Hidden by a moderator: Spam"),
        ("rejected", "a moderator has decided not to publish it. The reason: Utanfor saka"),
    ],
)
def test_the_receipt_says_the_state_in_words(
    w: factories.World, client: Client, state: str, words: str
) -> None:
    c = give_in(set_mode(w, ModerationMode.PRE))()
    if state == "hidden":
        actions.do_approve(w.moderator, c)
        actions.do_hide(w.moderator, c, "Spam")
    elif state == "rejected":
        actions.do_reject(w.moderator, c, "Utanfor saka")
    c.refresh_from_db()
    html = client.get(c.receipt_url(), headers=EN).content.decode()
    assert words in html.replace("&#x27;", "'")


def test_a_moderator_role_page_lists_the_item_link(
    w: factories.World, client: Client, published: Contribution
) -> None:
    officer_and_moderator = factories.staff(w.org, Role.CASE_OFFICER)
    do_grant_role(w.admin, w.org, officer_and_moderator, Role.MODERATOR)
    client.force_login(officer_and_moderator)
    page = client.get(item_url(published), headers=EN).content.decode()
    assert reverse("staff:contribution", kwargs={"pk": published.pk}) in page
