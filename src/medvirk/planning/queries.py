"""Reads for plan pages: the recommendation in the reader's language, ready to render."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from medvirk.core.models import AuditEntry
from medvirk.processes.models import Phase, Process

from . import advice, explain, library, rules
from .catalogue import Catalogue, LegalRef, language
from .models import Plan, PlannedActivity


@dataclass
class PlanView:
    plan: Plan
    answers: rules.Answers | None
    error: str = ""
    phases: list[dict[str, Any]] = field(default_factory=list)
    pitfalls: list[dict[str, Any]] = field(default_factory=list)
    legal: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    left_out: list[dict[str, Any]] = field(default_factory=list)
    max_rung: int = 5
    max_rung_reasons: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    activities: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    partners: list[dict[str, Any]] = field(default_factory=list)
    weeks_to_decision: int | None = None
    # The public plan: what the municipality accepted, per phase of the case, with dates.
    accepted_phases: list[dict[str, Any]] = field(default_factory=list)
    public_legal: list[dict[str, Any]] = field(default_factory=list)


def plan_of(process: Process) -> Plan | None:
    return Plan.objects.filter(process=process).select_related("process__municipality").first()


def published_plan(process: Process) -> Plan | None:
    plan = plan_of(process)
    return plan if plan is not None and plan.is_published else None


def history(plan: Plan) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type="planning.plan", object_id=str(plan.pk)).order_by(
        "-seq"
    )


def _activity_rows(
    plan: Plan, cat: Catalogue, lang: str
) -> tuple[dict[tuple[str, str], PlannedActivity], list[dict[str, Any]]]:
    acts = list(
        PlannedActivity.objects.filter(plan=plan).select_related("phase", "method_instance")
    )
    rows = []
    for activity in acts:
        try:
            method = cat.method(activity.catalogue_key)
        except KeyError:
            continue
        rows.append(
            {
                "activity": activity,
                "name": method.name(lang),
                "texts": method.texts(lang),
                "phase_label": explain.PHASE_LABELS.get(activity.phase_kind, ""),
                "instance": activity.method_instance,
                "phase": activity.phase,
            }
        )
    return {(a.catalogue_key, a.phase_kind): a for a in acts}, rows


def offline_activities(process: Process) -> list[dict[str, Any]]:
    """The plan's accepted activities that no Medvirk method runs (planned activities)."""
    plan = plan_of(process)
    if plan is None:
        return []
    lang = language(get_language())
    _accepted, rows = _activity_rows(plan, library.catalogue(), lang)
    return [row for row in rows if row["instance"] is None]


def _refs(cat: Catalogue, refs: tuple[LegalRef, ...] | list[LegalRef], lang: str) -> list[str]:
    return [cat.ref_label(r, lang) for r in refs]


# Checklist items that only hold when the municipality has accepted one of these methods.
LEGAL_FOR_METHODS = {
    "panel_openness": {"residents_panel"},
    "delegated_bodies": {"committees", "institution_board"},
    "advisory_referendum": {"advisory_referendum"},
    "delegation_rules": {"committees", "institution_board", "participatory_budgeting"},
}


def _named_kinds(answers: rules.Answers) -> set[str]:
    """What the named groups already say, so the public list does not say it twice."""
    kinds: set[str] = set()
    for g in answers.groups:
        if g.affected < 1:
            continue
        kinds.add(g.kind)
        bands = set(g.age_bands)
        if bands & {"0-5", "6-12"}:
            kinds.add("children")
        if bands & {"13-15", "16-19"}:
            kinds.add("youth")
        if g.is_silent:
            kinds.add("silent_affected")
        if g.kind == "parents":
            kinds.add("residents")
    return kinds


def _unique(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(lines))


def _accepted_phases(plan: Plan, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Accepted activities grouped by the case's phases, in date order, with the dates."""
    phases = list(Phase.objects.filter(process=plan.process).order_by("start"))
    out = []
    for phase in phases:
        mine = [r for r in rows if r["phase"] is not None and r["phase"].pk == phase.pk]
        if mine:
            out.append({"phase": phase, "label": phase.name, "rows": mine})
    loose = [r for r in rows if r["phase"] is None]
    if loose:
        out.append({"phase": None, "label": "", "rows": loose})
    return out


def plan_view(plan: Plan, lang: str | None = None) -> PlanView:
    cat = library.catalogue()
    lang = language(lang or get_language())
    view = PlanView(plan=plan, answers=None, missing=rules.missing_steps(plan.answers))
    accepted, view.activities = _activity_rows(plan, cat, lang)
    try:
        answers = advice.answers_of(plan)
    except rules.AnswerError as exc:
        view.error = exc.field
        return view
    view.answers = answers
    rec = advice.recommendation(plan, answers)
    view.max_rung = rec.max_rung
    view.max_rung_reasons = explain.sentences(rec.max_rung_reasons, cat)
    for ph_advice in rec.phases:
        picks = []
        for pick in ph_advice.picks:
            method = cat.method(pick.key)
            picks.append(
                {
                    "key": pick.key,
                    "name": method.name(lang),
                    "texts": method.texts(lang),
                    "rung": pick.rung,
                    "rung_label": explain.RUNG_LABELS[pick.rung],
                    "required": pick.required,
                    "reasons": _unique(explain.sentences(pick.reasons, cat)),
                    "cautions": _unique(explain.sentences(pick.cautions, cat)),
                    "runs_in_medvirk": bool(pick.medvirk_method),
                    "format": explain.FORMAT_LABELS[method.format],
                    "effort": explain.EFFORT_LABELS[method.effort],
                    "weeks": method.weeks,
                    "legal": _refs(cat, method.legal, lang),
                    "law": _refs(cat, [LegalRef(act, sec) for act, sec in pick.law], lang),
                    "function": explain.FUNCTION_LABELS.get(pick.function, ""),
                    "accepted": accepted.get((pick.key, ph_advice.phase)),
                }
            )
        view.phases.append(
            {
                "phase": ph_advice.phase,
                "label": explain.PHASE_LABELS[ph_advice.phase],
                "rungs": [
                    {
                        "rung": r,
                        "label": explain.RUNG_LABELS[r],
                        "reasons": explain.sentences(ph_advice.rung_reasons.get(r, []), cat),
                    }
                    for r in ph_advice.rungs
                ],
                "picks": picks,
            }
        )
    for flag in rec.pitfalls:
        texts = cat.pitfall(flag.key).texts(lang)
        view.pitfalls.append(
            {"key": flag.key, **texts, "reasons": _unique(explain.sentences(flag.reasons, cat))}
        )
    for flag in rec.legal:
        item = cat.legal_item(flag.key)
        refs = list(item.refs)
        if flag.params.get("section"):
            refs.append(LegalRef("pbl", flag.params["section"]))
        view.legal.append(
            {
                "key": flag.key,
                **item.texts(lang),
                "refs": _refs(cat, refs, lang),
                "reasons": explain.sentences(flag.reasons, cat),
            }
        )
    today = timezone.localdate()
    for step in rec.timeline:
        last = max(step.week_to, step.week_from + 1)
        view.timeline.append(
            {
                "phase_label": explain.PHASE_LABELS[step.phase],
                "kind": step.kind,
                "label": explain.TIMELINE_LABELS[step.kind],
                "children": step.children,
                "week_from": step.week_from + 1,
                "week_to": last,
                "date_from": today + dt.timedelta(weeks=step.week_from),
                "date_to": today + dt.timedelta(weeks=last, days=-1),
                "methods": [cat.method(k).name(lang) for k in step.methods],
                "is_feedback": step.kind in ("feedback", "decision_feedback"),
            }
        )
    for flag in rec.warnings:
        view.warnings.append(
            {
                "key": flag.key,
                "title": explain.WARNING_LABELS.get(flag.key, flag.key),
                "reasons": _unique(explain.sentences(flag.reasons, cat)),
            }
        )
    for role in rec.partners:
        view.partners.append(
            {
                "name": role.name or explain.GROUP_KIND_LABELS.get(role.group, role.group),
                "role": explain.ROLE_LABELS.get(role.role, role.role),
                "reasons": explain.sentences(role.reasons, cat),
            }
        )
    view.weeks_to_decision = rec.weeks_to_decision
    view.accepted_phases = _accepted_phases(plan, view.activities)
    chosen = {row["activity"].catalogue_key for row in view.activities}
    view.public_legal = [
        item
        for item in view.legal
        if not LEGAL_FOR_METHODS.get(item["key"]) or LEGAL_FOR_METHODS[item["key"]] & chosen
    ]
    for left in rec.left_out:
        view.left_out.append(
            {"name": cat.method(left.key).name(lang), "reasons": explain.sentences(left.reasons)}
        )
    view.summary = {
        "purposes": [
            cat.entry_label("purposes", p, lang) for p in rules.PURPOSES if p in answers.purposes
        ],
        "use": answers.use,
        "groups": [
            cat.entry_label("groups", g, lang)
            for g in answers.target_groups
            if g not in _named_kinds(answers)
        ],
        "named_groups": [g.name for g in answers.groups if g.affected >= 1],
        "partners": [
            cat.entry_label("partners", p, lang)
            for p in rules.PARTNERS
            if answers.affected(p) and p not in _named_kinds(answers)
        ],
        "phases": [explain.PHASE_LABELS[p] for p in answers.open_phases],
        "when_note": answers.when_note,
        "open": answers.open_text,
        "decided": answers.decided_text,
        "budget": answers.budget,
        "case_kind": explain.CASE_KIND_LABELS[answers.case_kind],
        "plan_type": explain.PLAN_TYPE_LABELS.get(answers.plan_type, ""),
        "decision_maker": explain.DECIDER_LABELS[answers.decision_maker],
        "reflection": [
            {"question": q.label(lang), "answer": answers.reflection.get(q.key, "")}
            for q in cat.reflection
        ],
        "reflection_answered": sum(
            1 for q in cat.reflection if answers.reflection.get(q.key, "").strip()
        ),
        "reflection_total": len(cat.reflection),
    }
    return view
