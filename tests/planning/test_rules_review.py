"""Rules that came out of an adviser's review of fresh cases (each test names the rule)."""

from __future__ import annotations

from datetime import date
from typing import Any

from medvirk.planning import rules

from .test_scenarios import catalogue

TODAY = date(2027, 3, 1)


def group(name: str, kind: str, affected: int = 2, speaks: int = 1, **extra: Any) -> dict:
    return {"name": name, "kind": kind, "affected": affected, "speaks_up": speaks, **extra}


def recommend(
    groups: list[dict], *, phases: tuple[str, ...] = ("investigation", "alternatives"), **room: Any
) -> rules.Recommendation:
    when = {"open_phases": list(phases), "decision_date": room.pop("decision_date", "2027-09-01")}
    raw = {
        "why": {"purposes": room.pop("purposes", ["learning", "anchoring"]), "use": "Saka."},
        "who": {"groups": groups, "know_enough": room.pop("know", "unsure")},
        "when": when,
        "room": {
            "open": "Kva vi gjer.",
            "decided": "Ramma.",
            "decision_state": "open",
            "case_kind": "other",
            **room,
        },
    }
    return rules.recommend(rules.parse_answers(raw), catalogue(), today=TODAY)


def test_the_last_round_ends_just_before_the_decision() -> None:
    rec = recommend([group("Innbyggjarane", "residents")], phases=("alternatives", "decision"))
    last = max(s.week_to for s in rec.timeline if s.kind == "feedback")
    decision = next(s for s in rec.timeline if s.kind == "decision")
    assert decision.week_from - last <= 1
    assert rec.weeks_to_decision is not None and decision.week_to == rec.weeks_to_decision


def test_a_regional_plan_proposal_is_heard_under_its_own_section() -> None:
    rec = recommend(
        [group("Innbyggjarane", "residents")],
        phases=("investigation", "alternatives", "decision"),
        case_kind="pbl_plan",
        plan_type="regional_plan",
        decision_maker="fylkeskommune",
    )
    hearing = rec.pick("hearing", "decision")  # when the proposal is ready
    assert hearing is not None and ("pbl", "8-3") in hearing.law
    assert rec.pick("hearing", "investigation") is not None  # the planprogram, pbl § 4-1


def test_children_are_still_met_when_the_decision_is_made() -> None:
    rec = recommend(
        [group("Elevane på Nordli", "pupils", 3, 0, ages=["6-12"])],
        phases=("follow_up",),
        decision_state="decided",
    )
    assert rec.max_rung == 2
    pick = rec.pick("class_session", "follow_up")
    assert pick is not None and pick.function == "children"


def test_sensitive_matters_and_a_loud_side_get_closed_conversations_and_no_map() -> None:
    rec = recommend(
        [
            group("Naboane", "neighbours", 2, 3),
            group("Flyktningfamiliane", "minority_language", 3, 0),
            group("Borna i familiane", "children", 3, 0, ages=["6-12"]),
        ],
        case_kind="building",
        place_based=True,
        sensitive=True,
    )
    picked = rec.picked_keys()
    assert rec.pick("hosted_conversation") is not None
    assert not picked & {"barnetrakk", "map_pins", "future_workshop", "plan_workshop"}
    assert "confidentiality" in {f.key for f in rec.legal}


def test_no_hearing_of_the_proposal_after_a_binding_budget_vote() -> None:
    rec = recommend(
        [group("Innbyggjarane", "residents")],
        phases=("alternatives", "decision"),
        case_kind="budget",
        budget=2_000_000,
        budget_to_allocate=True,
        budget_binding="binding",
    )
    assert rec.pick("participatory_budgeting") is not None
    assert rec.pick("hearing") is None
    assert {"budget_public", "delegation_rules"} <= {f.key for f in rec.legal}


def test_the_councils_ordered_vote_stays_whoever_decides() -> None:
    rec = recommend(
        [group("Innbyggjarane", "residents", 3, 2)],
        phases=("investigation", "decision"),
        decision_maker="state",
        yes_no_question=True,
        council_vote=True,
    )
    assert rec.max_rung == 4  # the state makes the decision
    assert rec.pick("advisory_referendum", "decision") is not None


def test_a_developer_is_a_proposer_only_with_a_private_proposal() -> None:
    developer = group("Utbyggjaren", "developer", 2, 3)
    plain = recommend([group("Naboane", "neighbours"), developer])
    private = recommend(
        [group("Naboane", "neighbours"), developer],
        case_kind="pbl_plan",
        plan_type="reguleringsplan",
        private_proposer=True,
    )
    assert [p.role for p in plain.partners] == ["consulted"]
    assert [p.role for p in private.partners] == ["proposer"]
    assert private.pick("co_creation") is None


def test_low_capacity_keeps_the_plan_small_but_keeps_the_law() -> None:
    rec = recommend(
        [group("Innbyggjarane", "residents", 3, 1), group("Eldre", "elderly", 3, 0)],
        resources="low",
    )
    for advice in rec.phases:
        optional = [
            p
            for p in advice.picks
            if p.function not in {"facts", "statutory", "councils", "children", "digital"}
        ]
        assert len(optional) <= 2, [p.key for p in optional]
    assert rec.pick("statutory_councils") is not None  # kl § 5-12 whatever the capacity


def test_a_population_sample_is_not_used_for_a_known_group() -> None:
    rec = recommend(
        [group("Brukarane av dagsenteret", "users", 3, 0), group("Naboane", "neighbours", 2, 3)],
        case_kind="service_change",
    )
    assert not rec.picked_keys() & {"residents_panel", "opinion_poll"}
    assert rec.pick("user_dialogue") is not None
    assert "user_participation" in {f.key for f in rec.legal}
