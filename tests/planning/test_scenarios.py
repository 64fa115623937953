"""The planner judged as a participation adviser would: the cases of ``scenarios.py``.

Each case runs ``rules.parse_answers`` and ``rules.recommend`` and checks every expectation;
a failing case lists every unmet expectation in one message (phase, key, what was picked
instead, and why a missing method was left out), so the failure explains itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache
from typing import Any

import pytest

from medvirk.planning import rules
from medvirk.planning.catalogue import Catalogue, Links, default

from .scenarios import CASES, Case

# The method plug-ins' claims on catalogue entries (what planning/library.py builds from the
# registry), given here so the rules are tested without Django.
LINKS: Links = (
    ("information", "information"),
    ("survey", "survey"),
    ("hearing", "hearing"),
    ("public_inspection", "hearing"),
    ("opinion_poll", "poll"),
    ("residents_panel", "panel"),
    ("barnetrakk", "map_input"),
    ("map_pins", "map_input"),
    ("participatory_budgeting", "budgeting"),
    ("advisory_referendum", "referendum"),
    ("e_democracy", "discussion"),
    ("idea_board", "ideas"),
    ("citizens_initiative", "initiative"),
    ("opinion_map", "opinion_map"),
    ("plan_workshop", "meeting"),
    ("future_workshop", "meeting"),
    ("hosted_conversation", "meeting"),
    ("mayors_bench", "meeting"),
    ("democracy_cafe", "meeting"),
    ("class_session", "meeting"),
    ("user_dialogue", "meeting"),
)

# The documented key lists (answer schema v2 and the Recommendation, issue 21).
PHASES = ("investigation", "alternatives", "decision", "follow_up")
METHODS = frozenset(
    {
        "information",
        "hearing",
        "public_inspection",
        "opinion_poll",
        "residents_panel",
        "plan_workshop",
        "future_workshop",
        "e_democracy",
        "hosted_conversation",
        "mayors_bench",
        "democracy_cafe",
        "barnetrakk",
        "citizens_initiative",
        "social_media_agenda",
        "committees",
        "institution_board",
        "youth_council_assembly",
        "participatory_budgeting",
        "advisory_referendum",
        "street_sampling",
        "survey",
        "opinion_map",
        "idea_board",
        "co_creation",
        "statutory_councils",
        "map_pins",
        "anonymous_channel",
        "class_session",
        "kindergarten_session",
        "question_channel",
        "user_dialogue",
    }
)
PITFALLS = frozenset(
    {
        "representativeness",
        "committed_minority",
        "resourceful_activists",
        "diffused_responsibility",
        "time_horizon",
        "single_issue",
    }
)
LEGAL = frozenset(
    {
        "information_duty",
        "pbl_participation",
        "electronic_dialogue",
        "children_in_planning",
        "childrens_representative",
        "hearing_six_weeks",
        "planprogram_hearing",
        "notice_of_start",
        "private_proposal",
        "councils_early",
        "citizen_initiative",
        "initiative_same_period",
        "advisory_referendum",
        "submissions_are_documents",
        "confidentiality",
        "special_laws",
        "children_heard",
        "panel_openness",
        "delegated_bodies",
        "delegation_rules",
    }
)
WARNINGS = frozenset(
    {"decided_empty", "nothing_open", "too_little_time", "hearing_too_short", "past_decision"}
)
GROUP_KINDS = frozenset(
    {
        "residents",
        "neighbours",
        "parents",
        "pupils",
        "children",
        "youth",
        "elderly",
        "disabled",
        "users",
        "relatives",
        "minority_language",
        "day_workers",
        "associations",
        "volunteers",
        "enthusiasts",
        "business",
        "developer",
        "regional",
        "neighbour_municipality",
        "initiators",
        "staff",
    }
)
AGE_BANDS = ("0-5", "6-12", "13-15", "16-19", "20-66", "67-79", "80+")
TIMES = ("", "school_hours", "daytime", "evening", "weekend")
CASE_KINDS = ("pbl_plan", "theme_plan", "budget", "service_change", "building", "other")
DECISION_STATES = ("open", "partly", "decided", "contracted")
# Timeline steps that come after the decision by their nature.
AFTER_DECISION = frozenset({"decision", "decision_feedback", "follow_up"})

# ``recommend(..., today=)`` and the v2 Recommendation fields (warnings, partners) are read
# through Any, so this harness type-checks against the rules before and after the v2 change.
recommend: Callable[..., Any] = rules.recommend


@cache
def catalogue() -> Catalogue:
    """The catalogue with the plug-ins' links (refused while an entry is still missing)."""
    return default(LINKS)


@cache
def catalogue_keys() -> frozenset[str]:
    """The catalogue's method keys, whatever the plug-ins claim."""
    return frozenset(m.key for m in default(()).methods)


def _ids(keys: Iterable[str]) -> str:
    return ", ".join(sorted(keys)) or "nothing"


def _codes(reasons: Iterable[Any]) -> str:
    return ", ".join(sorted({r.code for r in reasons})) or "no reason given"


def weeks_to_decision(case: Case) -> int | None:
    when = case.answers.get("when", {})
    if when.get("decision_date"):
        days = (date.fromisoformat(when["decision_date"]) - date.fromisoformat(case.today)).days
        return math.ceil(days / 7)  # rounded up: the test never blames a rounding choice
    weeks = when.get("weeks")
    return weeks if isinstance(weeks, int) else None


def unmet(case: Case, rec: Any) -> list[str]:
    """Every expectation of ``case`` that ``rec`` does not meet, each as one line."""
    found: list[str] = []
    picked: dict[str, set[str]] = {ph.phase: {p.key for p in ph.picks} for ph in rec.phases}

    def where(key: str) -> str:
        phases = [phase for phase, keys in picked.items() if key in keys]
        if phases:
            return f"picked in {_ids(phases)} instead"
        left = rec.left(key)
        return f"left out: {_codes(left.reasons)}" if left is not None else "not in the output"

    def phase_keys(kind: str, phase: str) -> set[str] | None:
        if phase not in picked:
            found.append(f"{kind} {phase}: the phase is not in the plan (phases: {_ids(picked)})")
            return None
        return picked[phase]

    for phase, keys in case.expect.items():
        there = phase_keys("expect", phase)
        if there is None:
            continue
        for key in sorted(set(keys) - there):
            found.append(f"expect {phase}: {key} not picked ({where(key)}); picked: {_ids(there)}")
    for phase, sets in case.any_of.items():
        there = phase_keys("any_of", phase)
        if there is None:
            continue
        for options in sets:
            if not set(options) & there:
                elsewhere = "; ".join(f"{k}: {where(k)}" for k in sorted(options))
                found.append(
                    f"any_of {phase}: none of [{_ids(options)}] picked; picked: {_ids(there)}"
                    f" ({elsewhere})"
                )
    for options, phases in case.any_of_in:
        if not any(set(options) & picked.get(phase, set()) for phase in phases):
            elsewhere = "; ".join(f"{k}: {where(k)}" for k in sorted(options))
            found.append(
                f"any_of_in {_ids(phases)}: none of [{_ids(options)}] picked there ({elsewhere})"
            )
    for key in sorted(case.absent):
        for ph in rec.phases:
            for p in ph.picks:
                if p.key == key:
                    found.append(f"absent: {key} picked in {ph.phase} ({_codes(p.reasons)})")
    for phase, keys in case.absent_in.items():
        for key in sorted(set(keys) & picked.get(phase, set())):
            found.append(f"absent_in {phase}: {key} picked")

    for name, want, never in (
        ("pitfalls", case.pitfalls, case.no_pitfalls),
        ("legal", case.legal, case.no_legal),
        ("warnings", case.warnings, case.no_warnings),
    ):
        flags = {f.key: f for f in getattr(rec, name)}
        missing = set(want) - set(flags)
        if missing:
            found.append(f"{name}: missing {_ids(missing)}; flagged: {_ids(flags)}")
        for key in sorted(set(never) & set(flags)):
            found.append(f"{name}: {key} flagged but should not be ({_codes(flags[key].reasons)})")

    if case.max_rung is not None and rec.max_rung != case.max_rung:
        found.append(
            f"max_rung: expected {case.max_rung}, got {rec.max_rung} "
            f"({_codes(rec.max_rung_reasons)})"
        )
    if case.max_rung_at_most is not None and rec.max_rung > case.max_rung_at_most:
        found.append(
            f"max_rung: expected at most {case.max_rung_at_most}, got {rec.max_rung}; "
            f"highest pick rung {max((p.rung for ph in rec.phases for p in ph.picks), default=0)}"
        )

    if case.partners:
        # PartnerRole.group is the group kind; a named group's name of that kind also counts.
        names = {g["name"]: g["kind"] for g in case.answers.get("who", {}).get("groups", [])}
        roles = {names.get(role.group, role.group) for role in rec.partners}
        missing = set(case.partners) - roles
        if missing:
            found.append(f"partners: no role for {_ids(missing)}; roles for: {_ids(roles)}")

    limit = weeks_to_decision(case) if case.timeline_within_decision else None
    for step in rec.timeline if limit is not None else ():
        if step.kind == "decision":
            late = step.week_from > limit  # the decision itself is at the decision date
        else:  # what comes before the decision must end by then
            late = (
                step.kind not in AFTER_DECISION
                and step.phase != "follow_up"
                and step.week_to > limit
            )
        if late:
            found.append(
                f"timeline: {step.phase} {step.kind} weeks {step.week_from}–{step.week_to} "
                f"ends after the decision (week {limit})"
            )
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_scenario(case: Case) -> None:
    answers = rules.parse_answers(case.answers)
    rec = recommend(answers, catalogue(), today=date.fromisoformat(case.today))
    problems = unmet(case, rec)
    header = f"{case.id} ({case.title}; {case.source}): {len(problems)} unmet expectations"
    assert not problems, "\n  ".join([header, *problems])


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_answers_parse(case: Case) -> None:
    rules.parse_answers(case.answers)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_data_follows_the_schema(case: Case) -> None:
    """The cases themselves: documented values only, and expectations that can be met."""
    found: list[str] = []
    who, when, room = (case.answers.get(step, {}) for step in ("who", "when", "room"))
    groups = who.get("groups", [])
    if not groups or len(groups) > 20:
        found.append(f"{len(groups)} groups (1–20)")
    for g in groups:
        if g["kind"] not in GROUP_KINDS:
            found.append(f"group {g['name']}: kind {g['kind']}")
        if not set(g["ages"]) <= set(AGE_BANDS):
            found.append(f"group {g['name']}: ages {g['ages']}")
        if g["time"] not in TIMES:
            found.append(f"group {g['name']}: time {g['time']}")
        if g["minutes"] is not None and not 5 <= g["minutes"] <= 600:
            found.append(f"group {g['name']}: minutes {g['minutes']}")
        if not (0 <= g["affected"] <= 3 and 0 <= g["speaks_up"] <= 3):
            found.append(f"group {g['name']}: levels")
    if room.get("case_kind") not in CASE_KINDS:
        found.append(f"case_kind {room.get('case_kind')}")
    if room.get("decision_state", "open") not in DECISION_STATES:
        found.append(f"decision_state {room.get('decision_state')}")
    if not case.today.startswith("2027-"):
        found.append(f"today {case.today} is not in 2027")
    open_phases = set(when.get("open_phases", []))
    for phase in {*case.expect, *case.any_of, *case.absent_in}:
        if phase not in open_phases:
            found.append(f"an expectation names {phase}, which is not an open phase")
    for options, phases in case.any_of_in:
        if not set(phases) & open_phases:
            found.append(f"any_of_in [{_ids(options)}] names no open phase")
    required = {k for keys in case.expect.values() for k in keys}
    if required & set(case.absent):
        found.append(f"both required and absent: {_ids(required & set(case.absent))}")
    for want, never in (
        (case.pitfalls, case.no_pitfalls),
        (case.legal, case.no_legal),
        (case.warnings, case.no_warnings),
    ):
        if set(want) & set(never):
            found.append(f"both expected and refused: {_ids(set(want) & set(never))}")
    if case.timeline_within_decision and weeks_to_decision(case) is None:
        found.append("timeline_within_decision without a decision date or weeks")
    assert not found, f"{case.id}: " + "; ".join(found)


def _method_keys(case: Case) -> set[str]:
    keys = {k for keys in case.expect.values() for k in keys}
    keys |= {k for sets in case.any_of.values() for options in sets for k in options}
    keys |= {k for options, _ in case.any_of_in for k in options}
    keys |= set(case.absent) | {k for keys in case.absent_in.values() for k in keys}
    return keys


def test_expectation_keys_exist() -> None:
    found: list[str] = []
    for case in CASES:
        for key in sorted(_method_keys(case) - METHODS):
            found.append(f"{case.id}: method {key} is not documented")
        for key in sorted(_method_keys(case) - catalogue_keys()):
            found.append(f"{case.id}: method {key} is not in the catalogue")
        for name, keys, known in (
            ("pitfall", {*case.pitfalls, *case.no_pitfalls}, PITFALLS),
            ("legal item", {*case.legal, *case.no_legal}, LEGAL),
            ("warning", {*case.warnings, *case.no_warnings}, WARNINGS),
            ("partner kind", set(case.partners), GROUP_KINDS),
        ):
            for key in sorted(keys - known):
                found.append(f"{case.id}: {name} {key} is not documented")
        named = {*case.expect, *case.any_of, *case.absent_in}
        named |= {p for _, phases in case.any_of_in for p in phases}
        for phase in named:
            if phase not in PHASES:
                found.append(f"{case.id}: phase {phase} is not documented")
    assert not found, "\n".join(found)


def test_the_cases_cover_every_kind_of_case() -> None:
    assert len(CASES) >= 20
    ids = [c.id for c in CASES]
    assert len(set(ids)) == len(ids), "case ids must be unique"
    kinds = {c.answers["room"]["case_kind"] for c in CASES}
    assert set(CASE_KINDS) <= kinds, f"no case of kind {_ids(set(CASE_KINDS) - kinds)}"
    states = {c.answers["room"].get("decision_state", "open") for c in CASES}
    assert set(DECISION_STATES) <= states, f"no case {_ids(set(DECISION_STATES) - states)}"
    ages = {a for c in CASES for g in c.answers["who"]["groups"] for a in g["ages"]}
    for band in ("0-5", "6-12", "13-15", "16-19"):
        assert band in ages, f"no case with children aged {band}"
