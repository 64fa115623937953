"""Fixtures for the survey: a municipality with a published process, a running phase and a
published survey with one question of every kind (two of them demographic)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone, translation

from medvirk.identity.models import User
from medvirk.methods.survey import actions
from medvirk.methods.survey.models import Question, QuestionKind
from medvirk.organisations.models import Malform, Membership, Municipality, Role
from medvirk.processes.models import MethodInstance, Phase, PhaseKind, Process, ProcessStatus

_seq = count(1)
DAY = dt.timedelta(days=1)


def make_municipality(name: str) -> Municipality:
    n = next(_seq)
    return Municipality.objects.create(
        name=f"{name} {n}",
        slug=f"{name.lower()}-{n}",
        kommunenummer=f"{8000 + n:04d}",
        inhabitants=3000,
        malform=Malform.NYNORSK,
    )


def make_user(role: str | None = None, org: Municipality | None = None) -> User:
    n = next(_seq)
    user = User(username=f"person{n}", email=f"person{n}@example.org")
    user.set_password("pw")
    user.save()
    if role is not None and org is not None:
        Membership.objects.create(user=user, municipality=org, role=role)
    return user


def make_survey(
    org: Municipality,
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    settings: dict[str, Any] | None = None,
) -> MethodInstance:
    n = next(_seq)
    now = timezone.now()
    process = Process.objects.create(
        municipality=org,
        slug=f"skule-{n}",
        title=f"Skulen {n}",
        summary="Skulen er i dårleg stand.",
        open_to_influence="Kva alternativ vi vel.",
        decided_by="Kommunestyret",
        status=ProcessStatus.PUBLISHED,
    )
    phase = Phase.objects.create(
        process=process,
        name="Alternativ",
        kind=PhaseKind.ALTERNATIVES,
        start=start or now - 5 * DAY,
        end=end or now + 5 * DAY,
    )
    return MethodInstance.objects.create(
        process=process,
        phase=phase,
        method_key="survey",
        slug=f"sporjing-{n}",
        title="Spørjeundersøking om skulen",
        is_published=True,
        settings=settings or {},
    )


@dataclass
class Survey:
    instance: MethodInstance
    single: Question
    multiple: Question
    scale: Question
    ranking: Question
    text: Question
    age: Question
    relation: Question

    @property
    def url(self) -> str:
        return self.instance.get_absolute_url()

    def named(self, name: str) -> str:
        process = self.instance.process
        return reverse(
            f"processes:survey:{name}",
            kwargs={
                "municipality": process.municipality.slug,
                "slug": process.slug,
                "method": self.instance.slug,
            },
        )


def add_questions(instance: MethodInstance) -> Survey:
    def add(kind: str, text: str, choices: list[str] = (), **extra: Any) -> Question:  # type: ignore[assignment]
        return actions.do_add_question(
            None,
            instance,
            kind=kind,
            text=text,
            choices=[{"key": c, "label": c.replace("_", " ").title()} for c in choices],
            **extra,
        )

    return Survey(
        instance=instance,
        single=add(
            QuestionKind.SINGLE, "Which option?", ["close", "renovate", "new"], required=True
        ),
        multiple=add(QuestionKind.MULTIPLE, "How do you use it?", ["pupil", "parent", "sport"]),
        scale=add(QuestionKind.SCALE, "How important is a short route?"),
        ranking=add(QuestionKind.RANKING, "Rank these", ["safety", "air", "cost"]),
        text=add(QuestionKind.TEXT, "What should the council know?"),
        age=add(QuestionKind.SINGLE, "Age group", ["young", "adult", "old"], is_demographic=True),
        relation=add(
            QuestionKind.SINGLE,
            "Relation",
            ["pupil", "parent", "teacher", "neighbour", "other"],
            is_demographic=True,
        ),
    )


def valid_post(s: Survey, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": secrets.token_hex(16),
        s.single.field_name: "renovate",
        s.multiple.field_name: ["pupil", "sport"],
        s.scale.field_name: "4",
        f"{s.ranking.field_name}-safety": "1",
        f"{s.ranking.field_name}-air": "2",
        f"{s.ranking.field_name}-cost": "3",
        s.text.field_name: "Fix the ventilation.",
        "email": "",
        "name": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def answer(s: Survey, responses: dict[int, Any] | None = None, **extra: Any) -> Any:
    """Store one answer set through the action, as the web form would."""
    return actions.do_answer(
        AnonymousUser(),
        s.instance,
        responses if responses is not None else {s.single.pk: "new"},
        key=extra.pop("key", secrets.token_hex(16)),
        **extra,
    )


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    """Assertions read the English msgids, whatever translations the project ships."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def org() -> Municipality:
    return make_municipality("Lillevik")


@pytest.fixture
def survey(org: Municipality) -> Survey:
    return add_questions(make_survey(org))


@pytest.fixture
def other_survey() -> Survey:
    return add_questions(make_survey(make_municipality("Andrevik")))


@pytest.fixture
def officer(org: Municipality) -> User:
    return make_user(Role.CASE_OFFICER, org)


@pytest.fixture
def moderator(org: Municipality) -> User:
    return make_user(Role.MODERATOR, org)


@pytest.fixture
def resident() -> User:
    return make_user()
