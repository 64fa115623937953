"""The panel's pages for residents: the panel page for each kind of visitor, joining through
the form (consent, age, bad input, a double submit), the profile, leaving, «Mine data»."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
from django.test import Client

from medvirk.methods.panel import dimensions
from medvirk.methods.panel.models import Dimension, OrganStatus, PanelMember
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, ProcessStatus
from tests import factories
from tests.concurrency import in_parallel
from tests.methods.panel.conftest import join, make_panel, panel_url, resident

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
JOINING = {"q-alder": "25-34", "q-kjonn": "female", "of_age": "on", "consent": "on"}


def logged_in(user: Any | None = None) -> Client:
    client = Client()
    client.force_login(user or resident())
    return client


def text(response: Any) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def assert_private(response: Any) -> None:
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"


# --- the panel page -----------------------------------------------------------------------


def test_the_plugin_is_well_formed_and_lists_the_member_pages() -> None:
    plugin = registry.get("panel")
    assert registry.problems(plugin) == []
    names = {p.name for p in plugin.urlpatterns()}  # type: ignore[union-attr]
    assert {"join", "profile", "leave"} <= names


def test_an_anonymous_visitor_reads_what_the_panel_is_and_is_asked_to_log_in(
    panel_instance: MethodInstance,
) -> None:
    response = Client().get(panel_url(panel_instance), **EN)
    assert response.status_code == 200
    assert_private(response)
    page = text(response)
    assert "drawn by lot" in page
    assert "leave the panel at any time" in page
    assert "Your name and e-mail address are never published" in page
    assert "Log in to join" in page
    assert "/konto/logg-inn/?next=" + panel_url(panel_instance, "join") in page
    # The draws list is included below its heading.
    assert "Published lotteries" in page


def test_counts_from_one_to_four_members_are_hidden(panel_instance: MethodInstance) -> None:
    def count() -> str:
        page = text(Client().get(panel_url(panel_instance), **EN))
        return page.split('id="panel-member-count">')[1].split("<")[0]

    assert count() == "The panel has 0 members."
    for _ in range(4):
        join(panel_instance)
        assert count() == "The panel has fewer than 5 members."
    join(panel_instance)
    assert count() == "The panel has 5 members."


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            OrganStatus.UNDECIDED,
            ["has not decided yet", "Sivilombudet", "2024", "§§ 11-2 and 11-5"],
        ),
        (OrganStatus.ORGAN, ["treated as a folkevalt organ", "§§ 11-2 and 11-5", "open meetings"]),
        (OrganStatus.NOT_ORGAN, ["is not a folkevalt organ"]),
    ],
)
def test_the_page_states_the_municipalitys_decision_on_the_panels_status(
    org: Municipality, panel_instance: MethodInstance, status: str, expected: list[str]
) -> None:
    settings = dimensions.settings_of(org)
    settings.organ_status = status
    settings.organ_decision = "" if status == OrganStatus.UNDECIDED else "Kommunestyret, sak 12/25"
    settings.save()
    page = text(Client().get(panel_url(panel_instance), **EN))
    for words in expected:
        assert words in page
    assert ("Kommunestyret, sak 12/25" in page) is (status != OrganStatus.UNDECIDED)


def test_a_decision_link_is_a_link_and_markup_is_escaped(
    org: Municipality, panel_instance: MethodInstance
) -> None:
    settings = dimensions.settings_of(org)
    settings.organ_status = OrganStatus.ORGAN
    settings.organ_decision = "<b>sak</b> https://lillevik.example.org/vedtak/12"
    settings.save()
    markup = Client().get(panel_url(panel_instance), **EN).content.decode()
    assert "&lt;b&gt;sak&lt;/b&gt;" in markup
    assert 'href="https://lillevik.example.org/vedtak/12"' in markup


def test_without_a_verified_email_the_page_says_what_is_needed(
    panel_instance: MethodInstance,
) -> None:
    client = logged_in(resident(verified=False))
    page = text(client.get(panel_url(panel_instance), **EN))
    assert "confirmed e-mail address" in page
    assert 'href="/konto/"' in page
    assert "Log in to join" not in page
    response = client.get(panel_url(panel_instance, "join"), **EN)
    assert response.status_code == 403
    assert "You need to log in with E-mail verified" in text(response)


def test_a_verified_resident_is_offered_to_join(panel_instance: MethodInstance) -> None:
    page = text(logged_in().get(panel_url(panel_instance), **EN))
    assert 'id="panel-join-link"' in page
    assert "Your membership" not in page


def test_a_member_sees_the_membership_from_every_panel_of_the_municipality(
    org: Municipality, panel_instance: MethodInstance
) -> None:
    person = resident()
    member = join(panel_instance, person)
    other_case = make_panel(org, title="The panel in another case")
    for instance in (panel_instance, other_case):
        page = text(logged_in(person).get(panel_url(instance), **EN))
        assert "Your membership" in page
        assert member.code in page
        assert panel_url(instance, "profile") in page
    elsewhere = make_panel(factories.municipality("Andrevik"))
    page = text(logged_in(person).get(panel_url(elsewhere), **EN))
    assert "Your membership" not in page
    assert member.code not in page


def test_when_the_case_is_decided_the_page_says_joining_is_closed(
    panel_instance: MethodInstance,
) -> None:
    panel_instance.process.status = ProcessStatus.DECIDED
    panel_instance.process.save()
    client = logged_in()
    page = text(client.get(panel_url(panel_instance), **EN))
    assert "This case has been decided" in page
    assert client.get(panel_url(panel_instance, "join"), **EN).status_code == 403


def test_other_methods_are_not_allowed(panel_instance: MethodInstance) -> None:
    assert Client().post(panel_url(panel_instance)).status_code == 405
    assert logged_in().put(panel_url(panel_instance, "join")).status_code == 405


# --- joining ------------------------------------------------------------------------------


def test_joining_needs_a_login_first(panel_instance: MethodInstance) -> None:
    response = Client().get(panel_url(panel_instance, "join"), **EN)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logg-inn/?next=")
    assert Client().post(panel_url(panel_instance, "join"), JOINING).status_code == 302
    assert not PanelMember.objects.exists()


def test_the_join_form_asks_the_questions_the_age_and_the_consent(
    org: Municipality, panel_instance: MethodInstance
) -> None:
    dimensions.ensure_defaults(org)
    Dimension.objects.filter(municipality=org, key="krins").update(
        options=[{"key": "nordvik", "label": "Nordvik"}]
    )
    response = logged_in().get(panel_url(panel_instance, "join"), **EN)
    assert response.status_code == 200
    assert_private(response)
    markup = response.content.decode()
    page = text(response)
    assert 'method="post"' in markup and "csrfmiddlewaretoken" in markup
    for name in ("q-alder", "q-kjonn", "q-krins", "of_age", "consent"):
        assert f'name="{name}"' in markup
    assert markup.count('type="radio" name="q-') > 3
    assert (
        page.count('value="" checked> <label class="ds-label" data-weight="regular" for="id_q-')
        == 3
    )
    assert page.count("I would rather not answer</label>") == 3
    assert "I am 15 years or older." in page
    for heading in ("What is stored", "Why", "Who sees it", "What is published", "How to leave"):
        assert f"<dt>{heading}</dt>" in page
    assert "Nordvik" in page


def test_districts_without_options_are_not_asked(panel_instance: MethodInstance) -> None:
    markup = logged_in().get(panel_url(panel_instance, "join"), **EN).content.decode()
    assert 'name="q-krins"' not in markup
    assert 'name="q-kjonn"' in markup


def test_joining_through_the_form(panel_instance: MethodInstance) -> None:
    person = resident()
    client = logged_in(person)
    response = client.post(panel_url(panel_instance, "join"), JOINING, **EN)
    assert response.status_code == 302
    assert response["Location"] == panel_url(panel_instance, "profile")
    member = PanelMember.objects.get(user=person)
    assert member.profile == {"alder": "25-34", "kjonn": "female"}
    page = text(client.get(response["Location"], **EN))
    assert "Welcome to the residents' panel" in page


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("consent", "To join, you must agree to what the panel stores and publishes."),
        ("of_age", "You must be 15 years or older to join this panel."),
    ],
)
def test_the_form_without_consent_or_age_is_refused(
    panel_instance: MethodInstance, missing: str, message: str
) -> None:
    data = {k: v for k, v in JOINING.items() if k != missing}
    response = logged_in().post(panel_url(panel_instance, "join"), data, **EN)
    assert response.status_code == 400
    assert_private(response)
    page = text(response)
    assert message in page
    assert 'id="error-summary"' in page
    assert f'href="#id_{missing}"' in page
    # What the person chose is kept.
    assert 'value="25-34" checked' in page
    assert not PanelMember.objects.exists()


def test_a_forged_option_is_refused_with_a_message(panel_instance: MethodInstance) -> None:
    response = logged_in().post(
        panel_url(panel_instance, "join"), {**JOINING, "q-kjonn": "robot"}, **EN
    )
    assert response.status_code == 400
    assert "Choose one of the options." in text(response)
    assert 'href="#id_q-kjonn_0"' in text(response)
    assert not PanelMember.objects.exists()


def test_a_member_opening_the_join_page_goes_to_the_profile(
    panel_instance: MethodInstance,
) -> None:
    person = resident()
    join(panel_instance, person)
    client = logged_in(person)
    for response in (
        client.get(panel_url(panel_instance, "join"), **EN),
        client.post(panel_url(panel_instance, "join"), JOINING, **EN),
    ):
        assert response.status_code == 302
        assert response["Location"] == panel_url(panel_instance, "profile")
    assert "You are already a member" in text(client.get(panel_url(panel_instance, "profile")))
    assert PanelMember.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_makes_one_member(org: Municipality) -> None:
    panel = make_panel(org)
    person = resident()

    def submit(i: int) -> int:
        return int(logged_in(person).post(panel_url(panel, "join"), JOINING, **EN).status_code)

    assert in_parallel(submit, 5) == [302] * 5
    assert PanelMember.objects.filter(user=person).count() == 1


# --- the profile and leaving --------------------------------------------------------------


def test_the_profile_page_shows_code_answers_and_consent(
    panel_instance: MethodInstance,
) -> None:
    person = resident()
    member = join(panel_instance, person, {"alder": "25-34"})
    response = logged_in(person).get(panel_url(panel_instance, "profile"), **EN)
    assert response.status_code == 200
    assert_private(response)
    page = text(response)
    assert member.code in page
    assert "<dt>Age</dt><dd>25–34 years</dd>" in page
    assert '<dt>Gender</dt><dd><span class="meta">Not answered</span></dd>' in page
    assert "You said yes to what is stored and published" in page
    assert "You have not been invited yet" in page
    assert panel_url(panel_instance, "leave") in page
    assert 'value="25-34" checked' in page


def test_the_profile_needs_a_login_and_a_membership(panel_instance: MethodInstance) -> None:
    url = panel_url(panel_instance, "profile")
    assert Client().get(url).status_code == 302
    response = logged_in().get(url, **EN)
    assert response.status_code == 302
    assert response["Location"] == panel_url(panel_instance)
    for name in ("profile", "leave"):
        response = logged_in().post(panel_url(panel_instance, name), {"q-kjonn": "male"}, **EN)
        assert response.status_code == 302
    assert not PanelMember.objects.exists()


def test_changing_the_answers(panel_instance: MethodInstance) -> None:
    person = resident()
    member = join(panel_instance, person, {"alder": "25-34", "kjonn": "female"})
    client = logged_in(person)
    url = panel_url(panel_instance, "profile")
    response = client.post(url, {"q-alder": "35-44", "q-kjonn": ""}, **EN)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.profile == {"alder": "35-44"}
    assert "Your answers are saved." in text(client.get(url, **EN))


def test_a_bad_change_gives_400_and_changes_nothing(panel_instance: MethodInstance) -> None:
    person = resident()
    member = join(panel_instance, person, {"kjonn": "female"})
    response = logged_in(person).post(
        panel_url(panel_instance, "profile"), {"q-kjonn": "robot"}, **EN
    )
    assert response.status_code == 400
    assert "Choose one of the options." in text(response)
    member.refresh_from_db()
    assert member.profile == {"kjonn": "female"}


def test_leaving_asks_first_then_erases(org: Municipality, panel_instance: MethodInstance) -> None:
    person = resident()
    member = join(panel_instance, person)
    client = logged_in(person)
    url = panel_url(panel_instance, "leave")
    response = client.get(url, **EN)
    assert response.status_code == 200
    assert_private(response)
    assert member.code in text(response)
    assert PanelMember.objects.exists()
    mark = factories.audit_mark()
    response = client.post(url, {}, **EN)
    assert response.status_code == 302
    assert response["Location"] == panel_url(panel_instance)
    assert not PanelMember.objects.exists()
    assert [e.action for e in factories.audited_since(mark)] == ["panel.left"]
    page = text(client.get(panel_url(panel_instance), **EN))
    assert "You have left the residents' panel." in page
    assert 'id="panel-join-link"' in page


def test_my_data_download_has_the_membership(panel_instance: MethodInstance) -> None:
    person = resident()
    member = join(panel_instance, person, {"kjonn": "male"})
    response = logged_in(person).get("/konto/mine-data/", **EN)
    assert response.status_code == 200
    data = json.loads(response.content)
    [mine] = data["panel_memberships"]
    assert mine["member_code"] == member.code
    assert mine["profile"] == [{"question": "Gender", "answer": "Man"}]
