"""The ladder: how high the case can go, which rungs each phase calls for, and which methods
are left out whatever they score (each with the answer that caused it)."""

from __future__ import annotations

from ..catalogue import Method
from .answers import Answers
from .output import Reason, reason

# The ages a children's method suits (RPR barn og unge: 0–18; Barnetråkk is for pupils).
CHILD_METHOD_AGES = {
    "kindergarten_session": ("0-5",),
    "barnetrakk": ("6-12", "13-15"),
    "class_session": ("6-12", "13-15", "16-19"),
    "youth_council_assembly": ("6-12", "13-15", "16-19"),
}
# The only methods left when a project is decided and contracted.
CONTRACTED_KEEP = frozenset({"information", "question_channel", "anonymous_channel"})
SERVICE_GROUPS = ("users", "relatives")
# Statutory steps are never dropped for time (the timeline warns instead): a høring, the
# § 5-12 councils, the vote the council ordered.
FIXED_TRAITS = frozenset({"formal", "council", "referendum"})


def effective_cap(a: Answers, m: Method, cap: int) -> int:
    """The ceiling for this method: when the decision is made, children are still met in a
    form that suits them (Grunnloven § 104) about how it is carried out; a vote the council
    ordered is the council's own (kl § 12-2), whoever makes the final decision."""
    if "child_friendly" in m.traits and a.decision_state == "decided" and m.rung <= 3:
        return max(cap, 3)
    if "referendum" in m.traits and a.council_vote and not a.decision_made:
        return 5
    return cap


def max_rung(a: Answers) -> tuple[int, list[Reason]]:
    if a.decision_state == "contracted":
        return 2, [reason("cap_contracted", "room.decision_state")]
    if a.decision_state == "decided":
        return 2, [reason("cap_decision_made", "room.decision_state")]
    if a.purposes and a.purposes <= {"information"}:
        return 2, [reason("cap_information_only", "why.purposes")]
    if a.nothing_open:
        return 2, [reason("cap_nothing_open", "room.open")]
    if a.decided_elsewhere:
        # Who runs the participation cannot hand over a decision that others make.
        return 4, [reason("cap_not_ours", "room.decision_maker")]
    return 5, []


def phase_rungs(a: Answers, phase: str, cap: int) -> dict[int, list[Reason]]:
    """The rungs a phase calls for, from the purposes and the case (the rung gate for picks
    that only score their way in)."""
    rungs: dict[int, list[Reason]] = {1: [reason("rung_inform_always", "why.purposes")]}

    def add(rung: int, why: Reason) -> None:
        if rung <= cap:
            rungs.setdefault(rung, []).append(why)

    learning, anchoring = "learning" in a.purposes, "anchoring" in a.purposes
    if phase == "investigation":
        if learning:
            add(2, reason("rung_learning_ask", "why.purposes"))
            add(3, reason("rung_learning_dialogue", "why.purposes"))
        if anchoring:
            add(3, reason("rung_anchoring_dialogue", "why.purposes"))
            add(4, reason("rung_anchoring_agenda", "why.purposes"))
        if a.children_affected:
            add(4, reason("rung_children_agenda", "who.groups"))
        if a.residents_run or (anchoring and a.engaged_partners and a.decision_state == "open"):
            add(5, reason("rung_partners_wheel", "room.residents_run"))
    elif phase == "alternatives":
        if learning or anchoring:
            add(2, reason("rung_alternatives_ask", "why.purposes"))
        if anchoring:
            add(3, reason("rung_anchoring_dialogue", "why.purposes"))
        if a.budget_to_allocate:
            add(5, reason("rung_budget_wheel", "room.budget_to_allocate"))
    elif phase == "decision":
        if a.is_plan:
            add(2, reason("rung_plan_hearing", "room.case_kind"))
        elif learning or anchoring:
            add(2, reason("rung_decision_ask", "why.purposes"))
        if a.budget_to_allocate:
            add(5, reason("rung_budget_wheel", "room.budget_to_allocate"))
        if a.council_vote:
            add(5, reason("rung_referendum_wheel", "room.council_vote"))
    elif phase == "follow_up":
        if learning or anchoring:
            add(2, reason("rung_follow_up_ask", "why.purposes"))
        if a.residents_run or (anchoring and a.engaged_partners):
            add(5, reason("rung_partners_wheel", "who.groups"))
    if a.decision_made:
        add(2, reason("rung_decision_made_ask", "room.decision_state"))
    return rungs


def _window_answer(a: Answers) -> str:
    if a.input_weeks is not None:
        return "when.input_weeks"
    return "when.decision_date" if a.decision_date is not None else "when.weeks"


def exclusion(
    a: Answers, m: Method, cap: int, cap_reasons: list[Reason], window: int | None
) -> list[Reason]:
    """Reasons a method is not recommended at all; empty when it may be."""
    out: list[Reason] = []
    cap_answer = cap_reasons[0].answer if cap_reasons else "room.open"
    if a.decision_state == "contracted" and m.key not in CONTRACTED_KEEP:
        out.append(reason("left_contracted", "room.decision_state"))
    elif m.rung > effective_cap(a, m, cap):
        out.append(reason("left_above_cap", cap_answer, rung=m.rung, cap=cap))
    traits = m.traits
    if "resident_initiated" in traits:
        out.append(reason("left_resident_initiated", "catalogue"))
    if "budget" in traits and not a.budget_to_allocate:
        out.append(reason("left_no_budget", "room.budget_to_allocate"))
    if "referendum" in traits and not a.council_vote:
        if a.yes_no_question:
            out.append(reason("left_referendum_needs_council", "room.council_vote"))
        else:
            out.append(reason("left_no_clear_question", "room.yes_no_question"))
    if "referendum" in traits and a.decision_maker == "state" and not a.council_vote:
        out.append(reason("left_referendum_state", "room.decision_maker"))
    if m.key == "public_inspection" and not a.is_plan:
        out.append(reason("left_inspection_not_plan", "room.case_kind"))
    if "co_creation" in traits:
        if a.decision_made:
            out.append(reason("left_co_creation_decided", "room.decision_state"))
        elif a.council_vote or a.yes_no_question:
            out.append(reason("left_co_creation_yes_no", "room.yes_no_question"))
        elif a.private_proposer:
            out.append(reason("left_co_creation_proposer", "room.private_proposer"))
        elif not _co_creation_fits(a):
            out.append(reason("left_not_co_creation", "who.groups"))
    if "delegated" in traits:
        board_fits = m.key == "institution_board" and a.residents_run
        if not board_fits and not ("anchoring" in a.purposes and a.resources == "high"):
            answer = "room.residents_run" if m.key == "institution_board" else "room.resources"
            out.append(reason("left_needs_standing_body", answer))
    if "child_friendly" in traits:
        if not a.children_affected:
            out.append(reason("left_no_children", "who.groups"))
        else:
            suits = CHILD_METHOD_AGES.get(m.key)
            if suits and not set(suits) & set(a.child_ages):
                out.append(reason("left_child_age", "who.groups", ages=",".join(suits)))
    if ("map" in traits or "place" in traits) and not a.is_place:
        out.append(reason("left_not_place", "room.place_based"))
    if "council" in traits and not council_groups(a):
        out.append(reason("left_no_council_groups", "who.groups"))
    if "service" in traits and not a.service_users:
        out.append(reason("left_no_service_users", "who.groups"))
    if "questions" in traits and not a.decision_made and "follow_up" not in a.open_phases:
        out.append(reason("left_questions_when_decided", "room.decision_state"))
    if "anonymous" in traits and not (a.sensitive or (a.silent_groups and a.public_debate)):
        out.append(reason("left_not_sensitive", "room.sensitive"))
    if m.effort == "high" and a.resources == "low":
        out.append(reason("left_too_much_effort", "room.resources"))
    if window is not None and m.weeks > window and not traits & FIXED_TRAITS:
        out.append(reason("left_too_long", _window_answer(a), weeks=m.weeks, available=window))
    return out


def _co_creation_fits(a: Answers) -> bool:
    kinds = {g.kind for g in a.engaged_partners}
    partners = len(kinds) >= 2 or bool(kinds and a.residents_run) or a.residents_run
    return partners and ("anchoring" in a.purposes or a.residents_run)


def fits_phase(a: Answers, m: Method, phase: str) -> bool:
    """Does the method suit this phase of this case?"""
    if "questions" in m.traits and not a.decision_made:
        return phase == "follow_up"  # questions about carrying out come after the decision
    if "child_friendly" in m.traits and a.decision_state == "decided":
        return True  # children are asked how it is carried out, in whichever phase is open
    return phase in m.phases


def council_groups(a: Answers) -> list[str]:
    groups = [g for g in ("elderly", "disabled", "youth") if a.affected(g)]
    if a.children_affected and "youth" not in groups:
        groups.append("youth")  # children's matters go to the ungdomsråd too
    return groups
