"""Bad input gets a clear message, tied to its field, and writes nothing."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from medvirk.contributions.models import Contribution
from medvirk.core.errors import ActionRefused
from medvirk.methods.survey import actions
from medvirk.methods.survey.models import Answer, Submission
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

pytestmark = pytest.mark.django_db


def assert_nothing_written() -> None:
    assert Contribution.objects.count() == 0
    assert Answer.objects.count() == 0
    assert Submission.objects.count() == 0


def rank(s: Survey, safety: str, air: str, cost: str) -> dict[str, str]:
    name = s.ranking.field_name
    return {f"{name}-safety": safety, f"{name}-air": air, f"{name}-cost": cost}


# (case id, function building the overrides, the message the person reads, field in error)
CASES: list[tuple[str, Any, str, str]] = [
    (
        "text too long",
        lambda s: {s.text.field_name: "x" * 2001},
        "The text is too long: at most 2000 characters",
        "text",
    ),
    ("text with NUL", lambda s: {s.text.field_name: "a\x00b"}, "not allowed", "text"),
    ("scale out of range", lambda s: {s.scale.field_name: "9"}, "from 1 to 5", "scale"),
    ("scale zero", lambda s: {s.scale.field_name: "0"}, "from 1 to 5", "scale"),
    ("scale negative", lambda s: {s.scale.field_name: "-1"}, "from 1 to 5", "scale"),
    ("scale not a number", lambda s: {s.scale.field_name: "abc"}, "from 1 to 5", "scale"),
    ("scale decimal", lambda s: {s.scale.field_name: "3.5"}, "from 1 to 5", "scale"),
    ("scale superscript digit", lambda s: {s.scale.field_name: "²"}, "from 1 to 5", "scale"),
    ("scale huge", lambda s: {s.scale.field_name: "9" * 5000}, "from 1 to 5", "scale"),
    ("scale two values", lambda s: {s.scale.field_name: ["2", "3"]}, "one answer", "scale"),
    ("single unknown option", lambda s: {s.single.field_name: "demolish"}, "Choose one", "single"),
    (
        "single two values",
        lambda s: {s.single.field_name: ["close", "new"]},
        "one answer",
        "single",
    ),
    ("required missing", lambda s: {s.single.field_name: None}, "Answer this question", "single"),
    ("multiple unknown", lambda s: {s.multiple.field_name: ["pupil", "x"]}, "among", "multiple"),
    (
        "multiple repeated",
        lambda s: {s.multiple.field_name: ["pupil", "pupil"]},
        "once",
        "multiple",
    ),
    ("ranking repeated", lambda s: rank(s, "1", "1", "2"), "different rank", "ranking"),
    ("ranking too high", lambda s: rank(s, "1", "2", "4"), "different rank", "ranking"),
    ("ranking partial", lambda s: rank(s, "1", "", ""), "every option", "ranking"),
    ("ranking not a number", lambda s: rank(s, "a", "2", "3"), "whole number", "ranking"),
    ("ranking superscript", lambda s: rank(s, "¹", "2", "3"), "whole number", "ranking"),
]


@pytest.mark.parametrize(("case", "build", "message", "field"), CASES, ids=[c[0] for c in CASES])
def test_bad_answer_is_refused_with_field_error(
    client: Client, survey: Survey, case: str, build: Any, message: str, field: str
) -> None:
    response = client.post(survey.url, survey_factories.survey_form(survey, **build(survey)))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    question = getattr(survey, field)
    # The error is tied to the question (aria-describedby) and listed in the summary.
    assert f'id="{question.field_name}-error"' in html
    assert f'aria-describedby="{question.field_name}-error"' in html or (
        f'{question.field_name}-error"' in html
    )
    assert 'class="ds-error-summary"' in html
    assert_nothing_written()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"name": "N" * 151}, "at most 150 characters"),
        ({"key": ""}, "Reload the page"),
        ({"key": "not-hex-not-hex-not-hex-not-hex!"}, "Reload the page"),
        ({"q-999999": "1"}, "does not match this survey"),
    ],
    ids=["email", "name too long", "no form key", "forged form key", "unknown question id"],
)
def test_bad_details_are_refused(
    client: Client, survey: Survey, overrides: dict[str, str], message: str
) -> None:
    response = client.post(survey.url, survey_factories.survey_form(survey, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert_nothing_written()


def test_oversized_text_keeps_what_was_written(client: Client, survey: Survey) -> None:
    response = client.post(
        survey.url, survey_factories.survey_form(survey, **{survey.text.field_name: "x" * 2001})
    )
    html = response.content.decode()
    assert 'value="renovate" checked' in html  # the rest of the answers are kept
    assert "x" * 2001 in html


def test_empty_answer_set_is_refused(client: Client, survey: Survey) -> None:
    survey.single.required = False
    survey.single.save()
    response = client.post(survey.url, {"key": secrets.token_hex(16)})
    assert response.status_code == 400
    assert "Answer at least one question" in response.content.decode()
    assert_nothing_written()


def test_forged_form_without_csrf_token_is_refused(survey: Survey) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(survey.url, survey_factories.survey_form(survey))
    assert response.status_code == 403
    assert_nothing_written()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("scale", "4"),
        ("scale", True),
        ("scale", 4.0),
        ("single", ["close"]),
        ("multiple", "pupil"),
        ("ranking", ["safety", "air", "cost"]),
        ("ranking", {"safety": 1, "air": 2, "cost": True}),
        ("text", 42),
    ],
)
def test_action_refuses_wrong_types(survey: Survey, field: str, value: Any) -> None:
    question = getattr(survey, field)
    responses = {survey.single.pk: "new", question.pk: value}
    with pytest.raises(actions.AnswersInvalid) as refused:
        survey_factories.survey_answer(survey, responses)
    assert question.pk in refused.value.errors
    assert_nothing_written()


def test_action_refuses_other_surveys_question(survey: Survey, other_survey: Survey) -> None:
    with pytest.raises(ActionRefused, match="does not match"):
        survey_factories.survey_answer(
            survey, {survey.single.pk: "new", other_survey.single.pk: "new"}
        )
    assert_nothing_written()


def test_action_refuses_combined_text_over_the_limit(survey: Survey, settings: Any) -> None:
    settings.MEDVIRK_MAX_TEXT_LENGTH = 100
    with pytest.raises(ActionRefused, match="too long together"):
        survey_factories.survey_answer(survey, {survey.single.pk: "new", survey.text.pk: "y" * 200})
    assert_nothing_written()


def test_action_refuses_bad_key(survey: Survey) -> None:
    with pytest.raises(ActionRefused, match="Reload the page"):
        actions.do_answer(AnonymousUser(), survey.instance, {survey.single.pk: "new"}, key="x")
    assert_nothing_written()


def test_national_id_number_is_masked_in_answers(survey: Survey) -> None:
    receipt = survey_factories.survey_answer(
        survey, {survey.single.pk: "new", survey.text.pk: "Mitt nr 01019000083 ok"}
    )
    stored = Answer.objects.get(question=survey.text)
    contribution = receipt.contribution
    assert "01019000083" not in stored.text
    assert "01019000083" not in contribution.text
    assert contribution.moderation == "held"  # a moderator looks before it is shown


def test_corrected_form_keeps_its_key_and_forged_key_is_replaced(
    client: Client, survey: Survey
) -> None:
    data = survey_factories.survey_form(survey, **{survey.scale.field_name: "9"})
    html = client.post(survey.url, data).content.decode()
    assert f'name="key" value="{data["key"]}"' in html
    html = client.post(
        survey.url, survey_factories.survey_form(survey, key="forged")
    ).content.decode()
    assert 'name="key" value="forged"' not in html
    assert re.search(r'name="key" value="[0-9a-f]{32}"', html)
