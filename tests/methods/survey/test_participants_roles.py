"""What a demographic question asks (age group, sex, district, something else): chosen by
staff in the editor, guessed once when not chosen, set for old questions by the migration,
and read by the participants hook, with consent only."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from medvirk.algorithms.representation import Participant
from medvirk.contributions.models import Contribution
from medvirk.core.errors import ActionRefused
from medvirk.core.models import AuditEntry
from medvirk.identity.models import User
from medvirk.insights import actions as insights_actions
from medvirk.insights import queries as insights_queries
from medvirk.methods.survey import actions, role_actions
from medvirk.methods.survey.models import DemographicRole, Question, QuestionKind
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from tests import factories
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

pytestmark = pytest.mark.django_db

AGES = ["Under 18 år", "18–34 år", "35–66 år", "67 år eller eldre"]
SEXES = ["Kvinne", "Mann", "Anna"]
PLACES = ["Nordvik", "Sør", "Vil ikkje svare"]

migration = importlib.import_module(
    "medvirk.methods.survey.migrations.0003_question_demographic_role"
)


def editor_url(instance: MethodInstance) -> str:
    return reverse(
        "staff:method_content", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
    )


@pytest.fixture
def staff_client(client: Client, officer: User) -> Client:
    client.force_login(officer)
    return client


def add(
    instance: MethodInstance,
    labels: list[str],
    *,
    kind: str = QuestionKind.SINGLE,
    demographic: bool = True,
    text: str = "About you",
) -> Question:
    return actions.do_add_question(
        None,
        instance,
        kind=kind,
        text=text,
        choices=actions.choices_from_labels(labels),
        is_demographic=demographic,
    )


def post_question(
    client: Client, instance: MethodInstance, labels: list[str], role: str, **extra: Any
) -> Any:
    data = {
        "action": "add",
        "kind": "single",
        "text": "Where do you live?",
        "options": "\n".join(labels),
        "is_demographic": "on",
        "demographic_role": role,
    }
    data.update(extra)
    return client.post(editor_url(instance), {k: v for k, v in data.items() if v is not None})


def key_of(question: Question, label: str) -> str:
    return next(str(c["key"]) for c in question.choices if c["label"] == label)


# --- the default: guessed once from the options ---------------------------------------


def test_a_question_saved_without_a_role_gets_the_one_its_options_suggest(
    org: Municipality,
) -> None:
    instance = survey_factories.survey_method(org)
    assert add(instance, AGES).demographic_role == DemographicRole.AGE
    assert add(instance, SEXES).demographic_role == DemographicRole.SEX
    # A district is never guessed: any word can be a place.
    assert add(instance, PLACES).demographic_role == DemographicRole.OTHER
    assert add(instance, AGES, kind=QuestionKind.MULTIPLE).demographic_role == "other"
    assert add(instance, AGES, demographic=False).demographic_role == ""


def test_the_guess_is_kept_when_the_options_change_later(org: Municipality) -> None:
    instance = survey_factories.survey_method(org)
    question = add(instance, AGES)
    staff = factories.administrator(org)
    actions.do_update_question(
        staff,
        question,
        kind=QuestionKind.SINGLE,
        text="About you",
        choices=actions.choices_from_labels(["Young", "Old"]),
        is_demographic=True,
    )
    question.refresh_from_db()
    assert question.demographic_role == DemographicRole.AGE  # guessed once, not again
    # No longer demographic: no role (the database refuses one too).
    actions.do_update_question(
        staff,
        question,
        kind=QuestionKind.SINGLE,
        text="About you",
        choices=question.choices,
        is_demographic=False,
    )
    question.refresh_from_db()
    assert question.demographic_role == ""


def test_the_migration_sets_the_role_of_existing_demographic_questions(
    org: Municipality,
) -> None:
    instance = survey_factories.survey_method(org)
    age, sex, place, plain = (
        add(instance, AGES),
        add(instance, SEXES),
        add(instance, PLACES),
        add(instance, ["Yes", "No"], demographic=False),
    )
    # As they were before the field existed.
    Question.objects.filter(method_instance=instance).update(demographic_role="")
    migration.set_roles(apps, None)
    roles = dict(
        Question.objects.filter(method_instance=instance).values_list("pk", "demographic_role")
    )
    assert roles == {age.pk: "age", sex.pk: "sex", place.pk: "other", plain.pk: ""}


# --- the editor --------------------------------------------------------------------------


def test_staff_choose_district_in_the_editor_and_answers_name_the_district(
    staff_client: Client, org: Municipality
) -> None:
    instance = survey_factories.survey_method(org)
    main = add(instance, ["Yes", "No"], demographic=False, text="Keep the school?")
    response = post_question(staff_client, instance, PLACES, "district")
    assert response.status_code == 302
    question = Question.objects.get(method_instance=instance, text="Where do you live?")
    assert question.demographic_role == DemographicRole.DISTRICT
    listing = staff_client.get(editor_url(instance)).content.decode()
    assert "District where the person lives" in listing
    s = Survey(instance, main, *([None] * 5), relation=question)  # type: ignore[arg-type]
    given = survey_factories.survey_answer(
        s, {main.pk: "yes", question.pk: key_of(question, "Nordvik")}, consent=True
    )
    refused = survey_factories.survey_answer(
        s, {main.pk: "no", question.pk: key_of(question, "Sør")}, consent=False
    )
    found = list(registry.get("survey").participants(instance))
    assert found == [
        Participant("web", district="Nordvik", contribution=given.contribution.pk),
        # Without consent the answer was never stored: no district.
        Participant("web", contribution=refused.contribution.pk),
    ]


def test_the_editor_refuses_a_role_the_options_cannot_be_read_for(
    staff_client: Client, org: Municipality
) -> None:
    instance = survey_factories.survey_method(org)
    mark = factories.audit_mark()
    response = post_question(staff_client, instance, ["Under 18 år", "Vaksen", "Pensjonist"], "age")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Every option must name an age range" in html
    assert "“Vaksen”, “Pensjonist”" in html
    assert 'href="#id_demographic_role"' in html  # in the error summary, linked to the field
    response = post_question(staff_client, instance, ["Kvinne", "Ungdom"], "sex")
    assert response.status_code == 400
    assert "Every option must name a sex" in response.content.decode()
    response = post_question(staff_client, instance, AGES, "age", kind="multiple")
    assert response.status_code == 400
    assert "must be single choice" in response.content.decode()
    response = post_question(staff_client, instance, AGES, "age", is_demographic=None)
    assert response.status_code == 400
    assert "Only a demographic question says what it asks" in response.content.decode()
    assert not Question.objects.filter(method_instance=instance).exists()
    assert not factories.audited_since(mark).exists()


def test_an_explicit_role_wins_over_the_guess(staff_client: Client, org: Municipality) -> None:
    instance = survey_factories.survey_method(org)
    response = post_question(staff_client, instance, AGES, "other", text="Age of your car")
    assert response.status_code == 302
    question = Question.objects.get(method_instance=instance)
    assert question.demographic_role == DemographicRole.OTHER
    main = add(instance, ["Yes", "No"], demographic=False)
    s = Survey(instance, main, *([None] * 5), relation=question)  # type: ignore[arg-type]
    survey_factories.survey_answer(
        s, {main.pk: "yes", question.pk: key_of(question, "18–34 år")}, consent=True
    )
    (one,) = registry.get("survey").participants(instance)
    assert one.age_from is None and one.age_to is None


def test_editing_shows_the_role_and_an_empty_choice_works_it_out_again(
    staff_client: Client, org: Municipality
) -> None:
    instance = survey_factories.survey_method(org)
    question = add(instance, PLACES)
    page = staff_client.get(editor_url(instance) + f"?edit={question.pk}").content.decode()
    assert 'name="demographic_role"' in page
    response = staff_client.post(
        editor_url(instance),
        {
            "action": "edit",
            "question": question.pk,
            "kind": "single",
            "text": "How old are you?",
            "options": "\n".join(AGES),
            "is_demographic": "on",
            "demographic_role": "",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.demographic_role == DemographicRole.AGE


def test_after_answers_the_role_can_still_be_set_but_nothing_else(
    staff_client: Client, survey: Survey
) -> None:
    receipt = survey_factories.survey_answer(
        survey, {survey.single.pk: "new", survey.relation.pk: "parent"}, consent=True
    )
    edit = staff_client.get(editor_url(survey.instance) + f"?edit={survey.relation.pk}")
    assert 'name="demographic_role"' in edit.content.decode()
    not_demographic = staff_client.get(editor_url(survey.instance) + f"?edit={survey.single.pk}")
    assert 'name="demographic_role"' not in not_demographic.content.decode()
    response = staff_client.post(
        editor_url(survey.instance),
        {
            "action": "edit",
            "question": survey.relation.pk,
            "text": survey.relation.text,
            "demographic_role": "district",
        },
    )
    assert response.status_code == 302
    survey.relation.refresh_from_db()
    assert survey.relation.demographic_role == DemographicRole.DISTRICT
    entry = AuditEntry.objects.filter(action="survey.question_updated").latest("pk")
    assert entry.data["changed"] == ["demographic_role"]
    assert entry.data["before"] == {"demographic_role": "other"}
    assert entry.data["had_answers"] is True
    (one,) = registry.get("survey").participants(survey.instance)
    assert one == Participant("web", district="Parent", contribution=receipt.contribution.pk)
    # The options cannot be read as ages: refused, the role stays.
    response = staff_client.post(
        editor_url(survey.instance),
        {
            "action": "edit",
            "question": survey.relation.pk,
            "text": survey.relation.text,
            "demographic_role": "age",
        },
    )
    assert response.status_code == 400
    survey.relation.refresh_from_db()
    assert survey.relation.demographic_role == DemographicRole.DISTRICT


def test_the_action_checks_again(org: Municipality) -> None:
    instance = survey_factories.survey_method(org)
    staff = factories.administrator(org)
    places = add(instance, PLACES)
    plain = add(instance, ["Yes", "No"], demographic=False)
    with pytest.raises(ActionRefused, match="Every option must name a sex"):
        role_actions.do_set_role(staff, places, "sex")
    with pytest.raises(ActionRefused, match="Only a demographic question"):
        role_actions.do_set_role(staff, plain, "age")
    outsider = factories.administrator(factories.municipality("Andrevik"))
    with pytest.raises(ActionRefused) as refused:
        role_actions.do_set_role(outsider, places, "district")
    assert refused.value.status == 403
    assert role_actions.do_set_role(staff, places, "district") is True
    assert role_actions.do_set_role(staff, places, "district") is False  # nothing changed
    places.refresh_from_db()
    assert places.demographic_role == DemographicRole.DISTRICT


# --- what the hook reports -----------------------------------------------------------------


def test_each_participant_names_its_answer_set_with_age_sex_and_district(
    org: Municipality,
) -> None:
    instance = survey_factories.survey_method(org)
    staff = factories.administrator(org)
    main = add(instance, ["Yes", "No"], demographic=False)
    age, sex, place = add(instance, AGES), add(instance, SEXES), add(instance, PLACES)
    role_actions.do_set_role(staff, place, "district")
    s = Survey(instance, main, *([None] * 5), relation=place)  # type: ignore[arg-type]
    person = factories.user(email_verified=True)
    first = survey_factories.survey_answer(
        s,
        {
            main.pk: "yes",
            age.pk: key_of(age, "67 år eller eldre"),
            sex.pk: key_of(sex, "Kvinne"),
            place.pk: key_of(place, "Sør"),
        },
        consent=True,
        person=person,
    )
    second = survey_factories.survey_answer(s, {main.pk: "no"}, consent=True)
    ids = list(
        Contribution.objects.filter(method_instance=instance)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert ids == [first.contribution.pk, second.contribution.pk]
    found = list(registry.get("survey").participants(instance))
    assert found == [
        Participant(
            "web", 67, None, "female", "Sør", person=f"user:{person.pk}", contribution=ids[0]
        ),
        Participant("web", contribution=ids[1]),
    ]


def test_the_who_took_part_page_matches_districts_and_counts_unknown_ones_as_not_given(
    org: Municipality,
) -> None:
    insights_actions.do_import_districts(
        None, org, b"krins;personar\nNordvik;1000\nSor;1000\n", year=2025, source="x"
    )
    instance = survey_factories.survey_method(org)
    main = add(instance, ["Yes", "No"], demographic=False)
    place = add(instance, [" nordvik ", "Sør", "Atlantis"])
    role_actions.do_set_role(factories.administrator(org), place, "district")
    s = Survey(instance, main, *([None] * 5), relation=place)  # type: ignore[arg-type]
    for label in ("nordvik", "nordvik", "Atlantis", "Sør"):
        survey_factories.survey_answer(
            s, {main.pk: "yes", place.pk: key_of(place, label)}, consent=True
        )
    report = insights_queries.report(instance.process)
    line = next(line for line in report.lines if line.key == "district")
    counts = {row.label: row.count for row in line.rows}
    # "nordvik" is Nordvik (case and spacing do not count); "Sør" is not "Sor", and
    # "Atlantis" is no district: both count as not given.
    assert counts == {"Nordvik": 2, "Sor": 0, "Not given": 2}


def test_unticking_demographic_drops_the_role_left_selected(
    staff_client: Client, org: Municipality
) -> None:
    instance = survey_factories.survey_method(org)
    question = add(instance, AGES)
    response = staff_client.post(
        editor_url(instance),
        {
            "action": "edit",
            "question": question.pk,
            "kind": "single",
            "text": "How old are you?",
            "options": "\n".join(AGES),
            "demographic_role": "age",  # still selected from before
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.is_demographic, question.demographic_role) == (False, "")
