"""What each phase needs, before scores fill the rest.

Every case needs some *functions* covered, each by one method chosen among those that pass
the exclusions (the ceiling, the time, the capacity, the ages): the facts (rung 1), what the
law or the case requires (hearings, the § 5-12 councils, the budget vote, the council's
vote), the children by their ages, a representative picture when we do not know enough, a
workshop or a conversation early while the case is open, a channel for each group that is
hard to reach, electronic dialogue in every phase of a plan case (pbl § 5-2), ownership
where residents or partners get it, and questions about carrying out a decided project.
"""

from __future__ import annotations

from dataclasses import dataclass

from .answers import Answers
from .ladder import council_groups
from .output import Reason, reason


@dataclass(frozen=True)
class Need:
    """One function to cover: where, with which candidates (in order of preference), why."""

    function: str
    phase: str
    candidates: tuple[str, ...]
    why: Reason
    law: tuple[tuple[str, str], ...] = ()
    ordered: bool = True  # False: the best-scoring candidate wins, not the first that fits
    repeat: bool = False  # may be picked again in another phase (a second hearing)
    prefer: tuple[str, ...] = ()  # with ordered=False: these first, by score, then the rest
    key_group: tuple[str, ...] = ()  # the group kinds it is for (their settings are shown)


def first(a: Answers, *preferred: str) -> str | None:
    for phase in preferred:
        if phase in a.open_phases:
            return phase
    return None


def input_phases(a: Answers) -> list[str]:
    return [p for p in a.open_phases if p != "follow_up"] or list(a.open_phases)


def earliest(a: Answers) -> str:
    return input_phases(a)[0]


SIX_WEEK_SECTIONS = {
    "planprogram": "4-1",
    "kommuneplan": "11-14",
    "reguleringsplan": "12-10",
    "regional_plan": "4-1",
}


def statutory(a: Answers) -> list[Need]:
    """What the law or the case itself requires, whatever the scores say."""
    needs: list[Need] = []
    early = earliest(a)
    if a.is_plan and "planprogram" in a.hearings:
        phase = first(a, "investigation") or early
        for key in ("hearing", "public_inspection"):
            needs.append(
                Need(
                    "statutory",
                    phase,
                    (key,),
                    reason("req_planprogram_hearing", "room.plan_hearings"),
                    (("pbl", "4-1"),),
                    repeat=True,
                )
            )
    if a.is_plan and "planforslag" in a.hearings:
        phase = first(a, "alternatives", "decision") or input_phases(a)[-1]
        section = SIX_WEEK_SECTIONS.get(a.plan_type, "5-2")
        for key in ("hearing", "public_inspection"):
            needs.append(
                Need(
                    "statutory",
                    phase,
                    (key,),
                    reason("req_plan_hearing", "room.case_kind", section=section),
                    (("pbl", "5-2"), ("pbl", section)),
                    repeat=True,
                )
            )
    groups = council_groups(a)
    if groups and not a.decision_made:
        phase = first(a, "investigation", "alternatives") or early
        needs.append(
            Need(
                "councils",
                phase,
                ("statutory_councils",),
                reason("req_councils_early", "who.groups", groups=",".join(groups)),
                (("kl", "5-12"),),
            )
        )
    if a.budget_to_allocate and not a.decision_made:
        budget_phase = first(a, "alternatives", "decision")
        if budget_phase:
            needs.append(
                Need(
                    "budget",
                    budget_phase,
                    ("participatory_budgeting",),
                    reason("req_budget", "room.budget_to_allocate"),
                )
            )
    if a.council_vote:
        phase = first(a, "decision", "alternatives") or input_phases(a)[-1]
        needs.append(
            Need(
                "vote",
                phase,
                ("advisory_referendum",),
                reason("req_council_vote", "room.council_vote"),
                (("kl", "12-2"),),
            )
        )
    return needs


def children(a: Answers, window: int | None) -> list[Need]:
    """Children take part themselves, by a method that fits their age and the case."""
    ages = set(a.child_ages)
    if not ages:
        return []
    phase = first(a, "investigation", "alternatives", "decision") or earliest(a)
    needs: list[Need] = []
    if "0-5" in ages:
        needs.append(
            Need(
                "children",
                phase,
                ("kindergarten_session",),
                reason("req_children_youngest", "who.groups"),
            )
        )
    school = ages & {"6-12", "13-15", "16-19"}
    if school:
        long_enough = window is None or window >= 4
        if a.is_place and "6-12" in ages and long_enough:
            code = "req_children_plan" if a.is_plan else "req_children_place"
            candidates: tuple[str, ...] = ("barnetrakk", "class_session")
        else:
            code = "req_children_school"
            candidates = ("class_session",)
        needs.append(Need("children", phase, candidates, reason(code, "who.groups")))
    return needs


def ownership(a: Answers) -> list[Need]:
    """Rung 5 and samskaping where the case gives residents or partners real ownership."""
    needs: list[Need] = []
    if a.decision_made:
        return needs
    if a.residents_run and "follow_up" in a.open_phases:
        needs.append(
            Need(
                "partners",
                "follow_up",
                ("institution_board", "co_creation"),
                reason("req_residents_run", "room.residents_run"),
            )
        )
    # Samskaping is an equal partnership with more than one kind of partner (lag og
    # foreninger, frivillighet, næringsliv …), or one that will run the result with us.
    kinds = {g.kind for g in a.engaged_partners}
    if (len(kinds) >= 2 or (kinds and a.residents_run)) and (
        "anchoring" in a.purposes or a.residents_run
    ):
        phase = first(a, "investigation", "follow_up")
        if phase:
            keys = ",".join(sorted({g.kind for g in a.engaged_partners}))
            needs.append(
                Need(
                    "partners",
                    phase,
                    ("co_creation",),
                    reason("req_co_creation", "who.groups", keys=keys),
                )
            )
    return needs


def functions(a: Answers, cap: int) -> list[Need]:
    """Functions that are not law but that a sound plan covers, best candidate by score."""
    needs: list[Need] = []
    early = earliest(a)
    if a.decision_made:
        needs.append(
            Need(
                "questions",
                a.open_phases[0],
                ("question_channel",),
                reason("req_questions_decided", "room.decision_state"),
            )
        )
    if a.sensitive:
        needs.append(
            Need(
                "reach",
                early,
                ("anonymous_channel",),
                reason("req_sensitive_channel", "room.sensitive"),
            )
        )
    if a.service_users:
        needs.append(
            Need(
                "reach",
                early,
                ("user_dialogue",),
                reason("req_users_where_they_are", "who.groups"),
                key_group=("users", "relatives"),
            )
        )
    if a.is_place and a.adults_affected and a.decision_state != "contracted":
        needs.append(
            Need(
                "place",
                early,
                ("map_pins", "plan_workshop"),
                reason("req_place_map", "room.place_based"),
                ordered=False,
            )
        )
    if a.know_enough != "yes" and a.broad_public and a.decision_state != "contracted":
        answer = "who.know_enough"
        needs.append(
            Need(
                "representative",
                early,
                ("residents_panel", "opinion_poll", "street_sampling", "survey"),
                reason("req_representative", answer),
                ordered=False,
            )
        )
    talking = {"learning", "anchoring"} & a.purposes
    if talking and cap >= 3 and a.decision_state in ("open", "partly"):
        phase = first(a, "investigation", "alternatives")
        if phase:
            needs.append(
                Need(
                    "deliberation",
                    phase,
                    (
                        "future_workshop",
                        "plan_workshop",
                        "democracy_cafe",
                        "e_democracy",
                        "opinion_map",
                    ),
                    reason("req_workshop_early", "room.decision_state"),
                    ordered=False,
                    prefer=("future_workshop", "plan_workshop"),
                )
            )
        if "decision" in a.open_phases and not a.is_plan and not a.council_vote:
            needs.append(
                Need(
                    "proposal",
                    "decision",
                    ("hearing", "e_democracy", "survey", "opinion_map"),
                    reason("req_proposal_round", "when.open_phases"),
                    ordered=False,
                    prefer=("hearing",),
                )
            )
        if "anchoring" in a.purposes and "alternatives" in a.open_phases:
            needs.append(
                Need(
                    "dialogue",
                    "alternatives",
                    ("e_democracy", "opinion_map", "democracy_cafe", "hosted_conversation"),
                    reason("req_dialogue_alternatives", "why.purposes"),
                    ordered=False,
                )
            )
    return needs
