"""Hvorfor + hvem + når = hvordan: transparent rules from a plan's answers to recommendations.

Pure functions over plain data (no Django): ``parse_answers`` validates the stored answers,
``recommend`` turns them and the catalogue into rungs and methods per phase, partners'
roles, pitfalls, a legal checklist, warnings and a timeline. Every recommendation carries
the :class:`Reason` objects that led to it: a code (translated by ``planning.explain``), the
answer it comes from, and parameters. The modules, in the order the engine uses them:
``answers`` (schema), ``ladder`` (ceiling, rungs, exclusions), ``coverage`` (what each phase
needs), ``scoring``, ``partners``, ``pitfalls``, ``law`` (checklist and warnings),
``timeline``; ``engine`` puts them together.
"""

from ..catalogue import PHASES
from .answers import (
    AGE_BANDS,
    CASE_KINDS,
    DECIDERS,
    DECISION_STATES,
    GROUP_KINDS,
    MAP_GROUPS,
    MAX_GROUPS,
    MAX_NAME,
    MAX_TEXT,
    PARTNERS,
    PLAN_HEARINGS,
    PLAN_TYPES,
    PURPOSES,
    STEPS,
    TIMES,
    AnswerError,
    Answers,
    Group,
    Stake,
    missing_steps,
    parse_answers,
)
from .coverage import SIX_WEEK_SECTIONS
from .engine import recommend
from .law import MIN_PLAN_HEARING_WEEKS
from .output import Flag, Left, PartnerRole, PhaseAdvice, Pick, Reason, Recommendation, Step, reason

__all__ = [
    "AGE_BANDS",
    "CASE_KINDS",
    "DECIDERS",
    "DECISION_STATES",
    "GROUP_KINDS",
    "MAP_GROUPS",
    "MAX_GROUPS",
    "MAX_NAME",
    "MAX_TEXT",
    "MIN_PLAN_HEARING_WEEKS",
    "PARTNERS",
    "PHASES",
    "PLAN_HEARINGS",
    "PLAN_TYPES",
    "PURPOSES",
    "SIX_WEEK_SECTIONS",
    "STEPS",
    "TIMES",
    "AnswerError",
    "Answers",
    "Flag",
    "Group",
    "Left",
    "PartnerRole",
    "PhaseAdvice",
    "Pick",
    "Reason",
    "Recommendation",
    "Stake",
    "Step",
    "missing_steps",
    "parse_answers",
    "reason",
    "recommend",
]
