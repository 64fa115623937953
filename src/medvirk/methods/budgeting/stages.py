"""Which stage a budget is in: ideas, review, vote or results.

The stages follow the case's phases. Each phase of the case gives a stage: the one staff
chose for it in the method's per-phase settings, or else the one its kind suggests —

=================  =========================================================
phase kind          stage
=================  =========================================================
utgreiing           ideas: residents hand in ideas
alternativ          review: the municipality checks cost and feasibility
vedtak              vote: residents vote on the projects on the ballot
oppfølging          results: the count and the follow-up of funded projects
=================  =========================================================

The stage is the one of the phase running now; between phases, the one of the phase that
ran last, except that a vote whose phase has ended is over (results). Before any phase the
budget is "upcoming". Two things the staff do override the phases: opening the vote by
hand (until the end they gave) and closing it ("Close the vote and count"), after which
the budget stays in results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medvirk.processes.types import Phase, PhaseKind


class Stage(StrEnum):
    UPCOMING = "upcoming"
    IDEAS = "ideas"
    REVIEW = "review"
    VOTE = "vote"
    RESULTS = "results"


LABELS = {
    Stage.UPCOMING: _("Not started"),
    Stage.IDEAS: _("Ideas"),
    Stage.REVIEW: _("Review of the ideas"),
    Stage.VOTE: _("Vote"),
    Stage.RESULTS: _("Results and follow-up"),
}

BY_KIND = {
    PhaseKind.INVESTIGATION: Stage.IDEAS,
    PhaseKind.ALTERNATIVES: Stage.REVIEW,
    PhaseKind.DECISION: Stage.VOTE,
    PhaseKind.FOLLOW_UP: Stage.RESULTS,
}

# The per-phase setting: "" follows the phase's kind.
CHOICES = (
    ("", _("Follow the phase's kind")),
    (Stage.IDEAS.value, LABELS[Stage.IDEAS]),
    (Stage.REVIEW.value, LABELS[Stage.REVIEW]),
    (Stage.VOTE.value, LABELS[Stage.VOTE]),
    (Stage.RESULTS.value, LABELS[Stage.RESULTS]),
)


def label(stage: Stage) -> str:
    return str(LABELS[stage])


def of_phase(phase: Phase, phase_settings: Mapping[str, Any]) -> Stage:
    chosen = phase_settings.get(str(phase.pk), {})
    value = chosen.get("stage", "") if isinstance(chosen, dict) else ""
    if value in Stage.__members__.values() and value != Stage.UPCOMING:
        return Stage(value)
    return BY_KIND.get(PhaseKind(phase.kind), Stage.IDEAS)


def by_phases(
    phases: Iterable[Phase], phase_settings: Mapping[str, Any], now: dt.datetime
) -> Stage:
    """The stage the case's phases give at ``now`` (see the module's table)."""
    latest: Phase | None = None
    for phase in sorted(phases, key=lambda p: p.start):
        if phase.start <= now:
            latest = phase
    if latest is None:
        return Stage.UPCOMING
    stage = of_phase(latest, phase_settings)
    if stage == Stage.VOTE and now >= latest.end:
        return Stage.RESULTS
    return stage


def current(
    phases: Iterable[Phase],
    phase_settings: Mapping[str, Any],
    *,
    opened_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    closed_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Stage:
    moment = now or timezone.now()
    if closed_at is not None:
        return Stage.RESULTS
    if opened_at is not None and opened_at <= moment:
        return Stage.VOTE if closes_at is None or moment < closes_at else Stage.RESULTS
    return by_phases(phases, phase_settings, moment)
