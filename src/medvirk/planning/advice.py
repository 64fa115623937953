"""The recommendation for a saved plan, as every page and action sees it: today's date, the
case's expected decision date (or the end of its decision phase) when the plan has none of
its own, and who runs the participation."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone

from medvirk.processes.models import Phase, Process

from . import library, rules
from .models import Plan


def expected_decision(process: Process) -> dt.date | None:
    """The case's expected decision date, or the last day of its decision phase."""
    if process.decision_expected is not None:
        return process.decision_expected
    phase = Phase.objects.filter(process=process, kind="decision").order_by("-end").first()
    return timezone.localdate(phase.end) if phase is not None else None


def answers_of(plan: Plan) -> rules.Answers:
    """The plan's answers (``rules.AnswerError`` when they no longer fit the schema)."""
    answers = rules.parse_answers(plan.answers)
    process = plan.process
    if answers.decision_date is None:
        expected = expected_decision(process)
        if expected is not None:
            answers = dataclasses.replace(answers, decision_date=expected)
    if process.municipality.is_county:
        answers = dataclasses.replace(answers, runner="fylkeskommune")
    return answers


def recommendation(plan: Plan, answers: rules.Answers | None = None) -> rules.Recommendation:
    answers = answers if answers is not None else answers_of(plan)
    return rules.recommend(answers, library.catalogue(), today=timezone.localdate())
