"""The panel's staff pages: who may open them, plain POST forms that redirect on success and
answer 400 (or the action's status) with the reason, and private caching."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from medvirk.identity.models import User
from medvirk.methods.panel import dimensions, draws, population
from medvirk.methods.panel.models import Draw, Invitation, PanelSettings, PopulationFigure
from medvirk.methods.survey.models import Question
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from tests import factories
from tests.methods.panel.conftest import make_panel
from tests.methods.panel.test_draw import add_members, district_of, set_up_figures, survey_in
from tests.methods.panel.test_population import ssb_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(org: Municipality) -> MethodInstance:
    return make_panel(org)


@pytest.fixture
def survey(panel: MethodInstance) -> tuple[MethodInstance, Question]:
    return survey_in(panel)


@pytest.fixture
def staff_client(client: Client, officer: User) -> Client:
    client.force_login(officer)
    return client


def url(panel: MethodInstance, name: str, **kwargs: Any) -> str:
    return registry.get("panel").url(panel, name, **kwargs)


def editor(panel: MethodInstance) -> str:
    return reverse("staff:method_content", kwargs={"pk": panel.process_id, "method_pk": panel.pk})


def test_who_may_open_the_staff_pages(
    client: Client, org: Municipality, panel: MethodInstance, officer: User
) -> None:
    pages = [
        url(panel, "staff_dimensions"),
        url(panel, "staff_dimension", key="krins"),
        url(panel, "staff_figures"),
        url(panel, "staff_draw_new"),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302 and "logg-inn" in response["Location"], page
    for person in (
        factories.user(),
        factories.staff(org, Role.MODERATOR),
        factories.staff(factories.municipality("Annanvik"), Role.CASE_OFFICER),
    ):
        client.force_login(person)
        for page in [*pages, editor(panel)]:
            assert client.get(page).status_code == 404, page
    client.force_login(officer)
    for page in [*pages, editor(panel)]:
        response = client.get(page)
        assert response.status_code == 200, page
        assert response["Cache-Control"] == "private, no-store"
    assert client.put(pages[0]).status_code == 405
    assert client.get(url(panel, "staff_dimension", key="nope")).status_code == 404
    assert client.get(url(panel, "staff_draw", pk=999)).status_code == 404


def test_settings_on_the_overview(
    staff_client: Client, org: Municipality, panel: MethodInstance
) -> None:
    response = staff_client.post(
        editor(panel),
        {"organ_status": "organ", "organ_decision": "Sak 12/25", "min_age": "16"},
    )
    assert response.status_code == 302
    saved = PanelSettings.objects.get(municipality=org)
    assert (saved.organ_status, saved.min_age) == ("organ", 16)
    bad = staff_client.post(
        editor(panel), {"organ_status": "organ", "organ_decision": "", "min_age": "99"}
    )
    assert bad.status_code == 400
    assert 'id="error-summary"' in bad.content.decode()
    assert PanelSettings.objects.get(municipality=org).min_age == 16


def test_questions_pages(staff_client: Client, org: Municipality, panel: MethodInstance) -> None:
    page = url(panel, "staff_dimensions")
    added = staff_client.post(page, {"name": "How do you travel?", "options": "Car\nBus\n"})
    assert added.status_code == 302
    assert staff_client.post(page, {"name": "Only one", "options": "Yes"}).status_code == 400
    district = district_of(org)
    edit = url(panel, "staff_dimension", key=district.key)
    assert staff_client.post(edit, {"action": "save", "new": "Sentrum\nNordvik"}).status_code == 302
    district.refresh_from_db()
    keys = [o.key for o in dimensions.options_of(district)]
    assert len(keys) == 2
    renamed = staff_client.post(
        edit, {"action": "save", f"label_{keys[0]}": "Sentrum nord", f"label_{keys[1]}": "Nordvik"}
    )
    assert renamed.status_code == 302
    district.refresh_from_db()
    assert dimensions.options_of(district)[0].label == "Sentrum nord"
    # Age is fixed: no form, and a POST is refused with the reason.
    age = url(panel, "staff_dimension", key="alder")
    assert 'id="options-form"' not in staff_client.get(age).content.decode()
    refused = staff_client.post(age, {"action": "save", "new": "Old"})
    assert refused.status_code == 409
    assert "fixed" in refused.content.decode()
    # A question of their own can be deleted.
    travel = url(panel, "staff_dimension", key="how-do-you-travel")
    assert staff_client.post(travel, {"action": "delete"}).status_code == 302
    assert staff_client.get(travel).status_code == 404


def test_figures_by_hand_and_from_ssb(
    staff_client: Client, org: Municipality, panel: MethodInstance
) -> None:
    page = url(panel, "staff_figures")
    saved = staff_client.post(
        page,
        {
            "dimension": "kjonn",
            "kjonn-count_female": "1900",
            "kjonn-count_male": "2000",
            "kjonn-count_other": "",
            "kjonn-source": "Folkeregisteret",
            "kjonn-year": "2025",
        },
    )
    assert saved.status_code == 302
    assert PopulationFigure.objects.filter(dimension__municipality=org).count() == 2
    bad = staff_client.post(page, {"dimension": "kjonn", "kjonn-count_female": "-3"})
    assert bad.status_code == 400
    assert staff_client.post(page, {"dimension": "nope"}).status_code == 404
    ssb = url(panel, "staff_ssb")
    upload = SimpleUploadedFile("07459.csv", ssb_file(org.kommunenummer), "text/csv")
    imported = staff_client.post(ssb, {"file": upload})
    assert imported.status_code == 302
    report = staff_client.get(page).content.decode()
    assert 'id="ssb-report"' in report and "Line 12:" in report
    # Shown once.
    assert 'id="ssb-report"' not in staff_client.get(page).content.decode()
    wrong = SimpleUploadedFile("x.csv", ssb_file("3901"), "text/csv")
    refused = staff_client.post(ssb, {"file": wrong})
    assert refused.status_code == 400
    assert "3901" in refused.content.decode()
    assert staff_client.get(ssb).status_code == 302


def test_draw_send_remind_and_rates(
    staff_client: Client,
    org: Municipality,
    panel: MethodInstance,
    survey: tuple[MethodInstance, Question],
    django_capture_on_commit_callbacks: Any,
) -> None:
    set_up_figures(org)
    add_members(org, 40)
    new = url(panel, "staff_draw_new")
    form = staff_client.get(new).content.decode()
    assert survey[0].title in form and 'name="dimensions"' in form
    assert staff_client.post(new, {"target": survey[0].pk, "size": "0"}).status_code == 400
    too_many = staff_client.post(
        new,
        {"target": survey[0].pk, "size": "41", "dimensions": ["alder"], "algorithm": "maximin"},
    )
    assert too_many.status_code == 400 and "40 members" in too_many.content.decode()
    made = staff_client.post(
        new,
        {
            "target": survey[0].pk,
            "size": "8",
            "dimensions": ["alder", "kjonn"],
            "algorithm": "maximin",
            "seed": "7",
        },
    )
    assert made.status_code == 302
    draw = Draw.objects.get()
    assert made["Location"] == url(panel, "staff_draw", pk=draw.pk)
    assert draw.seed == "7"
    page = url(panel, "staff_draw", pk=draw.pk)
    assert 'id="send-form"' in staff_client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = staff_client.post(page, {"action": "send"})
    assert sent.status_code == 302
    assert len(mail.outbox) == 8
    after = staff_client.get(page).content.decode()
    assert 'id="send-form"' not in after and 'id="remind-form"' in after
    twice = staff_client.post(page, {"action": "send"})
    assert twice.status_code == 409
    assert staff_client.post(page, {"action": "nothing"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(page, {"action": "remind"}).status_code == 302
    assert len(mail.outbox) == 16
    assert Invitation.objects.filter(draw=draw, reminded_at__isnull=False).count() == 8
    rates = staff_client.get(url(panel, "staff_responses", pk=draw.pk))
    assert rates.status_code == 200
    assert "0 of 8 invited have answered." in rates.content.decode()


def test_an_impossible_draw_says_why(
    staff_client: Client,
    org: Municipality,
    panel: MethodInstance,
    survey: tuple[MethodInstance, Question],
) -> None:
    set_up_figures(org)
    members = add_members(org, 12)
    for member in members:
        member.profile = {"alder": "80+"}
        member.save()
    response = staff_client.post(
        url(panel, "staff_draw_new"),
        {"target": survey[0].pk, "size": "10", "dimensions": ["alder"], "algorithm": "maximin"},
    )
    assert response.status_code == 409
    assert "No fair draw can meet these quotas" in response.content.decode()
    assert not Draw.objects.exists()


def test_the_draw_form_explains_what_is_missing(
    staff_client: Client, panel: MethodInstance
) -> None:
    html = staff_client.get(url(panel, "staff_draw_new")).content.decode()
    assert 'id="no-targets"' in html and 'id="no-dimensions"' in html


def test_overview_lists_draws(
    staff_client: Client,
    org: Municipality,
    panel: MethodInstance,
    survey: tuple[MethodInstance, Question],
) -> None:
    set_up_figures(org)
    add_members(org, 10)
    draw = draws.do_draw(None, panel, target=survey[0], size=3, dimensions=["kjonn"])
    html = staff_client.get(editor(panel)).content.decode()
    assert url(panel, "staff_draw", pk=draw.pk) in html
    assert "panel has 10 members." in html
    population.do_save_figures(None, org, "kjonn", {})
    assert staff_client.get(editor(panel)).status_code == 200
