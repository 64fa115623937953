"""Scenarios for the recommendation rules: expected methods AND expected absences."""

from __future__ import annotations

from typing import Any

import pytest

from medvirk.planning import rules
from medvirk.planning.catalogue import default

# The shipped plug-ins' claims (test_catalogue.py checks the registry makes exactly these),
# given here so the rules are tested without Django.
CAT = default((("information", "information"), ("survey", "survey")))


def plan(
    *,
    purposes: tuple[str, ...] = ("learning",),
    stakes: dict[str, tuple[int, int]] | None = None,
    phases: tuple[str, ...] = ("investigation", "alternatives"),
    weeks: int | None = 20,
    know: str = "unsure",
    debate: bool = False,
    silent: str = "",
    **room: Any,
) -> rules.Recommendation:
    raw = {
        "why": {"purposes": list(purposes), "use": "Til saksframlegget."},
        "who": {
            "stakeholders": {
                k: {"affected": a, "speaks_up": s}
                for k, (a, s) in (stakes or {"residents": (2, 2)}).items()
            },
            "know_enough": know,
            "public_debate": debate,
            "silent": silent,
        },
        "when": {"open_phases": list(phases), "weeks": weeks},
        "room": {"open": "Kva alternativ vi vel.", "case_kind": "other", **room},
    }
    return rules.recommend(rules.parse_answers(raw), CAT)


def legal_keys(rec: rules.Recommendation) -> set[str]:
    return {f.key for f in rec.legal}


def pitfall_keys(rec: rules.Recommendation) -> set[str]:
    return {f.key for f in rec.pitfalls}


def codes(reasons: list[rules.Reason]) -> set[str]:
    return {r.code for r in reasons}


def test_1_plan_case_affecting_children_brings_barnetrakk_and_5_1() -> None:
    rec = plan(
        stakes={"residents": (2, 2), "children": (3, 0)},
        case_kind="pbl_plan",
        plan_type="reguleringsplan",
    )
    pick = rec.pick("barnetrakk", "investigation")
    assert pick is not None and pick.required
    assert "req_children_plan" in codes(pick.reasons)
    assert {"pbl_participation", "children_in_planning", "childrens_representative"} <= legal_keys(
        rec
    )
    hearing = next(f for f in rec.legal if f.key == "hearing_six_weeks")
    assert hearing.params["section"] == "12-10"
    assert rec.pick("hearing") is not None and rec.pick("public_inspection") is not None
    assert rec.pick("participatory_budgeting") is None


def test_2_decision_already_made_never_recommends_high_rungs() -> None:
    rec = plan(
        purposes=("anchoring", "learning"),
        stakes={"residents": (3, 2), "associations": (3, 3)},
        phases=("follow_up",),
        decision_made=True,
        budget=1_000_000,
        budget_to_allocate=True,
        yes_no_question=True,
    )
    assert rec.max_rung == 2
    assert "cap_decision_made" in codes(rec.max_rung_reasons)
    assert max(p.rung for ph in rec.phases for p in ph.picks) <= 2
    for key in ("participatory_budgeting", "advisory_referendum", "co_creation", "idea_board"):
        assert rec.pick(key) is None
        left = rec.left(key)
        assert left is not None and left.reasons
    assert "left_above_cap" in codes(rec.left("participatory_budgeting").reasons)  # type: ignore[union-attr]


def test_3_fixed_budget_to_allocate_brings_participatory_budgeting() -> None:
    rec = plan(
        purposes=("anchoring",),
        stakes={"residents": (3, 2), "youth": (2, 1)},
        phases=("investigation", "alternatives", "decision"),
        case_kind="budget",
        budget=2_000_000,
        budget_to_allocate=True,
    )
    pick = rec.pick("participatory_budgeting", "alternatives")
    assert pick is not None and pick.required and pick.rung == 5
    assert "diffused_responsibility" in pitfall_keys(rec)
    assert "single_issue" in pitfall_keys(rec)


def test_4_no_budget_means_no_participatory_budgeting() -> None:
    rec = plan(purposes=("anchoring",), phases=("alternatives", "decision"), case_kind="budget")
    assert rec.pick("participatory_budgeting") is None
    assert "left_no_budget" in codes(rec.left("participatory_budgeting").reasons)  # type: ignore[union-attr]


def test_5_information_only_stays_low() -> None:
    rec = plan(purposes=("information",), stakes={"residents": (2, 1)})
    assert rec.max_rung == 2
    assert {p.key for ph in rec.phases for p in ph.picks} <= {
        m.key for m in CAT.methods if m.rung <= 2
    }
    assert rec.pick("plan_workshop") is None and rec.pick("barnetrakk") is None


def test_6_elderly_and_disabled_bring_the_statutory_councils_early() -> None:
    rec = plan(
        stakes={"elderly": (3, 1), "disabled": (2, 0)},
        phases=("investigation", "alternatives"),
        case_kind="service_change",
    )
    pick = rec.pick("statutory_councils", "investigation")
    assert pick is not None and pick.required
    assert "councils_early" in legal_keys(rec)
    assert rec.pick("barnetrakk") is None and rec.pick("youth_council_assembly") is None
    assert "left_no_children" in codes(rec.left("barnetrakk").reasons)  # type: ignore[union-attr]


def test_7_silent_and_loud_debate_go_out_to_people() -> None:
    rec = plan(
        stakes={"residents": (3, 1), "associations": (2, 3), "minority_language": (3, 0)},
        debate=True,
        silent="Foreldre som ikkje les norsk.",
    )
    picked = rec.picked_keys()
    assert {"street_sampling", "hosted_conversation"} & picked
    assert {"committed_minority", "resourceful_activists", "representativeness"} <= pitfall_keys(
        rec
    )
    # Outreach methods carry the reason that points at the silent-group answer.
    outreach = rec.pick("street_sampling") or rec.pick("hosted_conversation")
    assert outreach is not None
    assert "fit_silent_outreach" in codes(outreach.reasons)
    assert {r.answer for r in outreach.reasons if r.code == "fit_silent_outreach"} == {"who.silent"}


def test_8_no_plan_case_means_no_public_inspection_and_no_pbl_checklist() -> None:
    rec = plan(case_kind="building", phases=("alternatives", "decision"))
    assert rec.pick("public_inspection") is None
    assert "left_inspection_not_plan" in codes(rec.left("public_inspection").reasons)  # type: ignore[union-attr]
    assert not legal_keys(rec) & {
        "pbl_participation",
        "hearing_six_weeks",
        "childrens_representative",
    }
    assert "information_duty" in legal_keys(rec)


def test_9_citizens_initiative_checklist_depends_on_who_decides() -> None:
    kommune = plan(from_initiative=True)
    fylke = plan(from_initiative=True, decision_maker="fylkeskommune")
    assert next(f for f in kommune.legal if f.key == "citizen_initiative").params["cap"] == "300"
    assert next(f for f in fylke.legal if f.key == "citizen_initiative").params["cap"] == "500"
    # The initiative itself is never "recommended": it starts with the residents.
    assert kommune.pick("citizens_initiative") is None


def test_10_county_plan_has_no_barnerepresentant_item_but_a_planprogram_hearing() -> None:
    rec = plan(
        stakes={"children": (2, 0)},
        case_kind="pbl_plan",
        plan_type="planprogram",
        decision_maker="fylkeskommune",
        phases=("investigation",),
    )
    assert "childrens_representative" not in legal_keys(rec)
    assert "children_in_planning" in legal_keys(rec)
    hearing = next(f for f in rec.legal if f.key == "hearing_six_weeks")
    assert hearing.params["section"] == "4-1"
    assert rec.pick("hearing", "investigation") is not None  # a planprogram is heard early


def test_11_an_advisory_referendum_only_when_the_council_has_ordered_one() -> None:
    rec = plan(
        purposes=("anchoring",),
        phases=("alternatives", "decision"),
        yes_no_question=True,
        council_vote=True,
        weeks=30,
    )
    pick = rec.pick("advisory_referendum", "decision")
    assert pick is not None and pick.law == (("kl", "12-2"),)
    assert "advisory_referendum" in legal_keys(rec)
    # A clear choice alone is not enough: only the kommunestyre orders one (kl § 12-2).
    without = plan(
        purposes=("anchoring",), phases=("alternatives", "decision"), yes_no_question=True
    )
    assert without.pick("advisory_referendum") is None
    left = without.left("advisory_referendum")
    assert left is not None and "left_referendum_needs_council" in codes(left.reasons)


def test_12_little_capacity_and_short_time_leave_out_heavy_methods() -> None:
    rec = plan(
        purposes=("anchoring", "learning"),
        stakes={"residents": (3, 2)},
        weeks=3,
        resources="low",
    )
    for key in ("plan_workshop", "residents_panel", "co_creation", "participatory_budgeting"):
        assert rec.pick(key) is None
    assert "left_too_much_effort" in codes(rec.left("plan_workshop").reasons)  # type: ignore[union-attr]
    assert "left_too_long" in codes(rec.left("future_workshop").reasons)  # type: ignore[union-attr]
    assert all(CAT.method(k).weeks <= 3 for k in rec.picked_keys())


def test_13_co_creation_needs_engaged_partners_and_an_open_case() -> None:
    rec = plan(
        purposes=("anchoring", "learning"),
        stakes={"volunteers": (3, 2), "associations": (3, 2), "enthusiasts": (2, 2)},
        phases=("investigation", "follow_up"),
        resources="high",
        weeks=52,
    )
    assert rec.pick("co_creation") is not None
    decided = plan(
        purposes=("anchoring", "learning"),
        stakes={"volunteers": (3, 2), "associations": (3, 2)},
        phases=("follow_up",),
        decision_made=True,
    )
    assert decided.pick("co_creation") is None
    assert "left_co_creation_decided" in codes(decided.left("co_creation").reasons)  # type: ignore[union-attr]


def test_14_the_lillevik_school() -> None:
    rec = plan(
        purposes=("anchoring", "learning"),
        stakes={
            "residents": (3, 2),
            "associations": (2, 3),
            "children": (3, 1),
            "day_workers": (3, 1),
        },
        phases=("investigation", "alternatives"),
        debate=True,
        know="no",
        case_kind="building",
        weeks=17,
    )
    assert rec.pick("barnetrakk", "investigation") is not None
    assert rec.pick("statutory_councils", "investigation") is not None  # ungdomsråd
    # A representative picture, since we do not know enough (survey, panel, poll, stikkprøver).
    assert rec.picked_keys() & {"survey", "residents_panel", "opinion_poll", "street_sampling"}
    assert rec.pick("participatory_budgeting") is None
    assert rec.pick("public_inspection") is None


def test_every_phase_starts_with_information_and_reasons_are_never_empty() -> None:
    rec = plan(stakes={"residents": (2, 2), "youth": (2, 2)}, phases=rules.PHASES)
    for advice in rec.phases:
        assert advice.picks[0].key == "information"
        for pick in advice.picks:
            assert pick.reasons, pick.key
        for rung in advice.rungs:
            assert advice.rung_reasons[rung], (advice.phase, rung)
    for left in rec.left_out:
        assert left.reasons


def test_timeline_answers_every_round_of_input_before_the_decision() -> None:
    rec = plan(phases=("investigation", "alternatives", "follow_up"))
    kinds = [s.kind for s in rec.timeline]
    phases = [s.phase for s in rec.timeline if s.kind == "feedback"]
    assert phases == ["investigation", "alternatives", "follow_up"]  # after every round
    feedback = max(
        i for i, s in enumerate(rec.timeline) if s.kind == "feedback" and s.phase != "follow_up"
    )
    decision = kinds.index("decision")
    last_method = max(
        i for i, k in enumerate(kinds) if k == "methods" and rec.timeline[i].phase != "follow_up"
    )
    assert last_method < feedback < decision
    assert kinds[decision + 1] == "decision_feedback"
    weeks = [s.week_from for s in rec.timeline]
    assert weeks == sorted(weeks)


def test_plan_case_hearing_lasts_at_least_six_weeks_in_the_timeline() -> None:
    rec = plan(case_kind="pbl_plan", plan_type="kommuneplan", phases=("alternatives",))
    step = next(s for s in rec.timeline if s.kind == "methods" and s.phase == "alternatives")
    assert step.week_to - step.week_from >= 6


def test_deterministic() -> None:
    a = plan(stakes={"residents": (3, 2), "children": (2, 1)}, debate=True)
    b = plan(stakes={"residents": (3, 2), "children": (2, 1)}, debate=True)
    assert a == b


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"why": {"purposes": ["fun"]}}, "why.purposes"),
        ({"who": {"stakeholders": {"aliens": {"affected": 1}}}}, "who.stakeholders"),
        ({"who": {"stakeholders": {"residents": {"affected": 7}}}}, "who.stakeholders.residents"),
        ({"when": {"open_phases": ["later"]}}, "when.open_phases"),
        ({"when": {"weeks": -1}}, "when.weeks"),
        ({"room": {"case_kind": "war"}}, "room.case_kind"),
        ({"room": {"case_kind": "building", "plan_type": "kommuneplan"}}, "room.plan_type"),
        (
            {
                "room": {
                    "case_kind": "pbl_plan",
                    "plan_type": "kommuneplan",
                    "decision_maker": "fylkeskommune",
                }
            },
            "room.plan_type",
        ),
        ({"room": {"decision_made": "yes"}}, "room.decision_made"),
        ({"why": {"use": "x" * 3000}}, "why.use"),
        ({"later": {}}, "answers"),
    ],
)
def test_bad_answers_are_refused(raw: dict[str, Any], field: str) -> None:
    with pytest.raises(rules.AnswerError) as info:
        rules.parse_answers(raw)
    assert info.value.field == field


def test_missing_steps() -> None:
    assert rules.missing_steps({}) == list(rules.STEPS)
    full = {
        "why": {"purposes": ["learning"], "use": "x"},
        "who": {"stakeholders": {"residents": {"affected": 1, "speaks_up": 1}}},
        "when": {"open_phases": ["investigation"]},
        "room": {"open": "x", "case_kind": "other"},
        "reflect": {"prepare": "x"},
    }
    assert rules.missing_steps(full) == []
