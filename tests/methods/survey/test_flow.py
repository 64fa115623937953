"""The loop: a resident answers without an account, leaves an e-mail, gets a receipt link."""

from __future__ import annotations

import pytest
from django.test import Client

from medvirk.contributions.models import Contribution
from medvirk.methods.survey.models import Answer, Submission
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

pytestmark = pytest.mark.django_db


def test_form_shows_every_question_with_labels(client: Client, survey: Survey) -> None:
    response = client.get(survey.url)
    assert response.status_code == 200
    html = response.content.decode()
    for question in (survey.single, survey.multiple, survey.scale, survey.ranking, survey.text):
        assert question.text in html
    assert 'name="consent"' in html
    assert 'for="id_email"' in html
    # Demographic questions are in their own fieldset after the consent box.
    assert html.index('name="consent"') < html.index(survey.age.text)
    assert html.index(survey.text.text) < html.index('name="consent"')


def test_anonymous_answer_with_email_gets_receipt(client: Client, survey: Survey) -> None:
    data = survey_factories.survey_form(survey, email="kari@example.org", consent="on")
    data[survey.age.field_name] = "adult"
    response = client.post(survey.url, data)
    assert response.status_code == 302
    contribution = Contribution.objects.get(method_instance=survey.instance)
    assert contribution.kind == "survey_answer"
    assert contribution.contact_email == "kari@example.org"
    assert contribution.author is None
    assert "Fix the ventilation." in contribution.text
    assert Submission.objects.get(contribution=contribution).key == data["key"]
    rows = Answer.objects.filter(contribution=contribution)
    assert {(a.question_id, a.choice) for a in rows if a.choice} == {
        (survey.single.pk, "renovate"),
        (survey.multiple.pk, "pupil"),
        (survey.multiple.pk, "sport"),
        (survey.ranking.pk, "safety"),
        (survey.ranking.pk, "air"),
        (survey.ranking.pk, "cost"),
        (survey.age.pk, "adult"),
    }
    assert rows.get(question=survey.scale).value == 4
    assert rows.get(question=survey.ranking, choice="cost").rank == 3
    # The thank-you page shows the private receipt link; the token is a path segment.
    assert "?" not in response["Location"]
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert thanks["Referrer-Policy"] == "same-origin"
    assert contribution.receipt_url() in thanks.content.decode()


def test_thanks_page_needs_the_right_token(client: Client, survey: Survey) -> None:
    response = client.post(survey.url, survey_factories.survey_form(survey))
    location = response["Location"]
    assert client.get(location).status_code == 200
    assert client.get(location.rstrip("/") + "x/").status_code == 404


def test_double_submit_stores_one_answer_set(client: Client, survey: Survey) -> None:
    data = survey_factories.survey_form(survey)
    first = client.post(survey.url, data)
    second = client.post(survey.url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Contribution.objects.filter(method_instance=survey.instance).count() == 1


def test_name_is_shown_only_when_asked(client: Client, survey: Survey) -> None:
    client.post(survey.url, survey_factories.survey_form(survey, name="Kari"))
    client.post(survey.url, survey_factories.survey_form(survey, name="Ola", show_name="on"))
    kari, ola = Contribution.objects.order_by("pk")
    assert kari.public_author == ""
    assert ola.public_author == "Ola"
