"""Demographic questions are stored only with explicit consent."""

from __future__ import annotations

import pytest
from django.test import Client

from medvirk.contributions.models import Contribution
from medvirk.methods.survey.models import Answer
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

pytestmark = pytest.mark.django_db


def test_without_consent_demographic_answers_are_discarded(client: Client, survey: Survey) -> None:
    data = survey_factories.survey_form(
        survey, **{survey.age.field_name: "old", survey.relation.field_name: "other"}
    )
    response = client.post(survey.url, data)
    assert response.status_code == 302
    assert Answer.objects.filter(question__is_demographic=True).count() == 0
    assert Answer.objects.filter(question=survey.single).count() == 1
    assert Contribution.objects.get().data == {}


def test_without_consent_even_bad_demographic_input_is_ignored(
    client: Client, survey: Survey
) -> None:
    response = client.post(
        survey.url, survey_factories.survey_form(survey, **{survey.age.field_name: "forged"})
    )
    assert response.status_code == 302
    assert Answer.objects.filter(question__is_demographic=True).count() == 0


def test_with_consent_demographic_answers_are_stored(client: Client, survey: Survey) -> None:
    data = survey_factories.survey_form(survey, consent="on", **{survey.age.field_name: "old"})
    assert client.post(survey.url, data).status_code == 302
    assert list(Answer.objects.filter(question__is_demographic=True).values_list("choice")) == [
        ("old",)
    ]
    assert Contribution.objects.get().data == {"demographic_consent": True}


def test_with_consent_bad_demographic_input_is_refused(client: Client, survey: Survey) -> None:
    data = survey_factories.survey_form(survey, consent="on", **{survey.age.field_name: "forged"})
    response = client.post(survey.url, data)
    assert response.status_code == 400
    assert f'id="{survey.age.field_name}-error"' in response.content.decode()
    assert Contribution.objects.count() == 0


def test_action_drops_demographics_without_consent(survey: Survey) -> None:
    survey_factories.survey_answer(
        survey, {survey.single.pk: "new", survey.age.pk: "young"}, consent=False
    )
    survey_factories.survey_answer(
        survey, {survey.single.pk: "new", survey.age.pk: "young"}, consent=True
    )
    assert Answer.objects.filter(question=survey.age).count() == 1


def test_demographic_question_cannot_be_required(survey: Survey) -> None:
    from django.db import IntegrityError, transaction

    survey.age.required = True
    with pytest.raises(IntegrityError), transaction.atomic():
        survey.age.save()
