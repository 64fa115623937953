"""How well a method fits the answers: a small, readable sum with a reason for every point.

Scores only order the candidates for a function and fill the places the functions leave;
they never decide alone what a phase needs (``coverage.py`` does). The reach bonus is capped,
so methods that reach many groups a little (outreach) do not crowd out workshops and dialogue.
"""

from __future__ import annotations

from ..catalogue import Method
from .answers import Answers
from .output import Reason, reason

REACH_CAP = 4  # at most two groups' worth of "reaches well"
HARD_TO_REACH = ("silent_affected", "minority_language", "children")
OPEN_FORMATS = frozenset({"online", "workshop", "map"})


def score(a: Answers, m: Method) -> tuple[int, list[Reason], list[Reason]]:
    total, reasons, cautions = 1, [], []
    reach = 0
    for group in a.target_groups:
        if group in m.reaches_well:
            reach += 2
            reasons.append(reason("fit_reaches_group", "who.groups", group=group))
        if group in m.reaches_badly:
            total -= 2 if group in HARD_TO_REACH else 1
            cautions.append(reason("caution_reaches_badly", "who.groups", group=group))
    total += min(reach, REACH_CAP)
    traits = m.traits
    if "learning" in a.purposes and "deliberative" in traits:
        total += 1
        reasons.append(reason("fit_learning_dialogue", "why.purposes"))
    if "anchoring" in a.purposes and m.rung >= 3 and "body" not in traits:
        total += 1
        reasons.append(reason("fit_anchoring_involve", "why.purposes"))
    representative = "representative" in traits or "quantitative" in traits
    if not a.broad_public and "representative" in traits:
        # A sample of the population says little about a known group (pupils, users).
        total -= 2
        cautions.append(reason("caution_population_sample", "who.groups"))
    elif a.know_enough == "no" and representative:
        total += 2
        reasons.append(reason("fit_know_too_little", "who.know_enough"))
    elif a.know_enough == "unsure" and "representative" in traits:
        total += 1
        reasons.append(reason("fit_know_too_little", "who.know_enough"))
    if a.public_debate and "representative" in traits:
        total += 1
        reasons.append(reason("fit_loud_debate", "who.public_debate"))
    if a.silent_groups and "outreach" in traits:
        total += 1
        reasons.append(reason("fit_silent_outreach", "who.silent"))
    if a.is_place and ("place" in traits or "map" in traits):
        total += 1
        reasons.append(reason("fit_place", "room.place_based"))
    if a.affected("day_workers") and m.format == "physical" and "outreach" not in traits:
        total -= 1
        cautions.append(reason("caution_daytime_meeting", "who.groups"))
    if a.sensitive and (a.loud_groups or a.public_debate) and traits & OPEN_FORMATS:
        # A sensitive case with a loud side: open, public formats expose the silent side.
        total -= 2
        cautions.append(reason("caution_open_sensitive", "room.sensitive"))
    if a.resources == "low" and m.effort == "low":
        total += 1
        reasons.append(reason("fit_low_effort", "room.resources"))
    if m.medvirk_method:
        total += 1
        reasons.append(reason("fit_runs_in_medvirk", "catalogue", method=m.medvirk_method))
    return total, reasons, cautions
