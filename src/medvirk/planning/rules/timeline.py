"""The timeline: each open phase (facts, methods, registering, a reasoned answer to every
round of input), the decision, telling everyone what was decided, and the follow-up.

It is planned backwards from the decision, so the last round of input ends just before it
and its answers reach the decision makers: methods are shortened to fit (never below a
week, never a statutory period), spare weeks go between the rounds, and what still does
not fit is a warning, not a step past the decision.
"""

from __future__ import annotations

import datetime as dt
import math

from ..catalogue import Catalogue
from .answers import Answers
from .law import MIN_PLAN_HEARING_WEEKS
from .output import Flag, PhaseAdvice, Recommendation, Step, reason

LONGEST_METHOD = 12
FEEDBACK_WEEKS = 1
DECISION_WEEKS = 1
# Statutory steps keep at least this long: the councils' meeting cycle, a vote's notice.
FIXED_WEEKS = {"statutory_councils": 4, "advisory_referendum": 6}


def _keys(ph: PhaseAdvice) -> list[str]:
    return [p.key for p in ph.picks if p.key != "information"]


def _length(a: Answers, keys: list[str], catalogue: Catalogue) -> tuple[int, int]:
    """(weeks the phase's methods want, weeks that cannot be shortened)."""
    want = min(max([catalogue.method(k).weeks for k in keys] or [2]), LONGEST_METHOD)
    fixed = max([FIXED_WEEKS.get(k, 0) for k in keys] or [0])
    if "hearing" in keys or "public_inspection" in keys:
        hearing = a.hearing_weeks or 0
        fixed = max(fixed, hearing, MIN_PLAN_HEARING_WEEKS if a.is_plan else 0)
    return max(want, fixed), fixed


def _too_little(needed: int, available: int) -> Flag:
    why = reason("warn_too_little_time", "when.decision_date", needed=needed, available=available)
    return Flag("too_little_time", [why])


def timeline(
    a: Answers, rec: Recommendation, catalogue: Catalogue, today: dt.date | None
) -> tuple[list[Step], list[Flag]]:
    warnings: list[Flag] = []
    inputs = [ph for ph in rec.phases if ph.phase != "follow_up"]
    follow = next((ph for ph in rec.phases if ph.phase == "follow_up"), None)
    children = a.children_affected
    n = len(inputs)
    wanted = [_length(a, _keys(ph), catalogue) for ph in inputs]
    lengths = [w for w, _f in wanted]

    available = rec.weeks_to_decision if not a.decision_made else None
    room = available - DECISION_WEEKS if available is not None else None
    if a.input_weeks is not None and sum(lengths) > a.input_weeks:
        lengths = _shrink(wanted, a.input_weeks)
        if sum(lengths) > a.input_weeks:
            warnings.append(_too_little(sum(lengths), a.input_weeks))
    if room is not None and sum(lengths) + FEEDBACK_WEEKS * n > room:
        lengths = _shrink(wanted, room - FEEDBACK_WEEKS * n)
        needed = sum(lengths) + FEEDBACK_WEEKS * n
        if needed > room and not warnings:
            warnings.append(_too_little(needed + DECISION_WEEKS, max(available or 0, 0)))

    # Spare weeks: between the rounds, so the last one ends just before the decision.
    lead, gaps = 0, [0] * n
    if room is not None and n:
        slack = room - sum(lengths) - FEEDBACK_WEEKS * n
        if slack > 0:
            if n == 1 and inputs[0].phase == "investigation":
                lengths[0] += slack  # the investigation stays open until the answers are due
            elif n == 1:
                lead = slack
            else:
                lead = 0 if inputs[0].phase == "investigation" else slack // n
                share, extra = divmod(slack - lead, n - 1)
                for i in range(1, n):
                    gaps[i] = share + (extra if i == n - 1 else 0)

    steps: list[Step] = []
    week = lead
    hearing_week = None
    if a.hearing_start and today:
        hearing_week = max(0, math.floor((a.hearing_start - today).days / 7))
    pushed = 0  # weeks a statutory date moved a round; taken off the spare weeks after it
    for i, (ph, length) in enumerate(zip(inputs, lengths, strict=True)):
        take = min(gaps[i], pushed)
        week += gaps[i] - take
        pushed -= take
        keys = _keys(ph)
        if hearing_week is not None and "hearing" in keys and hearing_week > week:
            pushed += hearing_week - week
            week = hearing_week  # the statutory date sets when the hearing starts
            hearing_week = None
        steps.append(Step(ph.phase, "inform", week, week + 1, ["information"]))
        if keys:
            own = min(
                length,
                max(_length(a, keys, catalogue)[1], max(catalogue.method(k).weeks for k in keys)),
            )
            steps.append(Step(ph.phase, "methods", week, week + own, keys))
        steps.append(Step(ph.phase, "register", week, week + length))
        week += length
        steps.append(Step(ph.phase, "feedback", week, week + FEEDBACK_WEEKS, children=children))
        week += FEEDBACK_WEEKS

    if not a.decision_made:  # a decision made already has no step of its own
        if room is not None and week > room:
            if not any(w.key == "too_little_time" for w in warnings):
                warnings.append(_too_little(week + DECISION_WEEKS, max(available or 0, 0)))
            end = max(room, 0)  # never past the decision: cut the steps at its week
            for s in steps:
                s.week_from, s.week_to = min(s.week_from, end), min(s.week_to, end)
            week = end
        if room is not None and week < room:
            week = room  # the decision is on its date
        steps.append(Step("decision", "decision", week, week + DECISION_WEEKS))
        week += DECISION_WEEKS
        steps.append(Step("decision", "decision_feedback", week, week + 2, children=children))
        week += 2
    if follow is not None:
        keys = _keys(follow)
        steps.append(Step("follow_up", "inform", week, week + 1, ["information"]))
        if keys:
            steps.append(Step("follow_up", "methods", week, week + 4, keys))
            steps.append(Step("follow_up", "register", week, week + 4))
            steps.append(Step("follow_up", "feedback", week + 4, week + 5, children=children))
        steps.append(Step("follow_up", "follow_up", week + 5, week + 9))
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
