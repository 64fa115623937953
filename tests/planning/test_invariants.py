"""What holds for every plan the rules make, over the scenario cases and the old answers."""

from __future__ import annotations

from datetime import date

import pytest

from medvirk.planning import rules

from .scenarios import CASES
from .test_scenarios import catalogue


def _rec(case_id: str) -> tuple[rules.Answers, rules.Recommendation]:
    case = next(c for c in CASES if c.id == case_id)
    answers = rules.parse_answers(case.answers)
    return answers, rules.recommend(answers, catalogue(), today=date.fromisoformat(case.today))


IDS = [c.id for c in CASES]


@pytest.mark.parametrize("case_id", IDS)
def test_no_pick_above_the_ceiling_so_the_texts_never_contradict_the_plan(case_id: str) -> None:
    answers, rec = _rec(case_id)
    for pick in rec.picks():
        if pick.function == "children" and answers.decision_state == "decided":
            # Children are still met about how it is carried out (Grunnloven § 104).
            assert pick.rung <= 3, pick
            continue
        if pick.key == "advisory_referendum" and answers.council_vote:
            continue  # the council's own vote (kommuneloven § 12-2)
        assert pick.rung <= rec.max_rung, (pick.key, pick.rung, rec.max_rung)


@pytest.mark.parametrize("case_id", IDS)
def test_the_timeline_never_runs_past_the_decision(case_id: str) -> None:
    answers, rec = _rec(case_id)
    if rec.weeks_to_decision is None or answers.decision_made:
        return
    before = [s for s in rec.timeline if s.kind != "decision_feedback" and s.phase != "follow_up"]
    assert max(s.week_to for s in before) <= rec.weeks_to_decision


@pytest.mark.parametrize("case_id", IDS)
def test_every_round_of_input_gets_a_reasoned_answer(case_id: str) -> None:
    answers, rec = _rec(case_id)
    rounds = [
        ph.phase
        for ph in rec.phases
        if ph.phase != "follow_up" or any(p.key != "information" for p in ph.picks)
    ]
    feedback = [s.phase for s in rec.timeline if s.kind == "feedback"]
    assert feedback == rounds
    if answers.children_affected:
        assert all(s.children for s in rec.timeline if s.kind == "feedback")


@pytest.mark.parametrize("case_id", IDS)
def test_a_method_is_required_by_law_only_with_its_section(case_id: str) -> None:
    _a, rec = _rec(case_id)
    for pick in rec.picks():
        for act, section in pick.law:
            assert act in ("kl", "pbl", "offl", "fvl", "grl") and section, pick


@pytest.mark.parametrize("case_id", IDS)
def test_left_out_for_the_ceiling_names_the_answer_that_set_it(case_id: str) -> None:
    _a, rec = _rec(case_id)
    cause = {r.answer for r in rec.max_rung_reasons}
    for left in rec.left_out:
        for r in left.reasons:
            if r.code == "left_above_cap":
                assert r.answer in cause, (left.key, r.answer, cause)


def test_old_answers_still_open() -> None:
    """A plan saved with the first schema (fixed rows, decision_made) parses and recommends."""
    raw = {
        "why": {"purposes": ["learning"], "use": "Til saksframlegget."},
        "who": {"stakeholders": {"residents": {"affected": 2, "speaks_up": 2}}},
        "when": {"open_phases": ["follow_up"], "weeks": 10},
        "room": {"open": "Korleis", "decision_made": True, "case_kind": "building"},
    }
    answers = rules.parse_answers(raw)
    assert answers.decision_state == "decided"
    rec = rules.recommend(answers, catalogue())
    assert rec.max_rung == 2


@pytest.mark.parametrize("nothing", ["ingenting", "Nothing.", "-", "  Ikkje noko  "])
def test_nothing_does_not_count_as_open(nothing: str) -> None:
    raw = {
        "why": {"purposes": ["learning"], "use": "x"},
        "who": {"stakeholders": {"residents": {"affected": 2, "speaks_up": 2}}},
        "when": {"open_phases": ["investigation"]},
        "room": {"open": nothing, "case_kind": "other", "decision_state": "open"},
    }
    rec = rules.recommend(rules.parse_answers(raw), catalogue())
    assert rec.max_rung == 2
    assert {w.key for w in rec.warnings} >= {"nothing_open", "decided_empty"}
