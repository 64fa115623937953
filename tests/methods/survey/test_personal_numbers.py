"""A national identity number in a survey's free-text answer or name is never published.

The survey stores free-text answers in its own ``Answer`` rows (shown in the staff export)
as well as in the shared contribution (shown in the public input list once published):
both are masked, and the whole answer set is held for a moderator, who sees which
question's answer held a number. Numbers are synthetic.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse

from medvirk.algorithms.text.fodselsnummer import MASK
from medvirk.contributions import screening
from medvirk.contributions.actions import do_moderate
from medvirk.contributions.models import Contribution, ModerationState
from medvirk.identity.models import User
from medvirk.methods.survey.models import Answer
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

pytestmark = pytest.mark.django_db

FNR = "01019000083"
VARIANTS = {
    "plain": FNR,
    "two spaces": "010190  00083",
    "6-3-2": "010190 000 83",
    "2-2-2-5": "01 01 90 00083",
    "dotted date": "01.01.90 00083",
    "zero-width space": "010190\u200b00083",
    "nbsp": "010190\u00a000083",
}


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _public_list(client: Client, survey: Survey) -> str:
    process = survey.instance.process
    url = reverse(
        "public:contributions",
        kwargs={"municipality": process.municipality.slug, "slug": process.slug},
    )
    return client.get(url).content.decode()


def _staff_export(client: Client, survey: Survey, moderator: User) -> str:
    client.force_login(moderator)
    response = client.get(survey.named("export"))
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode("utf-8")
    return "\n".join(",".join(row) for row in csv.reader(io.StringIO(body.lstrip("\ufeff"))))


@pytest.mark.parametrize("written", VARIANTS.values(), ids=VARIANTS.keys())
def test_number_in_a_free_text_answer_is_masked_and_the_answer_set_held(
    survey: Survey, written: str
) -> None:
    receipt = survey_factories.survey_answer(
        survey, {survey.single.pk: "new", survey.text.pk: f"Eg er {written}, takk."}
    )
    c = Contribution.objects.get(pk=receipt.contribution.pk)
    assert c.moderation == ModerationState.HELD
    assert Answer.objects.get(contribution=c, question=survey.text).text == f"Eg er {MASK}, takk."
    assert f"Eg er {MASK}, takk." in c.text
    assert FNR not in _digits(c.text)
    assert screening.reasons(c.held_reason) == [
        f"The answer to question {survey.text.order}: looks like a national identity number"
        " (fødselsnummer)"
    ]


def test_number_typed_as_the_name_shown_with_the_answers_is_held_and_masked(
    client: Client, survey: Survey
) -> None:
    data = survey_factories.survey_form(survey, name=f"Kari {FNR}", show_name="on")
    assert client.post(survey.url, data).status_code == 302
    c = Contribution.objects.get(method_instance=survey.instance)
    assert c.moderation == ModerationState.HELD
    assert c.author_name == f"Kari {MASK}"
    assert screening.reasons(c.held_reason) == [
        "The name: looks like a national identity number (fødselsnummer)"
    ]


def test_number_in_an_answer_sent_through_the_web_form_never_reaches_a_page_or_export(
    client: Client, survey: Survey, moderator: User
) -> None:
    data = survey_factories.survey_form(survey)
    data[survey.text.field_name] = "Ring meg, fnr 01 01 90 00083"
    assert client.post(survey.url, data).status_code == 302
    c = Contribution.objects.get(method_instance=survey.instance)
    assert c.moderation == ModerationState.HELD
    assert "Ring meg" not in _public_list(client, survey)  # held: not listed
    assert FNR not in _digits(_staff_export(client, survey, moderator))
    do_moderate(moderator, c, ModerationState.PUBLISHED)
    client.logout()
    listed = _public_list(client, survey)
    assert f"Ring meg, fnr {MASK}" in listed
    assert FNR not in _digits(listed)


def test_answers_without_numbers_are_published_as_written(survey: Survey) -> None:
    text = "Skulen treng 12 nye klasserom innan 2030, og 1 234 567 kroner til uteområdet."
    receipt = survey_factories.survey_answer(
        survey, {survey.single.pk: "new", survey.text.pk: text}
    )
    c = Contribution.objects.get(pk=receipt.contribution.pk)
    assert c.moderation == ModerationState.PUBLISHED
    assert Answer.objects.get(contribution=c, question=survey.text).text == text
