"""Every model that holds a person is covered by a personal-data section.

«Mine data» and erasure only know what the apps register with
``medvirk.identity.personal_data``; a model that holds a person and that no section covers
would be missing from the export and survive erasure. The rule, on the model's own fields:

1. it is the user model, or has a foreign key or one-to-one field to it;
2. or it has an ``EmailField``;
3. or it has a text field named ``username`` or ending in ``_name`` (``first_name``,
   ``display_name``, ``author_name`` …; a plain ``name`` names a thing, not a person);
4. or it points (foreign key or one-to-one) at a model that holds a person by 1–3 and is
   not allow-listed: a survey answer or a response hangs on a person's contribution.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Model
from django.test import Client
from django.utils import timezone, translation

from medvirk.contributions.models import Contribution
from medvirk.identity import actions as identity_actions
from medvirk.identity import personal_data
from medvirk.identity.models import User
from medvirk.identity.queries import export_my_data
from medvirk.methods.survey import actions as survey_actions
from medvirk.methods.survey.models import Answer, Question, QuestionKind
from medvirk.organisations.models import Municipality
from medvirk.processes.models import MethodInstance, Phase, PhaseKind, Process, ProcessStatus

# Models that match the rule but hold no person's own data, each with the reason.
ALLOWED: dict[str, str] = {
    # The audit log must keep who did what (staff actions). Erasure replaces the actor with
    # a pseudonym (audit.pseudonymise_actor, called by do_erase_account) so the chain still
    # verifies; the rows themselves are the municipality's record, not the person's data.
    "core.AuditEntry": "pseudonymised by audit.pseudonymise_actor on erasure",
    # privacy_contact and email_from are the municipality's role addresses.
    "organisations.Municipality": "institutional e-mail addresses, not a person's",
    # uploaded_by is a staff member acting for the municipality (the upload is audited);
    # the document is the case's, and the link goes (SET_NULL) when the account goes.
    "processes.CaseDocument": "staff action in the municipality's role; SET_NULL on erasure",
    # file_name is the name of the municipality's PDF on consultation, not a person's.
    "hearing.HearingDocument": "file_name names the municipality's document, not a person",
}


def _label(model: type[Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _medvirk_models() -> list[type[Model]]:
    return [
        m
        for config in apps.get_app_configs()
        if config.name.startswith("medvirk.")
        for m in config.get_models()
    ]


def _links(model: type[Model]) -> Iterable[models.Field[Any, Any]]:
    """The model's own foreign keys and one-to-one fields."""
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey):  # OneToOneField is a ForeignKey
            yield field


def _holds_person_directly(model: type[Model]) -> list[str]:
    """Why the model holds a person by rules 1–3 (empty: it does not)."""
    user_model = get_user_model()
    reasons = []
    if model is user_model:
        reasons.append("is the user model")
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model is user_model:
            reasons.append(f"{field.name} -> user")
        elif isinstance(field, models.EmailField):
            reasons.append(f"{field.name} is an e-mail address")
        elif isinstance(field, models.CharField | models.TextField) and (
            field.name == "username" or field.name.endswith("_name")
        ):
            reasons.append(f"{field.name} is a person's name")
    return reasons


def person_models() -> dict[str, list[str]]:
    """Every medvirk model that holds a person (rules 1–4), with the reasons."""
    direct = {_label(m): _holds_person_directly(m) for m in _medvirk_models()}
    direct = {label: why for label, why in direct.items() if why}
    found = dict(direct)
    # Links to the user model itself are rule 1 already.
    followed = set(direct) - set(ALLOWED) - {_label(get_user_model())}
    for model in _medvirk_models():
        for field in _links(model):
            target = field.related_model
            if isinstance(target, type) and _label(target) in followed:
                found.setdefault(_label(model), []).append(f"{field.name} -> {_label(target)}")
    return found


def uncovered(sections: Iterable[personal_data.PersonalDataSection]) -> dict[str, list[str]]:
    covered = {_label(m) for section in sections for m in section.models}
    return {
        label: why
        for label, why in person_models().items()
        if label not in covered and label not in ALLOWED
    }


def test_every_model_that_holds_a_person_is_covered_by_a_section() -> None:
    missing = uncovered(personal_data.sections())
    assert missing == {}, (
        "These models hold a person but no personal-data section covers them (register a "
        "section in the app's ready(), or allow-list the model here with a reason): "
        f"{missing}"
    )


def test_the_rule_finds_the_real_ones() -> None:
    found = person_models()
    for label in (
        "identity.User",
        "identity.InPersonVerification",
        "organisations.Membership",
        "contributions.Contribution",
        "contributions.Report",  # hangs on input; its reporter is a keyed hash
        "accountability.Response",
        "accountability.Notification",
        "accountability.Note",
        "accountability.Subscription",
        "planning.PlannedActivity",
        "survey.Answer",
    ):
        assert label in found, label
    # Things named "name" are not people.
    assert "processes.Phase" not in found
    assert "processes.Process" not in found


def test_the_contract_fails_when_a_section_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(personal_data._SECTIONS, "survey_answers")
    missing = uncovered(personal_data.sections())
    assert set(missing) == {"survey.Answer", "survey.Submission"}
    assert "contribution -> contributions.Contribution" in missing["survey.Answer"]


def test_allow_list_names_only_existing_models() -> None:
    labels = {_label(m) for m in _medvirk_models()}
    assert set(ALLOWED) <= labels
    assert set(ALLOWED) <= set(person_models())  # an entry that no longer matches is stale


def test_a_key_can_be_registered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(personal_data, "_SECTIONS", dict(personal_data._SECTIONS))
    with pytest.raises(ValueError, match="already registered"):
        personal_data.register(personal_data.Profile())


def test_erasure_runs_sections_that_look_through_contributions_first() -> None:
    order = [s.key for s in personal_data.erasure_order()]
    assert order.index("notifications") < order.index("contributions")
    assert order.index("internal_notes") < order.index("contributions")
    assert order.index("survey_answers") < order.index("contributions")


# -- a person who answered a survey while logged in ------------------------------------


@pytest.fixture
def survey(db: Any) -> dict[str, Any]:
    org = Municipality.objects.create(
        name="Lillevik", slug="lillevik", kommunenummer="9911", inhabitants=5000, malform="nn"
    )
    now = timezone.now()
    process = Process.objects.create(
        municipality=org,
        slug="skulen",
        title="Skulen",
        summary="Skulen er i dårleg stand.",
        open_to_influence="Kva alternativ vi vel.",
        decided_by="Kommunestyret",
        status=ProcessStatus.PUBLISHED,
    )
    phase = Phase.objects.create(
        process=process,
        name="Alternativ",
        kind=PhaseKind.ALTERNATIVES,
        start=now - dt.timedelta(days=1),
        end=now + dt.timedelta(days=5),
    )
    instance = MethodInstance.objects.create(
        process=process,
        phase=phase,
        method_key="survey",
        slug="sporjing",
        title="Spørjeundersøking om skulen",
        is_published=True,
    )

    def add(kind: str, text: str, keys: Sequence[str] = (), **extra: Any) -> Question:
        return survey_actions.do_add_question(
            None,
            instance,
            kind=kind,
            text=text,
            choices=[{"key": k, "label": k.title()} for k in keys],
            **extra,
        )

    return {
        "instance": instance,
        "single": add(QuestionKind.SINGLE, "Which option?", ["renovate", "new"]),
        "ranking": add(QuestionKind.RANKING, "Rank these", ["safety", "air"]),
        "text": add(QuestionKind.TEXT, "What should the council know?"),
        "age": add(QuestionKind.SINGLE, "Age group", ["young", "old"], is_demographic=True),
    }


@pytest.fixture
def answered(survey: dict[str, Any]) -> tuple[User, Contribution]:
    user = User.objects.create_user("svarar", email="svarar@example.org", password="pw-1234!x")
    receipt = survey_actions.do_answer(
        user,
        survey["instance"],
        {
            survey["single"].pk: "new",
            survey["ranking"].pk: {"air": 1, "safety": 2},
            survey["text"].pk: "Fix the ventilation.",
            survey["age"].pk: "old",
        },
        key=secrets.token_hex(16),
        consent=True,
        author_name="Siri Svarar",
        contact_email="siri@example.org",
    )
    return user, receipt.contribution


def test_export_has_the_survey_answers_demographics_and_consent(
    answered: tuple[User, Contribution],
) -> None:
    user, contribution = answered
    with translation.override("en"):
        data = export_my_data(user)
    json.dumps(data)  # JSON-safe as it is, without a default
    [answer_set] = data["survey_answers"]
    assert answer_set["contribution"] == contribution.pk
    assert answer_set["survey"] == "Spørjeundersøking om skulen"
    assert answer_set["answers"] == [
        {"question": "Which option?", "answer": "New"},
        {"question": "Rank these", "answer": ["Air", "Safety"]},
        {"question": "What should the council know?", "answer": "Fix the ventilation."},
    ]
    assert answer_set["demographics"] == [{"question": "Age group", "answer": "Old"}]
    [consent] = answer_set["consents"]
    assert consent["consented_to"] == (
        "I agree that my answers to the questions about me are stored"
    )
    assert consent["given_at"] == contribution.created_at.isoformat()
    [mine] = data["contributions"]
    token_path = contribution.receipt_url()
    assert mine["receipt_link"] == settings.MEDVIRK_BASE_URL.rstrip("/") + token_path


def test_export_leaves_out_other_peoples_answer_sets(
    survey: dict[str, Any], answered: tuple[User, Contribution]
) -> None:
    other = User.objects.create_user("annan", password="pw-1234!x")
    survey_actions.do_answer(
        other, survey["instance"], {survey["single"].pk: "renovate"}, key=secrets.token_hex(16)
    )
    assert len(export_my_data(answered[0])["survey_answers"]) == 1
    assert export_my_data(other)["survey_answers"][0]["answers"] == [
        {"question": "Which option?", "answer": "Renovate"}
    ]


def test_erasure_drops_demographics_and_keeps_the_answers_without_author(
    survey: dict[str, Any], answered: tuple[User, Contribution]
) -> None:
    user, contribution = answered
    old_link = contribution.receipt_url()
    identity_actions.do_erase_account(user)

    assert not User.objects.filter(pk=user.pk).exists()
    contribution.refresh_from_db()
    assert contribution.author is None
    assert contribution.author_name == ""
    assert contribution.contact_email == ""
    assert "demographic_consent" not in contribution.data
    assert contribution.receipt_url() != old_link  # the old link no longer opens it
    # Counted input stays in the results; what needed consent is gone.
    kept = Answer.objects.filter(contribution=contribution)
    assert not kept.filter(question__is_demographic=True).exists()
    assert set(kept.values_list("question_id", flat=True)) == {
        survey["single"].pk,
        survey["ranking"].pk,
        survey["text"].pk,
    }


def test_erasure_leaves_other_peoples_demographics(
    client: Client, survey: dict[str, Any], answered: tuple[User, Contribution]
) -> None:
    other = User.objects.create_user("annan", password="pw-1234!x")
    survey_actions.do_answer(
        other,
        survey["instance"],
        {survey["single"].pk: "renovate", survey["age"].pk: "young"},
        key=secrets.token_hex(16),
        consent=True,
    )
    client.force_login(answered[0])
    assert client.post("/konto/slett/", {"confirm": "on"}).status_code == 302
    assert list(Answer.objects.filter(question=survey["age"]).values_list("choice", flat=True)) == [
        "young"
    ]
