"""The legal checklist (NORWAY.md) and the warnings about the answers themselves."""

from __future__ import annotations

import datetime as dt

from .answers import KOMMUNE_DECIDERS, Answers
from .coverage import SIX_WEEK_SECTIONS
from .ladder import council_groups
from .output import Flag, Recommendation, reason

INITIATIVE_CAP = {"fylkeskommune": 500}
DEFAULT_INITIATIVE_CAP = 300
MIN_PLAN_HEARING_WEEKS = 6
# kl § 12-1: the council decides within six months of delivery (not when it goes into a plan).
INITIATIVE_WEEKS = 26
# Methods that receive input, which then is a saksdokument (offentleglova § 3).
RECEIVES_NOTHING = frozenset({"information"})


def checklist(a: Answers, rec: Recommendation) -> list[Flag]:
    picked = rec.picked_keys()
    out = [
        Flag("information_duty", [reason("law_always_inform", "catalogue")]),
        Flag("special_laws", [reason("law_special_laws", "room.case_kind")]),
    ]
    if a.is_plan:
        out.append(Flag("pbl_participation", [reason("law_plan_case", "room.case_kind")]))
        out.append(Flag("electronic_dialogue", [reason("law_plan_case", "room.case_kind")]))
        if a.children_affected:
            out.append(Flag("children_in_planning", [reason("law_plan_children", "who.groups")]))
        if a.decision_maker in KOMMUNE_DECIDERS:
            out.append(
                Flag(
                    "childrens_representative", [reason("law_plan_kommune", "room.decision_maker")]
                )
            )
        if "planprogram" in a.hearings:
            out.append(
                Flag("planprogram_hearing", [reason("law_planprogram", "room.plan_hearings")])
            )
        if "notice_of_start" in a.hearings:
            out.append(Flag("notice_of_start", [reason("law_notice", "room.plan_hearings")]))
        if "planforslag" in a.hearings or "planprogram" in a.hearings:
            section = SIX_WEEK_SECTIONS.get(a.plan_type, "")
            why = [reason("law_plan_hearing", "room.plan_type", section=section or "5-2")]
            out.append(Flag("hearing_six_weeks", why, {"section": section}))
        if a.private_proposer:
            out.append(
                Flag("private_proposal", [reason("law_private_proposal", "room.private_proposer")])
            )
    if a.children_affected:
        out.append(Flag("children_heard", [reason("law_children_heard", "who.groups")]))
    groups = council_groups(a)
    if groups and a.decision_state != "contracted":
        out.append(
            Flag(
                "councils_early",
                [reason("law_councils", "who.groups", groups=",".join(groups))],
                {"decider": a.decision_maker},
            )
        )
    if a.from_initiative:
        cap = INITIATIVE_CAP.get(a.decision_maker, DEFAULT_INITIATIVE_CAP)
        out.append(
            Flag(
                "citizen_initiative",
                [reason("law_initiative", "room.from_initiative", cap=cap)],
                {"cap": str(cap)},
            )
        )
        if a.earlier_initiative:
            out.append(
                Flag(
                    "initiative_same_period",
                    [reason("law_initiative_same_period", "room.earlier_initiative")],
                )
            )
    if "advisory_referendum" in picked:
        out.append(Flag("advisory_referendum", [reason("law_referendum", "room.council_vote")]))
    if picked - RECEIVES_NOTHING:
        out.append(Flag("submissions_are_documents", [reason("law_submissions", "catalogue")]))
    if a.sensitive:
        out.append(Flag("confidentiality", [reason("law_sensitive", "room.sensitive")]))
    if a.case_kind == "budget":
        out.append(Flag("budget_public", [reason("law_budget", "room.case_kind")]))
    if a.service_users:
        out.append(Flag("user_participation", [reason("law_service_users", "who.groups")]))
    if "residents_panel" in picked:
        out.append(Flag("panel_openness", [reason("law_panel", "catalogue")]))
    if picked & {"committees", "institution_board"}:
        out.append(Flag("delegated_bodies", [reason("law_bodies", "catalogue")]))
    binding = a.budget_binding == "binding" and "participatory_budgeting" in picked
    if binding or picked & {"committees", "institution_board"}:
        answer = "room.budget_binding" if binding else "catalogue"
        out.append(Flag("delegation_rules", [reason("law_delegation", answer)]))
    return out


def warnings(a: Answers, rec: Recommendation, today: dt.date | None) -> list[Flag]:
    """What is missing or does not add up in the answers."""
    out: list[Flag] = []
    if a.nothing_open:
        out.append(Flag("nothing_open", [reason("warn_nothing_open", "room.open")]))
    if not a.decided_text:
        out.append(Flag("decided_empty", [reason("warn_decided_empty", "room.decided")]))
    hearing_weeks = a.hearing_weeks
    short = hearing_weeks is not None and hearing_weeks < MIN_PLAN_HEARING_WEEKS
    if a.is_plan and short and set(a.hearings) - {"notice_of_start"}:
        section = SIX_WEEK_SECTIONS.get(a.plan_type, "5-2")
        out.append(
            Flag(
                "hearing_too_short",
                [reason("warn_hearing_short", "when.hearing_weeks", section=section)],
                {"section": section},
            )
        )
    if a.hearing_start and a.decision_date and rec.pick("hearing"):
        end = a.hearing_start + dt.timedelta(weeks=hearing_weeks or MIN_PLAN_HEARING_WEEKS)
        if end > a.decision_date:
            out.append(
                Flag("past_decision", [reason("warn_hearing_after_decision", "when.hearing_start")])
            )
    weeks = rec.weeks_to_decision
    if a.from_initiative and weeks is not None and weeks > INITIATIVE_WEEKS and not a.is_plan:
        out.append(
            Flag(
                "initiative_deadline",
                [reason("warn_initiative_deadline", "when.decision_date", weeks=weeks)],
            )
        )
    if today and a.decision_date and a.decision_date <= today:
        out.append(Flag("past_decision", [reason("warn_decision_passed", "when.decision_date")]))
    return out
