"""The question editor through the staff URL: list, add, edit, delete, move; bad input."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from medvirk.core.models import AuditEntry
from medvirk.identity.models import User
from medvirk.methods.survey.models import Question, QuestionKind
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from tests import factories
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

pytestmark = pytest.mark.django_db


def editor_url(survey: Survey) -> str:
    instance = survey.instance
    return reverse(
        "staff:method_content", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
    )


def empty_survey(org: Municipality) -> Survey:
    instance = survey_factories.survey_method(org)
    return Survey(instance, *([None] * 7))  # type: ignore[arg-type]


def texts(survey: Survey) -> list[str]:
    return list(
        Question.objects.filter(method_instance=survey.instance)
        .order_by("order")
        .values_list("text", flat=True)
    )


def add_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "action": "add",
        "kind": "single",
        "text": "Should the school stay open?",
        "help_text": "",
        "options": "Yes\nNo\nDon't know",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def staff_client(client: Client, officer: User) -> Client:
    client.force_login(officer)
    return client


def test_plugin_offers_the_editor() -> None:
    assert registry.get("survey").has_staff_editor


# --- GET ------------------------------------------------------------------------------


def test_list_shows_questions_in_order_with_their_facts(
    staff_client: Client, survey: Survey
) -> None:
    response = staff_client.get(editor_url(survey))
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(f"{n}. {text}") for n, text in enumerate(texts(survey), start=1)]
    assert positions == sorted(positions)
    assert "Single choice" in html and "Ranking" in html and "Free text" in html
    assert "Yes – asked only with consent" in html
    assert "<li>Renovate</li>" in html
    assert f'href="{survey.url}"' in html  # preview of the public page
    assert 'id="question-form"' in html
    assert 'name="action" value="add"' in html
    # First question has no "move up", last has no "move down".
    first = html[
        html.index(f'id="question-{survey.single.pk}"') : html.index(
            f'id="question-{survey.multiple.pk}"'
        )
    ]
    assert "move_up" not in first and "move_down" in first
    last = html[html.index(f'id="question-{survey.relation.pk}"') :]
    assert "move_up" in last and "move_down" not in last


def test_anonymous_is_sent_to_log_in(client: Client, survey: Survey) -> None:
    response = client.get(editor_url(survey))
    assert response.status_code == 302
    assert "next=" in response["Location"]


@pytest.mark.parametrize("who", ["moderator", "stranger"])
def test_others_get_not_found(client: Client, survey: Survey, who: str, request: Any) -> None:
    user = (
        request.getfixturevalue("moderator")
        if who == "moderator"
        else factories.staff(factories.municipality("Andrevik"), Role.CASE_OFFICER)
    )
    mark = factories.audit_mark()
    client.force_login(user)
    assert client.get(editor_url(survey)).status_code == 404
    response = client.post(editor_url(survey), add_post())
    assert response.status_code == 404
    response = client.post(editor_url(survey), {"action": "delete", "question": survey.single.pk})
    assert response.status_code == 404
    assert Question.objects.filter(method_instance=survey.instance).count() == 7
    assert not factories.audited_since(mark).exists()


def test_edit_and_delete_links_need_a_question_of_this_survey(
    staff_client: Client, survey: Survey, other_survey: Survey
) -> None:
    assert staff_client.get(editor_url(survey) + "?edit=999999").status_code == 404
    assert staff_client.get(editor_url(survey) + "?edit=abc").status_code == 404
    assert (
        staff_client.get(editor_url(survey) + f"?edit={other_survey.single.pk}").status_code == 404
    )
    assert (
        staff_client.get(editor_url(survey) + f"?delete={other_survey.single.pk}").status_code
        == 404
    )


def test_edit_form_is_filled_in(staff_client: Client, survey: Survey) -> None:
    html = staff_client.get(editor_url(survey) + f"?edit={survey.multiple.pk}").content.decode()
    assert 'name="action" value="edit"' in html
    assert f'name="question" value="{survey.multiple.pk}"' in html
    assert 'value="How do you use it?"' in html
    assert "Pupil\nParent\nSport</textarea>" in html
    assert re.search(r'id="id_kind_1" value="multiple"[^>]*checked', html)


def test_delete_asks_for_confirmation(staff_client: Client, survey: Survey) -> None:
    html = staff_client.get(editor_url(survey) + f"?delete={survey.text.pk}").content.decode()
    assert 'id="delete-confirm"' in html
    assert 'name="action" value="delete"' in html
    assert Question.objects.filter(pk=survey.text.pk).exists()


# --- POST: add ------------------------------------------------------------------------


def test_add_question(staff_client: Client, survey: Survey, officer: User) -> None:
    mark = factories.audit_mark()
    response = staff_client.post(editor_url(survey), add_post(help_text="Pick one.", required="on"))
    assert response.status_code == 302
    added = Question.objects.get(text="Should the school stay open?")
    assert response["Location"] == f"{editor_url(survey)}#question-{added.pk}"
    assert added.order == 8
    assert added.required is True
    assert added.help_text == "Pick one."
    assert added.choices == [
        {"key": "yes", "label": "Yes"},
        {"key": "no", "label": "No"},
        {"key": "don_t_know", "label": "Don't know"},
    ]
    assert factories.audited_since(mark).get(action="survey.question_added").actor == officer
    page = staff_client.get(response["Location"]).content.decode()
    assert "The question was added." in page
    assert "8. Should the school stay open?" in page


def test_add_scale_with_words_at_the_ends(staff_client: Client, org: Municipality) -> None:
    survey = empty_survey(org)
    response = staff_client.post(
        editor_url(survey),
        add_post(
            kind="scale",
            text="How safe is the route?",
            options="",
            scale_low="Unsafe",
            scale_high="Safe",
        ),
    )
    assert response.status_code == 302
    question = Question.objects.get(method_instance=survey.instance)
    assert question.choices == [{"key": "1", "label": "Unsafe"}, {"key": "5", "label": "Safe"}]
    html = staff_client.get(editor_url(survey)).content.decode()
    assert "1 – Unsafe" in html and "5 – Safe" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"options": "Only one"}, "options", "Write at least 2 options"),
        ({"options": "\n".join(f"Option {i}" for i in range(21))}, "options", "at most 20 options"),
        (
            {"kind": "ranking", "options": "\n".join(f"O{i}" for i in range(11))},
            "options",
            "A ranking has at most 10",
        ),
        ({"options": "Yes\nNo\n YES "}, "options", "“YES” is listed more than once"),
        ({"options": "Yes\n" + "x" * 201}, "options", "Option 2 is too long"),
        ({"kind": "scale"}, "options", "A scale has no options"),
        ({"kind": "text"}, "options", "A free-text question has no options"),
        ({"is_demographic": "on", "required": "on"}, "required", "cannot be required"),
        (
            {"kind": "ranking", "is_demographic": "on"},
            "is_demographic",
            "must be single or multiple",
        ),
        ({"text": "   "}, "text", "This field is required"),
        ({"text": "x" * 301}, "text", "at most 300 characters"),
        ({"kind": "essay"}, "kind", "Select a valid choice"),
        ({"kind": None}, "kind", "This field is required"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    staff_client: Client, survey: Survey, overrides: dict[str, Any], field: str, message: str
) -> None:
    mark = factories.audit_mark()
    response = staff_client.post(editor_url(survey), add_post(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="ds-error-summary"' in html
    assert message in html
    anchor = "id_kind_0" if field == "kind" else f"id_{field}"
    assert f'href="#{anchor}"' in html  # the summary links to the field
    if field != "kind":
        assert re.search(
            rf'id="id_{field}"[^>]*aria-describedby="[^"]*id_{field}-error', html
        ) or re.search(rf'aria-describedby="[^"]*id_{field}-error[^"]*"[^>]*id="id_{field}"', html)
    assert f'id="{"id_kind" if field == "kind" else "id_" + field}-error"' in html
    assert Question.objects.filter(method_instance=survey.instance).count() == 7
    assert not factories.audited_since(mark).exists()


def test_bad_input_keeps_what_was_typed(staff_client: Client, survey: Survey) -> None:
    response = staff_client.post(
        editor_url(survey), add_post(text="Keep me", options="Alone", help_text="And me")
    )
    html = response.content.decode()
    assert 'value="Keep me"' in html
    assert "And me</textarea>" in html
    assert "Alone</textarea>" in html


# --- POST: edit, delete, move ---------------------------------------------------------


def test_edit_question(staff_client: Client, survey: Survey) -> None:
    response = staff_client.post(
        editor_url(survey),
        {
            "action": "edit",
            "question": survey.multiple.pk,
            "kind": "multiple",
            "text": "How do you use the school?",
            "options": "Pupil\nParent\nEvening classes",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#question-{survey.multiple.pk}")
    survey.multiple.refresh_from_db()
    assert survey.multiple.text == "How do you use the school?"
    assert survey.multiple.option_keys() == ["pupil", "parent", "evening_classes"]
    entry = AuditEntry.objects.get(action="survey.question_updated")
    assert entry.data["changed"] == ["text", "choices"]
    assert "The question was saved." in staff_client.get(response["Location"]).content.decode()


def test_edit_with_bad_input_is_refused(staff_client: Client, survey: Survey) -> None:
    mark = factories.audit_mark()
    response = staff_client.post(
        editor_url(survey),
        {
            "action": "edit",
            "question": survey.multiple.pk,
            "kind": "multiple",
            "text": "",
            "options": "A\nA",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "listed more than once" in html and "This field is required" in html
    assert 'name="action" value="edit"' in html  # the edit form is shown again
    survey.multiple.refresh_from_db()
    assert survey.multiple.text == "How do you use it?"
    assert not factories.audited_since(mark).exists()


def test_delete_question(staff_client: Client, survey: Survey) -> None:
    response = staff_client.post(
        editor_url(survey), {"action": "delete", "question": survey.text.pk}
    )
    assert response.status_code == 302
    assert not Question.objects.filter(pk=survey.text.pk).exists()
    assert AuditEntry.objects.filter(action="survey.question_deleted").count() == 1
    html = staff_client.get(response["Location"]).content.decode()
    assert "was deleted" in html
    assert "6 questions" in html


def test_move_questions(staff_client: Client, survey: Survey) -> None:
    url = editor_url(survey)
    response = staff_client.post(url, {"action": "move_up", "question": survey.scale.pk})
    assert response.status_code == 302
    assert response["Location"] == f"{url}#question-{survey.scale.pk}"
    assert texts(survey)[1] == "How important is a short route?"
    staff_client.post(url, {"action": "move_down", "question": survey.single.pk})
    assert texts(survey)[:2] == ["How important is a short route?", "Which option?"]
    assert AuditEntry.objects.filter(action="survey.question_moved").count() == 2


def test_move_beyond_the_end_is_a_clear_400(staff_client: Client, survey: Survey) -> None:
    mark = factories.audit_mark()
    response = staff_client.post(
        editor_url(survey), {"action": "move_up", "question": survey.single.pk}
    )
    assert response.status_code == 400
    assert "already the first" in response.content.decode()
    assert not factories.audited_since(mark).exists()


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"action": "explode", "question": "1"}, 400, "did not say what to do"),
        ({}, 400, "did not say what to do"),
        ({"action": "delete"}, 400, "did not say which question"),
        ({"action": "move_up", "question": "x1"}, 400, "did not say which question"),
        ({"action": "delete", "question": "999999"}, 404, ""),
    ],
)
def test_malformed_posts(
    staff_client: Client, survey: Survey, data: dict[str, str], status: int, message: str
) -> None:
    mark = factories.audit_mark()
    response = staff_client.post(editor_url(survey), data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert Question.objects.filter(method_instance=survey.instance).count() == 7
    assert not factories.audited_since(mark).exists()


def test_question_of_another_survey_is_not_found(
    staff_client: Client, survey: Survey, org: Municipality
) -> None:
    neighbour = survey_factories.survey(org)  # same municipality, other survey
    mark = factories.audit_mark()
    for action in ("delete", "move_down", "edit"):
        response = staff_client.post(
            editor_url(survey), {**add_post(), "action": action, "question": neighbour.single.pk}
        )
        assert response.status_code == 404
    assert texts(neighbour)[0] == "Which option?"
    assert not factories.audited_since(mark).exists()


def test_other_methods_are_not_surveys(rf: Any, officer: User, survey: Survey) -> None:
    from django.http import Http404

    from medvirk.methods.survey.staff_views import editor

    instance = survey.instance
    instance.method_key = "information"
    request = rf.get("/")
    request.user = officer
    with pytest.raises(Http404):
        editor(request, instance)


# --- after the first answer -----------------------------------------------------------


def test_after_answers_the_editor_says_what_is_locked(staff_client: Client, survey: Survey) -> None:
    survey_factories.survey_answer(survey)
    html = staff_client.get(editor_url(survey)).content.decode()
    assert 'id="locked-note"' in html
    assert "The survey has 1 answer set." in html
    assert 'name="action" value="add"' not in html
    assert "?delete=" not in html
    assert "move_down" in html  # the order may still change
    edit = staff_client.get(editor_url(survey) + f"?edit={survey.single.pk}").content.decode()
    assert 'name="kind"' not in edit and 'name="options"' not in edit
    assert "cannot change, because the survey has answers" in edit


def test_after_answers_wording_can_be_fixed(staff_client: Client, survey: Survey) -> None:
    survey_factories.survey_answer(survey)
    response = staff_client.post(
        editor_url(survey),
        {
            "action": "edit",
            "question": survey.single.pk,
            "text": "Which option do you prefer?",
            "help_text": "One only.",
            # A crafted form cannot change the shape: these are ignored for a locked question.
            "kind": "multiple",
            "options": "A\nB",
        },
    )
    assert response.status_code == 302
    survey.single.refresh_from_db()
    assert survey.single.text == "Which option do you prefer?"
    assert survey.single.kind == QuestionKind.SINGLE
    assert survey.single.option_keys() == ["close", "renovate", "new"]
    assert AuditEntry.objects.get(action="survey.question_updated").data["had_answers"] is True


def test_after_answers_delete_and_add_are_refused(staff_client: Client, survey: Survey) -> None:
    mark = factories.audit_mark()
    survey_factories.survey_answer(survey)
    response = staff_client.post(
        editor_url(survey), {"action": "delete", "question": survey.text.pk}
    )
    assert response.status_code == 409
    assert "cannot be deleted" in response.content.decode()
    response = staff_client.post(editor_url(survey), add_post())
    assert response.status_code == 400
    assert "its questions are fixed" in response.content.decode()
    assert Question.objects.filter(method_instance=survey.instance).count() == 7
    assert not factories.audited_since(mark).exists()


# --- warnings -------------------------------------------------------------------------


def test_warnings_for_an_empty_survey(staff_client: Client, org: Municipality) -> None:
    html = staff_client.get(editor_url(empty_survey(org))).content.decode()
    assert "The survey has no questions yet." in html
    assert "0 questions" in html


def test_warnings_for_long_surveys_and_required_free_text(
    staff_client: Client, survey: Survey
) -> None:
    url = editor_url(survey)
    assert "Long surveys lose people" not in staff_client.get(url).content.decode()
    staff_client.post(url, add_post(kind="text", text="Anything else?", options="", required="on"))
    for n in range(8):
        staff_client.post(url, add_post(text=f"Extra {n}?"))
    html = staff_client.get(url).content.decode()
    assert "The survey has 16 questions. Long surveys lose people" in html
    assert "“Anything else?” requires a written answer" in html


def test_unpublished_survey_is_flagged(staff_client: Client, survey: Survey) -> None:
    survey.instance.is_published = False
    survey.instance.save()
    html = staff_client.get(editor_url(survey)).content.decode()
    assert "The survey is not published." in html
