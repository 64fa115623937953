"""The timeline: each open phase (facts, methods, registering, a reasoned answer to every
round of input), the decision, telling everyone what was decided, and the follow-up.

It fits the weeks to the decision: methods are shortened (never below a week, never a
statutory period), and what still does not fit is a warning, not a step past the decision.
"""

from __future__ import annotations

import datetime as dt
import math

from ..catalogue import Catalogue
from .answers import Answers
from .law import MIN_PLAN_HEARING_WEEKS
from .output import Flag, Recommendation, Step, reason

LONGEST_METHOD = 12
FEEDBACK_WEEKS = 1
DECISION_WEEKS = 1


def _length(a: Answers, keys: list[str], catalogue: Catalogue) -> tuple[int, int]:
    """(weeks the phase's methods want, weeks that cannot be shortened)."""
    want = min(max([catalogue.method(k).weeks for k in keys] or [2]), LONGEST_METHOD)
    fixed = 0
    if "hearing" in keys or "public_inspection" in keys:
        fixed = max(a.hearing_weeks or 0, MIN_PLAN_HEARING_WEEKS if a.is_plan else 0)
    return max(want, fixed), fixed


def timeline(
    a: Answers, rec: Recommendation, catalogue: Catalogue, today: dt.date | None
) -> tuple[list[Step], list[Flag]]:
    warnings: list[Flag] = []
    inputs = [ph for ph in rec.phases if ph.phase != "follow_up"]
    follow = next((ph for ph in rec.phases if ph.phase == "follow_up"), None)
    children = a.children_affected
    wanted: list[tuple[int, int]] = []
    for ph in inputs:
        keys = [p.key for p in ph.picks if p.key != "information"]
        wanted.append(_length(a, keys, catalogue))

    total = sum(w for w, _f in wanted) + FEEDBACK_WEEKS * len(inputs)
    available = rec.weeks_to_decision
    window = a.input_window(today)
    room = None
    if available is not None:
        room = available - DECISION_WEEKS
    if window is not None:
        room = min(room, window + FEEDBACK_WEEKS * len(inputs)) if room is not None else window
    lengths = [w for w, _f in wanted]
    if room is not None and total > room:
        lengths = _shrink(wanted, room - FEEDBACK_WEEKS * len(inputs))
        needed = sum(lengths) + FEEDBACK_WEEKS * len(inputs)
        if needed > room:
            warnings.append(
                Flag(
                    "too_little_time",
                    [
                        reason(
                            "warn_too_little_time",
                            "when.decision_date",
                            needed=needed,
                            available=max(room, 0),
                        )
                    ],
                )
            )

    steps: list[Step] = []
    week = 0
    hearing_week = None
    if a.hearing_start and today:
        hearing_week = max(0, math.floor((a.hearing_start - today).days / 7))
    for ph, length in zip(inputs, lengths, strict=True):
        keys = [p.key for p in ph.picks if p.key != "information"]
        if hearing_week is not None and "hearing" in keys and hearing_week > week:
            week = hearing_week  # the statutory date sets when the hearing starts
        steps.append(Step(ph.phase, "inform", week, week + 1, ["information"]))
        if keys:
            steps.append(Step(ph.phase, "methods", week, week + length, keys))
        steps.append(Step(ph.phase, "register", week, week + length))
        week += length
        steps.append(Step(ph.phase, "feedback", week, week + FEEDBACK_WEEKS, children=children))
        week += FEEDBACK_WEEKS
    if available is not None and week + DECISION_WEEKS > available:
        if not any(w.key == "too_little_time" for w in warnings):
            warnings.append(
                Flag(
                    "too_little_time",
                    [
                        reason(
                            "warn_too_little_time",
                            "when.decision_date",
                            needed=week + 1,
                            available=available,
                        )
                    ],
                )
            )
        # Never past the decision: cut the steps at the decision week.
        end = max(available - DECISION_WEEKS, 0)
        for s in steps:
            s.week_from, s.week_to = min(s.week_from, end), min(s.week_to, end)
        week = end
    if not a.decision_made:  # a decision made already has no step of its own
        if available is not None and week < available - DECISION_WEEKS:
            week = available - DECISION_WEEKS  # the decision is on its date
        steps.append(Step("decision", "decision", week, week + DECISION_WEEKS))
        week += DECISION_WEEKS
        steps.append(Step("decision", "decision_feedback", week, week + 2, children=children))
        week += 2
    if follow is not None:
        keys = [p.key for p in follow.picks if p.key != "information"]
        steps.append(Step("follow_up", "inform", week, week + 1, ["information"]))
        if keys:
            steps.append(Step("follow_up", "methods", week, week + 4, keys))
        steps.append(Step("follow_up", "follow_up", week, week + 4))
    return steps, warnings


def _shrink(wanted: list[tuple[int, int]], room: int) -> list[int]:
    """Shorten what can be shortened, in proportion, to fit ``room`` weeks (at least a week
    each; statutory periods stay whole)."""
    flexible = sum(w - max(f, 1) for w, f in wanted)
    over = sum(w for w, _f in wanted) - room
    if flexible <= 0 or over <= 0:
        return [w for w, _f in wanted]
    share = min(1.0, over / flexible)
    out = []
    for w, f in wanted:
        floor = max(f, 1)
        out.append(max(floor, w - math.ceil((w - floor) * share)))
    return out
