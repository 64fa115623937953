"""Snubletråder (the first deck), each fired by its causes in the answers, not by the methods
that happen to be picked."""

from __future__ import annotations

from .answers import Answers
from .output import Flag, Reason, Recommendation, reason

SELF_SELECTED = frozenset({"survey", "e_democracy", "idea_board", "opinion_map", "hearing"})
REPRESENTATIVE = frozenset({"residents_panel", "opinion_poll", "street_sampling"})
ORGANISED = ("associations", "enthusiasts", "business", "developer", "regional", "initiators")


def pitfalls(a: Answers, rec: Recommendation) -> list[Flag]:
    out: list[Flag] = []
    picked = rec.picked_keys()

    why: list[Reason] = []
    if a.silent_groups or a.silent.strip():
        why.append(reason("pit_silent_named", "who.silent"))
    if a.know_enough != "yes":
        why.append(reason("pit_know_enough", "who.know_enough"))
    open_methods = picked & SELF_SELECTED
    if open_methods and not picked & REPRESENTATIVE:
        methods = ",".join(sorted(open_methods))
        why.append(reason("pit_self_selected", "catalogue", methods=methods))
    if why:
        out.append(Flag("representativeness", why))

    # Et engasjert mindretall: a loud group meets a silent affected one.
    silent = a.silent_groups or a.silent.strip()
    if silent and (a.loud_groups or a.public_debate):
        why = []
        if a.loud_groups:
            why.append(reason("pit_loud_stakeholders", "who.groups", keys=",".join(a.loud_keys)))
        if a.public_debate:
            why.append(reason("pit_public_debate", "who.public_debate"))
        why.append(reason("pit_silent_named", "who.silent"))
        out.append(Flag("committed_minority", why))

    organised = [g for g in a.all_groups if g.kind in ORGANISED and g.speaks_up >= 2]
    loud_residents = [g for g in a.loud_groups if g.kind in ("parents", "neighbours")]
    if organised or loud_residents:
        names = ",".join(g.name or g.kind for g in (*organised, *loud_residents))
        out.append(
            Flag(
                "resourceful_activists", [reason("pit_organised_voices", "who.groups", keys=names)]
            )
        )

    # Ansvarspulverisering wherever power is shared.
    why = []
    if a.power_shared:
        why.append(reason("pit_shared_remit", "room.decision_maker"))
    if "participatory_budgeting" in picked:
        binding = a.budget_binding == "binding"
        code = "pit_binding_vote" if binding else "pit_budget_vote"
        why.append(reason(code, "room.budget_binding"))
    if picked & {"committees", "institution_board"}:
        why.append(reason("pit_delegated_body", "catalogue"))
    if "co_creation" in picked:
        why.append(reason("pit_co_creation", "who.groups"))
    if "advisory_referendum" in picked:
        why.append(reason("pit_advisory_vote", "room.council_vote"))
    if a.private_proposer:
        why.append(reason("pit_private_proposer", "room.private_proposer"))
    if why:
        out.append(Flag("diffused_responsibility", why))

    # Ting tar tid – innbyggerne er utålmodige.
    why = []
    weeks = rec.weeks_to_decision
    if weeks is None:
        why.append(reason("pit_no_weeks", "when.weeks"))
    elif weeks >= 26:
        why.append(reason("pit_long_process", "when.decision_date", weeks=weeks))
    if len(a.open_phases) >= 3:
        why.append(reason("pit_many_phases", "when.open_phases", count=len(a.open_phases)))
    if a.from_initiative:
        why.append(reason("pit_initiative_wait", "room.from_initiative"))
    if why:
        out.append(Flag("time_horizon", why))

    # Deltakelse i enkeltsaker uten helhetsperspektivet.
    if a.touches_wider_plan:
        answer = "room.wider_plan" if a.wider_plan is not None else "room.case_kind"
        out.append(Flag("single_issue", [reason("pit_single_issue", answer, kind=a.case_kind)]))
    return out
