"""Plain-language, translated sentences for the rule engine's reason codes and choices."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import library, rules
from .catalogue import Catalogue, language
from .reason_texts import REASONS

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
    "theme_plan": _("A thematic plan or strategy (not under the Planning and Building Act)"),
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
    "kommune": _("The municipal council (kommunestyret)"),
    "formannskap": _("The executive committee (formannskapet)"),
    "committee": _("A committee (utval)"),
    "administration": _("The chief executive, by delegation (kommunedirektøren)"),
    "fylkeskommune": _("The county (fylkeskommune)"),
    "state": _("The state (a ministry or a state agency)"),
    "shared": _("Shared: several authorities decide parts (e.g. a county road and a state road)"),
    "inter_municipal": _("Several municipalities together"),
}
DECISION_STATE_LABELS: dict[str, Promise] = {
    "open": _("Open: the main question is still undecided"),
    "partly": _("Partly decided: some parts are fixed (e.g. the site), others are open"),
    "decided": _("Decided: we ask only how to carry it out"),
    "contracted": _("Decided and contracted: we inform and answer questions"),
}
BINDING_LABELS: dict[str, Promise] = {
    "advisory": _("Advisory: the council decides after the vote"),
    "binding": _("Binding: the council has delegated the choice to the vote"),
}
HEARING_LABELS: dict[str, Promise] = {
    "notice_of_start": _("Notice of start (varsel om oppstart)"),
    "planprogram": _("Planning programme on hearing at the start"),
    "planforslag": _("Plan proposal on hearing and public inspection"),
}
GROUP_KIND_LABELS: dict[str, Promise] = {
    "residents": _("Residents"),
    "neighbours": _("Neighbours"),
    "parents": _("Parents (e.g. FAU)"),
    "pupils": _("Pupils (e.g. the pupils' council)"),
    "children": _("Children"),
    "youth": _("Young people"),
    "elderly": _("Elderly people"),
    "disabled": _("People with disabilities"),
    "users": _("Users of a service"),
    "relatives": _("Relatives (pårørende)"),
    "minority_language": _("People with another first language"),
    "day_workers": _("People who work during the day"),
    "associations": _("Clubs and associations (lag og foreninger)"),
    "volunteers": _("Volunteers (frivilligheten)"),
    "enthusiasts": _("Local enthusiasts (ildsjeler)"),
    "business": _("Local business (næringsliv)"),
    "developer": _("A private developer or proposer"),
    "regional": _("Regional and state bodies"),
    "neighbour_municipality": _("A neighbouring municipality"),
    "initiators": _("The initiators of a proposal"),
    "staff": _("The municipality's employees"),
}
AGE_LABELS: dict[str, Promise] = {
    "0-5": _("0–5 years"),
    "6-12": _("6–12 years"),
    "13-15": _("13–15 years"),
    "16-19": _("16–19 years"),
    "20-66": _("20–66 years"),
    "67-79": _("67–79 years"),
    "80+": _("80 years and older"),
}
TIME_LABELS: dict[str, Promise] = {
    "": _("Any time"),
    "school_hours": _("In school hours"),
    "daytime": _("In the daytime"),
    "evening": _("In the evening"),
    "weekend": _("At the weekend"),
}
ROLE_LABELS: dict[str, Promise] = {
    "co_creator": _("Co-creator"),
    "board": _("Board member"),
    "co_host": _("Co-host"),
    "consulted": _("Consulted"),
    "proposer": _("Proposer"),
    "authority": _("Shares the responsibility"),
    "initiators": _("Initiators"),
}
WARNING_LABELS: dict[str, Promise] = {
    "nothing_open": _("Nothing is open to influence"),
    "decided_empty": _("What is already decided is not described"),
    "too_little_time": _("Too little time"),
    "hearing_too_short": _("The hearing is too short"),
    "past_decision": _("A date falls after the decision"),
    "need_not_met": _("Something the case needs does not fit"),
    "initiative_deadline": _("The initiative's deadline"),
}
FUNCTION_LABELS: dict[str, Promise] = {
    "facts": _("the facts"),
    "statutory": _("required by law"),
    "councils": _("required by law"),
    "vote": _("the council's decision"),
    "budget": _("the budget residents allocate"),
    "children": _("children take part themselves"),
    "partners": _("ownership"),
    "questions": _("questions about carrying it out"),
    "representative": _("a representative picture"),
    "deliberation": _("a workshop while the case is open"),
    "dialogue": _("dialogue on the alternatives"),
    "reach": _("a channel to a group that is hard to reach"),
    "place": _("the place, on a map or on site"),
    "proposal": _("comments on the final proposal"),
    "round": _("a way to give input in this phase"),
    "digital": _("electronic dialogue (pbl § 5-2)"),
    "score": _("fits your answers"),
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


def _midsentence(label: str) -> str:
    """A group's label inside a sentence: «barn (under 13 år)», not «Barn (under 13 år)»
    (the labels are common nouns; acronyms such as FAU keep their capitals)."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        return label[0].lower() + label[1:]
    return label


def _labels(cat: Catalogue, keys: Iterable[str], lang: str) -> str:
    out = []
    for key in keys:
        if not key:
            continue
        if key in GROUP_KIND_LABELS and key not in ("children", "youth", "elderly", "disabled"):
            out.append(_midsentence(str(GROUP_KIND_LABELS[key])))
            continue
        if key in AGE_LABELS:
            out.append(str(AGE_LABELS[key]))
            continue
        for kind in ("groups", "partners"):
            try:
                out.append(_midsentence(cat.entry_label(kind, key, lang)))
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
    for name in ("group", "groups", "keys", "methods", "kind", "who", "ages"):
        if name in values:
            values[name] = _labels(cat, values[name].split(","), lang)
    template = REASONS.get(r.code)
    if template is None:
        return r.code
    text = str(template) % values if values else str(template)
    return text[:1].upper() + text[1:]  # a label may open the sentence


def sentences(reasons: Iterable[rules.Reason], cat: Catalogue | None = None) -> list[str]:
    return [sentence(r, cat) for r in reasons]
