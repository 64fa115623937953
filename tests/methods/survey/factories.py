"""Survey builders for the survey's tests, on top of the shared ``tests/factories.py``:
like those, they build through the actions (questions through ``do_add_question``, answers
through ``do_answer``). They live with the method's tests, so a method's fixtures stay in its
own folders."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from medvirk.contributions.actions import Receipt
from medvirk.identity.models import User
from medvirk.methods.survey import actions as survey_actions
from medvirk.methods.survey.models import Question, QuestionKind
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, PhaseKind
from tests.factories import DAY, _seq, administrator, method, phase, process


@dataclass
class Survey:
    """A published survey with one question of every kind (two of them demographic)."""

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
        """A survey page's address: "results", "thanks"…; "export" is the staff CSV."""
        plugin = registry.get(self.instance.method_key)
        if name == "export":
            return plugin.export_url(self.instance, "svar-csv")
        return plugin.url(self.instance, name)


def survey_method(
    org: Municipality,
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    settings: Mapping[str, Any] | None = None,
    published: bool = True,
    by: User | None = None,
) -> MethodInstance:
    """A survey without questions in its own published case, in a phase running now
    (five days either side) unless ``start``/``end`` say otherwise."""
    now = timezone.now()
    n = next(_seq)
    proc = process(
        org,
        slug=f"skule-{n}",
        by=by,
        title=f"Skulen {n}",
        summary="Skulen er i dårleg stand.",
    )
    ph = phase(
        proc,
        start=start or now - 5 * DAY,
        end=end or now + 5 * DAY,
        kind=PhaseKind.ALTERNATIVES,
        name="Alternativ",
        by=by,
    )
    return method(
        proc,
        ph,
        key="survey",
        published=published,
        slug=f"sporjing-{n}",
        title="Spørjeundersøking om skulen",
        settings=settings,
        by=by,
    )


def survey_questions(instance: MethodInstance, *, by: User | None = None) -> Survey:
    """Add one question of every kind through ``do_add_question``, as staff would."""
    staff_member = by or administrator(instance.process.municipality)

    def add(kind: str, text: str, choices: tuple[str, ...] = (), **extra: Any) -> Question:
        return survey_actions.do_add_question(
            staff_member,
            instance,
            kind=kind,
            text=text,
            choices=[{"key": c, "label": c.replace("_", " ").title()} for c in choices],
            **extra,
        )

    return Survey(
        instance=instance,
        single=add(
            QuestionKind.SINGLE, "Which option?", ("close", "renovate", "new"), required=True
        ),
        multiple=add(QuestionKind.MULTIPLE, "How do you use it?", ("pupil", "parent", "sport")),
        scale=add(QuestionKind.SCALE, "How important is a short route?"),
        ranking=add(QuestionKind.RANKING, "Rank these", ("safety", "air", "cost")),
        text=add(QuestionKind.TEXT, "What should the council know?"),
        age=add(QuestionKind.SINGLE, "Age group", ("young", "adult", "old"), is_demographic=True),
        relation=add(
            QuestionKind.SINGLE,
            "Relation",
            ("pupil", "parent", "teacher", "neighbour", "other"),
            is_demographic=True,
        ),
    )


def survey(org: Municipality, *, by: User | None = None, **options: Any) -> Survey:
    """A running, published survey with its questions (see :func:`survey_method`)."""
    return survey_questions(survey_method(org, by=by, **options), by=by)


def survey_answer(
    s: Survey,
    responses: Mapping[int, Any] | None = None,
    *,
    person: User | None = None,
    key: str | None = None,
    **extra: Any,
) -> Receipt:
    """One answer set through ``do_answer``, as the web form stores it.

    ``responses`` maps question id to the answer (default: the required question only);
    ``person`` None answers anonymously; ``extra`` takes ``consent``, ``contact_email``…
    """
    return survey_actions.do_answer(
        person if person is not None else AnonymousUser(),
        s.instance,
        responses if responses is not None else {s.single.pk: "new"},
        key=key or secrets.token_hex(16),
        **extra,
    )


def survey_form(s: Survey, **overrides: Any) -> dict[str, Any]:
    """What the survey's web form posts when filled in correctly; ``None`` drops a field."""
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
