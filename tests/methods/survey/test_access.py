"""Closed phases, unpublished surveys, login-only surveys and other municipalities' ids."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from medvirk.contributions.models import Contribution
from medvirk.identity.models import User
from medvirk.methods.survey.models import Answer
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, ProcessStatus
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def test_closed_phase_refuses_with_message(client: Client, org: Municipality) -> None:
    now = timezone.now()
    survey = survey_factories.survey(org, start=now - 10 * DAY, end=now - DAY)
    page = client.get(survey.url)
    assert page.status_code == 200
    assert "This phase is closed" in page.content.decode()
    assert 'id="survey-form"' not in page.content.decode()
    response = client.post(survey.url, survey_factories.survey_form(survey))
    assert response.status_code == 403
    assert "This phase is closed" in response.content.decode()
    assert Contribution.objects.count() == 0
    assert Answer.objects.count() == 0


def test_phase_not_started_refuses(client: Client, org: Municipality) -> None:
    now = timezone.now()
    survey = survey_factories.survey(org, start=now + DAY, end=now + 10 * DAY)
    response = client.post(survey.url, survey_factories.survey_form(survey))
    assert response.status_code == 403
    assert "This opens on" in response.content.decode()
    assert Contribution.objects.count() == 0


def test_closed_process_refuses(client: Client, survey: Survey) -> None:
    process = survey.instance.process
    process.status = ProcessStatus.CLOSED
    process.save()
    response = client.post(survey.url, survey_factories.survey_form(survey))
    assert response.status_code == 403
    assert "not open for input" in response.content.decode()
    assert Contribution.objects.count() == 0


def test_unpublished_survey_is_not_found(client: Client, survey: Survey) -> None:
    MethodInstance.objects.filter(pk=survey.instance.pk).update(is_published=False)
    assert client.get(survey.url).status_code == 404
    assert client.post(survey.url, survey_factories.survey_form(survey)).status_code == 404
    assert client.get(survey.named("results")).status_code == 404
    assert Contribution.objects.count() == 0


def test_login_required_when_anonymous_answers_are_off(
    client: Client, org: Municipality, resident: User
) -> None:
    survey = survey_factories.survey(org, settings={"allow_anonymous": False})
    response = client.post(survey.url, survey_factories.survey_form(survey))
    assert response.status_code == 403
    assert "Log in to answer" in response.content.decode()
    assert Contribution.objects.count() == 0
    client.force_login(resident)
    assert client.post(survey.url, survey_factories.survey_form(survey)).status_code == 302
    assert Contribution.objects.get().author == resident


def test_no_email_field_when_not_asked(client: Client, org: Municipality) -> None:
    survey = survey_factories.survey(org, settings={"ask_contact_email": False})
    assert 'name="email"' not in client.get(survey.url).content.decode()
    client.post(survey.url, survey_factories.survey_form(survey, email="kari@example.org"))
    assert Contribution.objects.get().contact_email == ""


def _swap_municipality(url: str, survey: Survey, other: Survey) -> str:
    return url.replace(
        f"/{survey.instance.process.municipality.slug}/",
        f"/{other.instance.process.municipality.slug}/",
        1,
    )


def test_other_municipalitys_survey_is_not_reachable(
    client: Client, survey: Survey, other_survey: Survey
) -> None:
    # The other municipality's slug with this process and method: no such survey there.
    for url in (survey.url, survey.named("results"), survey.named("export")):
        assert client.get(_swap_municipality(url, survey, other_survey)).status_code == 404
    response = client.post(
        _swap_municipality(survey.url, survey, other_survey), survey_factories.survey_form(survey)
    )
    assert response.status_code == 404
    assert Contribution.objects.count() == 0


def test_other_surveys_question_ids_are_refused(
    client: Client, survey: Survey, other_survey: Survey
) -> None:
    data = survey_factories.survey_form(survey, **{other_survey.single.field_name: "new"})
    response = client.post(survey.url, data)
    assert response.status_code == 400
    assert "does not match this survey" in response.content.decode()
    assert Contribution.objects.count() == 0


def test_thanks_page_of_another_survey_is_not_found(
    client: Client, survey: Survey, other_survey: Survey
) -> None:
    location = client.post(other_survey.url, survey_factories.survey_form(other_survey))["Location"]
    contribution = Contribution.objects.get()
    token = location.rstrip("/").rsplit("/", 1)[-1]
    url = registry.get("survey").url(survey.instance, "thanks", pk=contribution.pk, token=token)
    assert client.get(url).status_code == 404


def test_survey_pages_are_not_served_for_other_methods(client: Client, survey: Survey) -> None:
    MethodInstance.objects.filter(pk=survey.instance.pk).update(method_key="information")
    assert client.get(survey.named("results")).status_code == 404
    assert client.get(survey.named("export")).status_code == 404
