"""The editor's writes: add, update, delete and move questions; who may; what answers lock."""

from __future__ import annotations

from typing import Any

import pytest

from medvirk.core.errors import ActionRefused
from medvirk.core.models import AuditEntry
from medvirk.identity.models import User
from medvirk.methods.survey import actions
from medvirk.methods.survey.models import Question, QuestionKind
from medvirk.organisations.models import Municipality, Role
from tests import factories
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

pytestmark = pytest.mark.django_db


def opts(*labels: str) -> list[dict[str, str]]:
    return actions.choices_from_labels(list(labels))


def texts(survey: Survey) -> list[str]:
    return list(
        Question.objects.filter(method_instance=survey.instance)
        .order_by("order")
        .values_list("text", flat=True)
    )


def orders(survey: Survey) -> list[int]:
    return list(
        Question.objects.filter(method_instance=survey.instance)
        .order_by("order")
        .values_list("order", flat=True)
    )


def audit_actions(since: int) -> list[str]:
    """What the test's own actions wrote to the audit log (building the survey wrote rows too)."""
    return list(factories.audited_since(since).values_list("action", flat=True))


@pytest.fixture
def stranger() -> User:
    """A case officer, but of another municipality."""
    return factories.staff(factories.municipality("Andrevik"), Role.CASE_OFFICER)


# --- option keys ----------------------------------------------------------------------


def test_option_keys_are_spelled_from_labels_and_unique() -> None:
    choices = actions.choices_from_labels(
        ["Nybygg på same tomta", "Slå saman", "Rehabilitere (pusse opp)", "Ærlig talt", "!!!"]
    )
    assert [c["key"] for c in choices] == [
        "nybygg_paa_same_tomta",
        "slaa_saman",
        "rehabilitere_pusse_opp",
        "aerlig_talt",
        "option",
    ]
    twins = actions.choices_from_labels(["A b", "A-b", "a_b"])
    assert [c["key"] for c in twins] == ["a_b", "a_b_2", "a_b_3"]
    long_key = actions.choices_from_labels(["x" * 80, "x" * 81])
    assert [len(c["key"]) for c in long_key] == [40, 40]
    assert len({c["key"] for c in long_key}) == 2


def test_option_keys_are_kept_for_unchanged_labels() -> None:
    existing = [{"key": "close", "label": "Close it"}, {"key": "new", "label": "Build new"}]
    choices = actions.choices_from_labels(["build  NEW", "Renovate", "Close it"], existing)
    assert choices == [
        {"key": "new", "label": "build  NEW"},
        {"key": "renovate", "label": "Renovate"},
        {"key": "close", "label": "Close it"},
    ]


# --- add ------------------------------------------------------------------------------


def test_add_question_by_officer_is_audited(survey: Survey, officer: User) -> None:
    mark = factories.audit_mark()
    question = actions.do_add_question(
        officer,
        survey.instance,
        kind=QuestionKind.MULTIPLE,
        text="Which rooms do you use?",
        choices=opts("Gym", "Library"),
        help_text="Choose all that apply.",
    )
    assert question.order == 8
    assert question.choices == [
        {"key": "gym", "label": "Gym"},
        {"key": "library", "label": "Library"},
    ]
    entry = factories.audited_since(mark).get(action="survey.question_added")
    assert entry.actor == officer
    assert entry.object_id == str(question.pk)
    assert entry.municipality_id_ref == survey.instance.process.municipality_id


@pytest.mark.parametrize("who", ["moderator", "stranger", "resident"])
def test_add_refused_without_manage_process(survey: Survey, who: str, request: Any) -> None:
    user = request.getfixturevalue(who)
    mark = factories.audit_mark()
    with pytest.raises(ActionRefused) as refused:
        actions.do_add_question(user, survey.instance, kind=QuestionKind.TEXT, text="Anything?")
    assert refused.value.status == 403
    assert Question.objects.filter(method_instance=survey.instance).count() == 7
    assert audit_actions(since=mark) == []


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        (QuestionKind.SINGLE, ["Only one"], "from 2 to 20 options"),
        (QuestionKind.MULTIPLE, [f"Option {i}" for i in range(21)], "from 2 to 20 options"),
        (QuestionKind.RANKING, [f"Option {i}" for i in range(11)], "at most 10 options"),
        (QuestionKind.SINGLE, ["Yes", "  yes "], "listed more than once"),
        (QuestionKind.SINGLE, ["Fine", "x" * 201], "at most 200 characters"),
        (QuestionKind.TEXT, ["Not", "Allowed"], "has no options"),
        (QuestionKind.SCALE, ["Low", "Middle"], "steps 1 to 5"),
    ],
)
def test_add_validates_options(
    survey: Survey, officer: User, kind: str, choices: list[str], message: str
) -> None:
    mark = factories.audit_mark()
    # Keys are given explicitly, so the check is of the labels and counts themselves.
    raw = [{"key": f"k{i}", "label": label} for i, label in enumerate(choices)]
    if kind == QuestionKind.SCALE:
        raw = [{"key": "low", "label": "Low"}]
    with pytest.raises(ActionRefused) as refused:
        actions.do_add_question(officer, survey.instance, kind=kind, text="Q?", choices=raw)
    assert message in refused.value.message
    assert Question.objects.filter(method_instance=survey.instance).count() == 7
    assert audit_actions(since=mark) == []


def test_add_refuses_required_demographic_question(survey: Survey, officer: User) -> None:
    mark = factories.audit_mark()
    with pytest.raises(ActionRefused, match="cannot be required"):
        actions.do_add_question(
            officer,
            survey.instance,
            kind=QuestionKind.SINGLE,
            text="Age?",
            choices=opts("Young", "Old"),
            is_demographic=True,
            required=True,
        )
    assert audit_actions(since=mark) == []


# --- update ---------------------------------------------------------------------------


def test_update_changes_fields_and_audits_the_old_values(survey: Survey, officer: User) -> None:
    question = survey.multiple
    changed = actions.do_update_question(
        officer,
        question,
        kind=QuestionKind.SINGLE,
        text="How do you use the school?",
        help_text="Pick the main one.",
        choices=actions.choices_from_labels(["Pupil", "Parent", "Other"], question.choices),
        required=True,
    )
    assert changed == ["kind", "text", "help_text", "required", "choices"]
    question.refresh_from_db()
    assert question.kind == QuestionKind.SINGLE
    assert question.required is True
    assert question.option_keys() == ["pupil", "parent", "other"]
    entry = AuditEntry.objects.get(action="survey.question_updated")
    assert entry.actor == officer
    assert entry.data["changed"] == changed
    assert entry.data["before"]["text"] == "How do you use it?"
    assert entry.data["before"]["kind"] == "multiple"
    assert entry.data["had_answers"] is False


def test_update_without_changes_writes_nothing(survey: Survey, officer: User) -> None:
    mark = factories.audit_mark()
    q = survey.single
    changed = actions.do_update_question(
        officer, q, kind=q.kind, text=q.text, choices=q.choices, required=q.required
    )
    assert changed == []
    assert audit_actions(since=mark) == []


@pytest.mark.parametrize("who", ["moderator", "stranger"])
def test_update_refused_without_manage_process(survey: Survey, who: str, request: Any) -> None:
    user = request.getfixturevalue(who)
    mark = factories.audit_mark()
    with pytest.raises(ActionRefused) as refused:
        actions.do_update_question(user, survey.scale, kind=QuestionKind.SCALE, text="Changed?")
    assert refused.value.status == 403
    survey.scale.refresh_from_db()
    assert survey.scale.text == "How important is a short route?"
    assert audit_actions(since=mark) == []


def test_update_validates_like_add(survey: Survey, officer: User) -> None:
    mark = factories.audit_mark()
    with pytest.raises(ActionRefused, match="listed more than once"):
        actions.do_update_question(
            officer,
            survey.single,
            kind=QuestionKind.SINGLE,
            text="Which?",
            choices=[{"key": "a", "label": "Same"}, {"key": "b", "label": "same"}],
        )
    with pytest.raises(ActionRefused, match="cannot be required"):
        actions.do_update_question(
            officer,
            survey.age,
            kind=QuestionKind.SINGLE,
            text="Age group",
            choices=survey.age.choices,
            is_demographic=True,
            required=True,
        )
    survey.single.refresh_from_db()
    assert survey.single.text == "Which option?"
    assert audit_actions(since=mark) == []


def test_after_answers_wording_may_change_and_is_audited(survey: Survey, officer: User) -> None:
    survey_factories.survey_answer(survey)
    q = survey.single
    changed = actions.do_update_question(
        officer,
        q,
        kind=q.kind,
        text="Which option do you prefer?",
        help_text="Choose one.",
        choices=q.choices,
        required=q.required,
    )
    assert changed == ["text", "help_text"]
    q.refresh_from_db()
    assert q.text == "Which option do you prefer?"
    entry = AuditEntry.objects.get(action="survey.question_updated")
    assert entry.data["had_answers"] is True
    assert entry.data["before"] == {"text": "Which option?", "help_text": ""}


@pytest.mark.parametrize(
    "change",
    [
        {"kind": QuestionKind.MULTIPLE},
        {"choices": [{"key": "close", "label": "Close"}, {"key": "keep", "label": "Keep"}]},
        {
            "choices": [
                {"key": "close", "label": "Renovate"},
                {"key": "renovate", "label": "Close"},
                {"key": "new", "label": "New"},
            ]
        },
        {"required": False},
    ],
)
def test_after_answers_shape_changes_are_refused(
    survey: Survey, officer: User, change: dict[str, Any]
) -> None:
    mark = factories.audit_mark()
    survey_factories.survey_answer(survey)
    q = survey.single
    values: dict[str, Any] = {
        "kind": q.kind,
        "text": q.text,
        "choices": q.choices,
        "required": q.required,
        "is_demographic": q.is_demographic,
    }
    values.update(change)
    with pytest.raises(ActionRefused) as refused:
        actions.do_update_question(officer, q, **values)
    assert refused.value.status == 409
    assert "already has answers" in refused.value.message
    fresh = Question.objects.get(pk=q.pk)
    assert (fresh.kind, fresh.choices, fresh.required) == (q.kind, q.choices, q.required)
    assert audit_actions(since=mark) == []


def test_after_answers_demographic_flag_is_fixed(survey: Survey, officer: User) -> None:
    survey_factories.survey_answer(survey)
    q = survey.age
    with pytest.raises(ActionRefused, match="already has answers"):
        actions.do_update_question(
            officer, q, kind=q.kind, text=q.text, choices=q.choices, is_demographic=False
        )
    assert Question.objects.get(pk=q.pk).is_demographic is True


# --- delete ---------------------------------------------------------------------------


def test_delete_closes_the_gap_and_is_audited(survey: Survey, officer: User) -> None:
    actions.do_delete_question(officer, survey.multiple)
    assert not Question.objects.filter(pk=survey.multiple.pk).exists()
    assert orders(survey) == [1, 2, 3, 4, 5, 6]
    assert texts(survey)[:2] == ["Which option?", "How important is a short route?"]
    entry = AuditEntry.objects.get(action="survey.question_deleted")
    assert entry.actor == officer
    assert entry.object_id == str(survey.multiple.pk)
    assert entry.data["text"] == "How do you use it?"


@pytest.mark.parametrize("who", ["moderator", "stranger"])
def test_delete_refused_without_manage_process(survey: Survey, who: str, request: Any) -> None:
    user = request.getfixturevalue(who)
    mark = factories.audit_mark()
    with pytest.raises(ActionRefused) as refused:
        actions.do_delete_question(user, survey.multiple)
    assert refused.value.status == 403
    assert Question.objects.filter(pk=survey.multiple.pk).exists()
    assert audit_actions(since=mark) == []


def test_delete_refused_after_answers(survey: Survey, officer: User) -> None:
    mark = factories.audit_mark()
    survey_factories.survey_answer(survey)
    with pytest.raises(ActionRefused) as refused:
        actions.do_delete_question(officer, survey.text)
    assert refused.value.status == 409
    assert "cannot be deleted" in refused.value.message
    assert Question.objects.filter(pk=survey.text.pk).exists()
    assert audit_actions(since=mark) == []


def test_delete_of_a_question_already_gone(survey: Survey, officer: User) -> None:
    stale = Question.objects.get(pk=survey.text.pk)
    actions.do_delete_question(officer, survey.text)
    with pytest.raises(ActionRefused) as refused:
        actions.do_delete_question(officer, stale)
    assert refused.value.status == 404


# --- move -----------------------------------------------------------------------------


def test_move_up_and_down_swaps_neighbours(survey: Survey, officer: User) -> None:
    assert actions.do_move_question(officer, survey.scale, "up") == 2
    assert texts(survey)[:3] == [
        "Which option?",
        "How important is a short route?",
        "How do you use it?",
    ]
    assert actions.do_move_question(officer, survey.single, "down") == 2
    assert texts(survey)[:2] == ["How important is a short route?", "Which option?"]
    assert orders(survey) == [1, 2, 3, 4, 5, 6, 7]
    moves = AuditEntry.objects.filter(action="survey.question_moved").order_by("seq")
    assert [(e.data["from"], e.data["to"]) for e in moves] == [(3, 2), (1, 2)]


def test_move_repairs_gaps_and_ties_in_the_order(survey: Survey, officer: User) -> None:
    Question.objects.filter(method_instance=survey.instance).update(order=5)
    # All tied: the order falls back to the id, so the scale is third.
    actions.do_move_question(officer, survey.scale, "up")
    assert orders(survey) == [1, 2, 3, 4, 5, 6, 7]
    assert texts(survey)[1] == "How important is a short route?"


def test_move_beyond_the_ends_is_refused(survey: Survey, officer: User) -> None:
    mark = factories.audit_mark()
    with pytest.raises(ActionRefused, match="already the first"):
        actions.do_move_question(officer, survey.single, "up")
    with pytest.raises(ActionRefused, match="already the last"):
        actions.do_move_question(officer, survey.relation, "down")
    with pytest.raises(ActionRefused, match="up or down"):
        actions.do_move_question(officer, survey.scale, "sideways")
    assert audit_actions(since=mark) == []


def test_move_is_allowed_after_answers(survey: Survey, officer: User) -> None:
    survey_factories.survey_answer(survey)
    actions.do_move_question(officer, survey.text, "up")
    assert texts(survey)[3] == "What should the council know?"


@pytest.mark.parametrize("who", ["moderator", "stranger"])
def test_move_refused_without_manage_process(survey: Survey, who: str, request: Any) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(ActionRefused) as refused:
        actions.do_move_question(user, survey.scale, "up")
    assert refused.value.status == 403
    assert texts(survey)[2] == "How important is a short route?"


def test_actions_only_touch_their_own_survey(org: Municipality, officer: User) -> None:
    first = survey_factories.survey(org)
    second = survey_factories.survey(org)
    actions.do_delete_question(officer, first.single)
    actions.do_move_question(officer, first.scale, "up")
    assert orders(second) == [1, 2, 3, 4, 5, 6, 7]
    assert texts(second)[0] == "Which option?"


@pytest.mark.django_db(transaction=True)  # foreign keys are checked at a real commit
def test_answers_read_before_a_question_was_deleted_are_refused_cleanly(
    survey: Survey, officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The survey was read, then staff deleted a question, then the answers are stored."""
    from medvirk.contributions.models import Contribution
    from medvirk.methods.survey.models import Answer

    stale = list(Question.objects.filter(method_instance=survey.instance))
    actions.do_delete_question(officer, survey.single)
    monkeypatch.setattr(actions, "_survey_questions", lambda instance: stale)
    with pytest.raises(ActionRefused) as refused:
        survey_factories.survey_answer(survey, {survey.single.pk: "new", survey.scale.pk: 3})
    assert refused.value.status == 409
    assert "changed while you answered" in refused.value.message
    assert Contribution.objects.count() == 0
    assert Answer.objects.count() == 0
