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

from .answers import Answers, Group
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
    ages: tuple[str, ...] = ()  # the ages it is for (their groups' settings are shown)
    school: bool = False  # only the groups met at school


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
    "regional_plan": "8-3",
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
        # The proposal is heard when it is ready: in the decision phase when that is open.
        phase = first(a, "decision", "alternatives") or input_phases(a)[-1]
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


SCHOOL_WORDS = ("skule", "skole", "school", "klasse", "elev", "sfo")


def at_school(g: Group) -> bool:
    """Children and young people we meet at school (pupils, school hours, a school setting);
    6–12-year-olds are at school anyway."""
    if g.kind == "pupils" or g.time == "school_hours":
        return True
    if any(word in g.setting.lower() for word in SCHOOL_WORDS):
        return True
    return "6-12" in g.age_bands and g.kind in ("children", "residents")


def children(a: Answers, window: int | None) -> list[Need]:
    """Children take part themselves, by a method that fits their age, where they are."""
    if not a.child_ages:
        return []
    phase = first(a, "investigation", "alternatives", "decision") or earliest(a)
    young = [g for g in a.all_groups if g.affected >= 2]
    needs: list[Need] = []
    if any("0-5" in g.age_bands for g in young):
        needs.append(
            Need(
                "children",
                phase,
                ("kindergarten_session",),
                reason("req_children_youngest", "who.groups"),
                ages=("0-5",),
            )
        )
    school_bands = {"6-12", "13-15", "16-19"}
    pupils = [g for g in young if set(g.age_bands) & school_bands and at_school(g)]
    if pupils:
        ages = tuple(b for b in ("6-12", "13-15", "16-19") if any(b in g.age_bands for g in pupils))
        long_enough = window is None or window >= 4
        # A map of where children go would show where the families of a sensitive case live.
        if a.is_place and "6-12" in ages and long_enough and not a.sensitive:
            code = "req_children_plan" if a.is_plan else "req_children_place"
            candidates: tuple[str, ...] = ("barnetrakk", "class_session")
        else:
            code = "req_children_school"
            candidates = ("class_session",)
        needs.append(
            Need("children", phase, candidates, reason(code, "who.groups"), ages=ages, school=True)
        )
    free = [g for g in young if set(g.age_bands) & {"13-15", "16-19"} and not at_school(g)]
    if free:
        needs.append(
            Need(
                "reach",
                phase,
                ("social_media_agenda", "idea_board", "hosted_conversation", "democracy_cafe"),
                reason("req_youth_where_they_are", "who.groups"),
                ordered=False,
                ages=("13-15", "16-19"),
            )
        )
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
    # Samskaping is required where partners will also carry out the result with us (deck 1:
    # «definere problemer, designe og implementere nye løsninger»); elsewhere it may score in.
    kinds = {g.kind for g in a.engaged_partners}
    if kinds and a.residents_run and not a.private_proposer:
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
    if a.is_place and a.adults_affected and a.decision_state == "open" and not a.sensitive:
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
    exposed = a.sensitive and bool(a.loud_groups or a.public_debate)
    if talking and cap >= 3 and a.decision_state in ("open", "partly"):
        phase = first(a, "investigation", "alternatives")
        if phase and exposed:
            # Sensitive matters and a loud side: small, closed conversations, not open rooms.
            needs.append(
                Need(
                    "deliberation",
                    phase,
                    ("hosted_conversation", "democracy_cafe"),
                    reason("req_closed_dialogue", "room.sensitive"),
                )
            )
        elif phase:
            needs.append(
                Need(
                    "deliberation",
                    phase,
                    ("future_workshop", "plan_workshop", "democracy_cafe", "e_democracy"),
                    reason("req_workshop_early", "room.decision_state"),
                    ordered=False,
                    prefer=("future_workshop", "plan_workshop"),
                )
            )
        binding_vote = a.budget_to_allocate and a.budget_binding == "binding"
        if "decision" in a.open_phases and not (a.is_plan or a.council_vote or binding_vote):
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
