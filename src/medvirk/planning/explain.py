"""Plain-language, translated sentences for the rule engine's reason codes and choices."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import library, rules
from .catalogue import Catalogue, language

PHASE_LABELS: dict[str, Promise] = {
    "investigation": _("Investigation (utgreiing)"),
    "alternatives": _("Alternatives"),
    "decision": _("Decision"),
    "follow_up": _("Follow-up"),
}
RUNG_LABELS: dict[int, Promise] = {
    1: _("Inform"),
    2: _("Ask"),
    3: _("Talk with"),
    4: _("Residents set the agenda"),
    5: _("A hand on the wheel"),
}
CASE_KIND_LABELS: dict[str, Promise] = {
    "pbl_plan": _("A plan under the Planning and Building Act"),
    "budget": _("A budget"),
    "service_change": _("A change to a service"),
    "building": _("A building or a place"),
    "other": _("Something else"),
}
PLAN_TYPE_LABELS: dict[str, Promise] = {
    "planprogram": _("Planning programme (planprogram)"),
    "kommuneplan": _("Municipal master plan (kommuneplan)"),
    "reguleringsplan": _("Zoning plan (reguleringsplan)"),
    "regional_plan": _("Regional plan"),
    "other_plan": _("Another plan"),
}
DECIDER_LABELS: dict[str, Promise] = {
    "kommune": _("The municipality (kommune)"),
    "fylkeskommune": _("The county (fylkeskommune)"),
}
RESOURCE_LABELS: dict[str, Promise] = {
    "low": _("Little: we must keep it simple"),
    "medium": _("Some"),
    "high": _("Plenty: we can run larger events"),
}
EFFORT_LABELS: dict[str, Promise] = {"low": _("Low"), "medium": _("Medium"), "high": _("High")}
FORMAT_LABELS: dict[str, Promise] = {
    "physical": _("Physical"),
    "digital": _("Digital"),
    "hybrid": _("Physical and digital"),
}
KNOW_LABELS: dict[str, Promise] = {"yes": _("Yes"), "no": _("No"), "unsure": _("Not sure")}
LEVEL_LABELS: dict[int, Promise] = {
    0: _("Not at all"),
    1: _("A little"),
    2: _("Some"),
    3: _("Much"),
}
STEP_LABELS: dict[str, Promise] = {
    "why": _("Why"),
    "who": _("Who"),
    "when": _("When"),
    "room": _("Room for influence"),
    "reflect": _("Reflection questions"),
}
TIMELINE_LABELS: dict[str, Promise] = {
    "inform": _("Publish the facts and what is open to influence"),
    "methods": _("Run the methods"),
    "register": _("Register all input, from every channel, in Medvirk"),
    "feedback": _(
        "Give a reasoned response (begrunnet tilbakemelding) to every input, before the decision"
    ),
    "decision": _("The decision is made; the case documents show how the input was weighed"),
    "decision_feedback": _("Tell everyone who took part what was decided and why"),
    "follow_up": _("Report on the follow-up: what happened after the decision"),
}

REASONS: dict[str, Promise] = {
    "cap_decision_made": _(
        "You said the main decision is already made, so the plan stays on the lower rungs: "
        "inform, and ask about how it is carried out."
    ),
    "cap_information_only": _(
        "You chose information as the only purpose, so the plan stays on the lower rungs."
    ),
    "cap_nothing_open": _(
        "Nothing is described as open to influence yet, so the plan stays on the lower rungs."
    ),
    "rung_inform_always": _("Residents must know the facts before they can take part."),
    "rung_learning_ask": _("You want to learn: asking many people gives a broad picture."),
    "rung_learning_dialogue": _("You want to learn: dialogue shows why people think as they do."),
    "rung_anchoring_dialogue": _("You want ownership and trust: that needs two-way dialogue."),
    "rung_anchoring_agenda": _(
        "You want ownership and trust, and the case is early: residents can help set the agenda."
    ),
    "rung_children_agenda": _("Children and young people are affected and can map what matters."),
    "rung_alternatives_ask": _("Ask for input on the alternatives while they can still change."),
    "rung_budget_wheel": _("There is a fixed sum residents can allocate themselves."),
    "rung_plan_hearing": _("A plan case must go on hearing and public inspection."),
    "rung_decision_ask": _("Ask about the final proposal before it is decided."),
    "rung_referendum_wheel": _(
        "The case is a clear choice, and you want ownership: an advisory vote can fit."
    ),
    "rung_follow_up_ask": _("Ask how the decision works in practice."),
    "rung_partners_wheel": _(
        "Local partners are engaged: they can share the work after the decision."
    ),
    "rung_decision_made_ask": _("Ask how the decision should be carried out."),
    "req_inform_every_phase": _("Every phase starts with the facts and what is open."),
    "req_children_plan": _(
        "The plan affects children: pbl § 5-1 asks for adapted participation, and Barnetråkk "
        "lets them map it themselves."
    ),
    "req_children_place": _(
        "The case concerns places children use, and children are affected: Barnetråkk lets "
        "them map their routes and places."
    ),
    "req_children": _("Children and young people are affected and should take part themselves."),
    "req_councils_early": _(
        "The case concerns %(groups)s: the statutory council must get it early (kommuneloven "
        "§ 5-12)."
    ),
    "req_plan_hearing": _("A plan case must go on hearing and public inspection (pbl § 5-2)."),
    "req_budget": _("You have a fixed sum residents can allocate."),
    "fit_reaches_group": _("Reaches %(group)s well, whom you marked as affected."),
    "caution_reaches_badly": _("Reaches %(group)s badly: pair it with a method that reaches them."),
    "caution_daytime_meeting": _(
        "People who work during the day are affected: hold it in the evening or add a digital way."
    ),
    "fit_learning_dialogue": _("You want to learn, and this is a conversation."),
    "fit_anchoring_involve": _("You want ownership and trust, and this involves people deeply."),
    "fit_know_too_little": _("You said we do not know enough about what residents think."),
    "fit_loud_debate": _("The case is debated loudly: this hears more than the loudest voices."),
    "fit_silent_outreach": _("Some are affected but will not speak up: this goes to them."),
    "fit_low_effort": _("You have little capacity, and this takes little effort."),
    "fit_runs_in_medvirk": _("Medvirk runs this method, so input arrives here by itself."),
    "left_above_cap": _(
        "Too high on the ladder for this case (rung %(rung)s, the case allows %(cap)s)."
    ),
    "left_resident_initiated": _("Starts with the residents, not with the municipality."),
    "left_no_budget": _("There is no fixed sum for residents to allocate."),
    "left_no_clear_question": _("The case is not a clear choice for an advisory vote."),
    "left_referendum_plan": _("An advisory vote is not the way to decide a county plan."),
    "left_inspection_not_plan": _("Public inspection belongs to plan cases."),
    "left_not_co_creation": _(
        "Co-creation needs both ownership and learning as purposes and engaged local partners."
    ),
    "left_co_creation_decided": _("It is not co-creation when the solution is already decided."),
    "left_needs_standing_body": _(
        "Needs a standing body, ownership as a purpose and plenty of capacity."
    ),
    "left_no_children": _("No children or young people are marked as affected."),
    "left_no_council_groups": _("The case does not concern the elderly, disabled or youth."),
    "left_too_much_effort": _("Takes more effort than you have capacity for."),
    "left_too_long": _("Takes about %(weeks)s weeks; you have %(available)s."),
    "left_lower_score": _("Other methods fit your answers better."),
    "pit_silent_named": _("You named people who are affected but will not speak up."),
    "pit_know_enough": _("You are not sure we know enough about what residents think."),
    "pit_self_selected": _("Open methods (%(methods)s) hear those who choose to take part."),
    "pit_public_debate": _("The case is already debated loudly (local paper, social media)."),
    "pit_loud_stakeholders": _("%(keys)s will speak up loudly."),
    "pit_organised_voices": _("Organised voices (%(keys)s) are likely to speak up."),
    "pit_high_rung": _("The plan gives residents real power (rung %(rung)s)."),
    "pit_no_weeks": _("The time to the decision is not set."),
    "pit_long_process": _("The process runs for %(weeks)s weeks."),
    "pit_many_phases": _("Input is asked for in %(count)s phases."),
    "pit_single_issue": _("A single case (%(kind)s) affects the rest of the municipality too."),
    "law_always_inform": _("Applies to every case."),
    "law_plan_case": _("The case is a plan under the Planning and Building Act."),
    "law_plan_children": _("The plan affects children and young people."),
    "law_plan_kommune": _("The municipality makes the plan."),
    "law_plan_hearing": _("The plan goes on hearing (six-week minimum: § %(section)s)."),
    "law_councils": _("The case concerns %(groups)s."),
    "law_initiative": _("The case came as a citizens' initiative (threshold at most %(cap)s)."),
    "law_referendum": _("The plan recommends an advisory vote."),
    "law_submissions": _("The plan has a hearing or public inspection."),
    "law_panel": _("The plan recommends a residents' panel."),
    "law_bodies": _("The plan recommends a body with delegated power."),
}


def _labels(cat: Catalogue, keys: Iterable[str], lang: str) -> str:
    out = []
    for key in keys:
        if not key:
            continue
        for kind in ("groups", "partners"):
            try:
                out.append(cat.entry_label(kind, key, lang))
                break
            except StopIteration:
                continue
        else:
            try:
                out.append(cat.method(key).name(lang))
            except KeyError:
                out.append(str(CASE_KIND_LABELS.get(key, key)))
    return ", ".join(out)


def sentence(r: rules.Reason, cat: Catalogue | None = None) -> str:
    cat = cat or library.catalogue()
    lang = language(get_language())
    values: dict[str, Any] = dict(r.values)
    for name in ("group", "groups", "keys", "methods", "kind"):
        if name in values:
            values[name] = _labels(cat, values[name].split(","), lang)
    template = REASONS.get(r.code)
    if template is None:
        return r.code
    return str(template) % values if values else str(template)


def sentences(reasons: Iterable[rules.Reason], cat: Catalogue | None = None) -> list[str]:
    return [sentence(r, cat) for r in reasons]
