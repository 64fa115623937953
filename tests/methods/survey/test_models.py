"""Database rules of the survey and the checks on question definitions."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.survey import actions
from medvirk.methods.survey.charts import Bar, bar_chart
from medvirk.methods.survey.models import Answer, QuestionKind, Submission
from tests import factories
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

pytestmark = pytest.mark.django_db


def _integrity(row: Answer | Submission) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_one_answer_row_per_contribution_question_and_choice(survey: Survey) -> None:
    contribution = survey_factories.survey_answer(survey, {survey.single.pk: "new"}).contribution
    _integrity(Answer(contribution=contribution, question=survey.single, choice="new"))


def test_scale_value_and_rank_are_checked_by_the_database(survey: Survey) -> None:
    contribution = survey_factories.survey_answer(survey, {survey.single.pk: "new"}).contribution
    _integrity(Answer(contribution=contribution, question=survey.scale, value=6))
    _integrity(Answer(contribution=contribution, question=survey.ranking, choice="air", rank=0))


def test_a_form_key_is_used_once_per_survey(survey: Survey, other_survey: Survey) -> None:
    first = survey_factories.survey_answer(survey, key="a" * 32)
    again = survey_factories.survey_answer(survey, key="a" * 32)
    assert again.contribution.pk == first.contribution.pk
    assert again.token == first.token
    # The same key in another survey is another form.
    other = survey_factories.survey_answer(
        other_survey, {other_survey.single.pk: "new"}, key="a" * 32
    )
    assert other.contribution.pk != first.contribution.pk
    # The database itself refuses a second use of a key in one survey.
    Submission.objects.filter(contribution=other.contribution).delete()
    _integrity(
        Submission(method_instance=survey.instance, key="a" * 32, contribution=other.contribution)
    )


@pytest.mark.parametrize(
    ("kind", "choices", "extra", "message"),
    [
        ("essay", [], {}, "Unknown question type"),
        (QuestionKind.SINGLE, [{"key": "a", "label": "A"}], {}, "from 2 to"),
        (
            QuestionKind.SINGLE,
            [{"key": "a", "label": "A"}, {"key": "a", "label": "B"}],
            {},
            "unique",
        ),
        (
            QuestionKind.SINGLE,
            [{"key": "A B", "label": "A"}, {"key": "b", "label": "B"}],
            {},
            "lower-case",
        ),
        (
            QuestionKind.MULTIPLE,
            [{"key": "a", "label": ""}, {"key": "b", "label": "B"}],
            {},
            "label",
        ),
        (QuestionKind.TEXT, [{"key": "a", "label": "A"}], {}, "no options"),
        (QuestionKind.SCALE, [{"key": "7", "label": "A"}], {}, "steps 1 to 5"),
        (
            QuestionKind.RANKING,
            [{"key": f"k{i}", "label": "L"} for i in range(11)],
            {},
            "at most 10",
        ),
        (QuestionKind.TEXT, [], {"is_demographic": True}, "single or multiple"),
        (
            QuestionKind.SINGLE,
            [{"key": "a", "label": "A"}, {"key": "b", "label": "B"}],
            {"is_demographic": True, "required": True},
            "cannot be required",
        ),
    ],
)
def test_bad_question_definitions_are_refused(
    survey: Survey, kind: str, choices: list[dict[str, str]], extra: dict[str, Any], message: str
) -> None:
    with pytest.raises(ActionRefused, match=message):
        actions.do_add_question(
            None, survey.instance, kind=kind, text="Q?", choices=choices, **extra
        )


def test_questions_are_fixed_once_answered(survey: Survey) -> None:
    survey_factories.survey_answer(survey)
    with pytest.raises(ActionRefused, match="already has answers"):
        actions.do_add_question(None, survey.instance, kind=QuestionKind.TEXT, text="More?")


def test_only_staff_who_manage_processes_add_questions(
    survey: Survey, officer: User, moderator: User
) -> None:
    mark = factories.audit_mark()
    with pytest.raises(ActionRefused) as refused:
        actions.do_add_question(moderator, survey.instance, kind=QuestionKind.TEXT, text="Q?")
    assert refused.value.status == 403
    question = actions.do_add_question(
        officer, survey.instance, kind=QuestionKind.TEXT, text="Anything else?"
    )
    assert question.order == 8
    assert factories.audited_since(mark).filter(action="survey.question_added").count() == 1


def test_chart_escapes_labels_and_is_labelled() -> None:
    svg = bar_chart(
        "Title <b>",
        "Desc & more",
        [Bar("<script>x</script>", 3, "3 (50 %)"), Bar("B", 0, "<5")],
        uid="c1",
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'role="img"' in svg and 'aria-labelledby="c1-t c1-d"' in svg
    assert '<title id="c1-t">Title &lt;b&gt;</title>' in svg
    assert "&lt;5" in svg
    assert svg.count("<rect") == 1  # no bar for zero, but its value is written
