"""The recommendation for a saved plan, as every page and action sees it: today's date, and
the case's expected decision date when the plan has none of its own."""

from __future__ import annotations

import dataclasses

from django.utils import timezone

from . import library, rules
from .models import Plan


def answers_of(plan: Plan) -> rules.Answers:
    """The plan's answers (``rules.AnswerError`` when they no longer fit the schema)."""
    answers = rules.parse_answers(plan.answers)
    process = plan.process
    if answers.decision_date is None and process.decision_expected is not None:
        answers = dataclasses.replace(answers, decision_date=process.decision_expected)
    if process.municipality.is_county:
        answers = dataclasses.replace(answers, runner="fylkeskommune")
    return answers


def recommendation(plan: Plan, answers: rules.Answers | None = None) -> rules.Recommendation:
    answers = answers if answers is not None else answers_of(plan)
    return rules.recommend(answers, library.catalogue(), today=timezone.localdate())
