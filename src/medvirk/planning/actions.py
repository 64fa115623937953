"""Writes to participation plans: staff only, validated, atomic, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.organisations import capabilities
from medvirk.processes import actions as process_actions
from medvirk.processes.models import MethodInstance, Phase, Process

from . import advice, explain, library, rules
from .catalogue import language
from .models import Plan, PlannedActivity, PlanStatus

if TYPE_CHECKING:
    from medvirk.identity.models import User

MAX_DIFF_LINES = 40
MAX_VALUE_CHARS = 120


def _require(staff: User, process: Process) -> None:
    if not capabilities.staff_can(staff, "manage_process", process.municipality_id):
        raise ActionRefused(
            _("You do not have access to do this in this municipality."), status=403
        )


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key in sorted(value):
            out.update(_flatten(value[key], f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list):
        return {prefix: ", ".join(str(v) for v in sorted(value, key=str))}
    return {prefix: value}


def _short(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, str]]:
    """Field-by-field changes between two answer sets, values shortened for the audit log."""
    old, new = _flatten(before), _flatten(after)
    lines = []
    for path in sorted(set(old) | set(new)):
        a, b = old.get(path), new.get(path)
        if (a in (None, "", False, 0) and b in (None, "", False, 0)) or a == b:
            continue
        lines.append({"field": path, "before": _short(a), "after": _short(b)})
    return lines


def plan_for(process: Process) -> Plan | None:
    return Plan.objects.filter(process=process).first()


def do_start_plan(staff: User, process: Process) -> Plan:
    """The process's plan, created (with the case's own room for influence) the first time."""
    _require(staff, process)
    with transaction.atomic():
        plan, created = Plan.objects.select_for_update().get_or_create(
            process=process,
            defaults={
                "answers": {
                    "room": {
                        "open": process.open_to_influence,
                        "decided": process.already_decided,
                    }
                },
                "catalogue_version": library.catalogue().version,
            },
        )
        if created:
            audit.record(
                "plan.created",
                actor=staff,
                obj=plan,
                municipality_id=process.municipality_id,
                data={"process": process.pk},
            )
    return plan


def _running_methods(process: Process) -> int:
    return MethodInstance.objects.filter(process=process, is_published=True).count()


def _phase_name(kind: str) -> str:
    return str(explain.PHASE_LABELS[kind])


def _create_phases(
    staff: User, process: Process, phases: Sequence[tuple[str, dt.date, dt.date]]
) -> list[Phase]:
    """The open phases the case lacks, from the wizard's dates (the whole last day counts)."""
    tz = timezone.get_current_timezone()
    created = []
    for kind, start, end in phases:
        if Phase.objects.filter(process=process, kind=kind).exists():
            continue
        created.append(
            process_actions.do_save_phase(
                staff,
                process,
                name=_phase_name(kind),
                kind=kind,
                start=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
                end=dt.datetime.combine(end, dt.time.max, tzinfo=tz),
            )
        )
    return created


def do_save_step(
    staff: User,
    plan: Plan,
    step: str,
    values: Mapping[str, Any],
    phases: Sequence[tuple[str, dt.date, dt.date]] = (),
) -> Plan:
    """Replace one wizard step's answers (and create the open phases the case lacks, in the
    same transaction); writes nothing (and bumps nothing) when unchanged."""
    process = plan.process
    _require(staff, process)
    if step not in rules.STEPS:
        raise ActionRefused(_("Unknown step."), status=404)
    with transaction.atomic():
        _create_phases(staff, process, phases)
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        answers = {**locked.answers, step: dict(values)}
        try:
            rules.parse_answers(answers, tuple(q.key for q in library.catalogue().reflection))
        except rules.AnswerError as exc:
            raise ActionRefused(
                _("The answers could not be saved: %(field)s is not valid.") % {"field": exc.field}
            ) from exc
        changes = diff({step: locked.answers.get(step, {})}, {step: answers[step]})
        if not changes:
            return locked
        locked.answers = answers
        locked.version += 1
        locked.catalogue_version = library.catalogue().version
        locked.save()
        running = _running_methods(process)
        audit.record(
            "plan.updated",
            actor=staff,
            obj=locked,
            municipality_id=process.municipality_id,
            data={
                "step": step,
                "version": locked.version,
                "status": locked.status,
                "fields": [c["field"] for c in changes],
                "diff": changes[:MAX_DIFF_LINES],
                "diff_truncated": len(changes) > MAX_DIFF_LINES,
                "methods_running": running,
                "summary": f"{len(changes)} change(s) in {step}, {running} method(s) running",
            },
        )
    return locked


def do_publish(staff: User, plan: Plan) -> Plan:
    process = plan.process
    _require(staff, process)
    if not process.is_public:
        raise ActionRefused(
            _("Publish the case first: a plan cannot be public while its case is a draft.")
        )
    missing = rules.missing_steps(plan.answers)
    if missing:
        names = ", ".join(str(explain.STEP_LABELS[s]) for s in missing)
        raise ActionRefused(
            _("Answer every step before publishing. Missing: %(steps)s.") % {"steps": names}
        )
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        locked.status = PlanStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save()
        audit.record(
            "plan.published",
            actor=staff,
            obj=locked,
            municipality_id=process.municipality_id,
            data={"version": locked.version},
        )
    return locked


def do_unpublish(staff: User, plan: Plan) -> Plan:
    _require(staff, plan.process)
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        locked.status = PlanStatus.DRAFT
        locked.save()
        audit.record(
            "plan.unpublished",
            actor=staff,
            obj=locked,
            municipality_id=plan.process.municipality_id,
            data={"version": locked.version},
        )
    return locked


def _free_slug(process: Process, base: str) -> str:
    taken = set(MethodInstance.objects.filter(process=process).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _new_phase(staff: User, process: Process, kind: str, weeks: int) -> Phase:
    """A phase of this kind after the case's last one (or from today), so accepting a
    recommendation never stops at a missing phase; staff adjust its dates afterwards."""
    last = Phase.objects.filter(process=process).order_by("-end").first()
    start = max(timezone.now(), last.end) if last else timezone.now()
    start = start.replace(microsecond=0) + dt.timedelta(seconds=1)
    end = start + dt.timedelta(weeks=max(weeks, 2))
    return process_actions.do_save_phase(
        staff, process, name=_phase_name(kind), kind=kind, start=start, end=end
    )


def do_accept(staff: User, plan: Plan, catalogue_key: str, phase_kind: str) -> PlannedActivity:
    """Accept one recommendation: a method instance where Medvirk runs it, else a planned
    activity with the catalogue's guide."""
    process = plan.process
    _require(staff, process)
    catalogue = library.catalogue()
    try:
        recommendation = advice.recommendation(plan)
    except rules.AnswerError as exc:
        raise ActionRefused(_("The plan's answers are not valid; save the steps again.")) from exc
    pick = recommendation.pick(catalogue_key, phase_kind)
    if pick is None:
        raise ActionRefused(_("This method is not recommended for that phase."))
    if PlannedActivity.objects.filter(
        plan=plan, catalogue_key=catalogue_key, phase_kind=phase_kind
    ).exists():
        raise ActionRefused(_("This recommendation has already been accepted."))
    phase = Phase.objects.filter(process=process, kind=phase_kind).order_by("start").first()
    method = catalogue.method(catalogue_key)
    runs = method.medvirk_method  # from the registry (library.catalogue), so it is installed
    with transaction.atomic():
        instance = None
        if phase is None:
            phase = _new_phase(staff, process, phase_kind, method.weeks)
        if runs is not None:
            lang = language(process.municipality.default_language or process.municipality.malform)
            texts = method.texts(lang)
            instance = process_actions.do_save_method(
                staff,
                process,
                phase=phase,
                method_key=runs,
                slug=_free_slug(process, catalogue_key.replace("_", "-")),
                title=texts["name"],
                description=texts["summary"],
                is_published=False,
            )
        activity = PlannedActivity.objects.create(
            plan=plan,
            catalogue_key=catalogue_key,
            phase_kind=phase_kind,
            phase=phase,
            method_instance=instance,
            created_by=staff,
        )
        audit.record(
            "plan.accepted",
            actor=staff,
            obj=plan,
            municipality_id=process.municipality_id,
            data={
                "method": catalogue_key,
                "phase": phase_kind,
                "method_instance": instance.pk if instance else None,
                "activity": activity.pk,
            },
        )
    return activity


def do_set_activity_status(staff: User, activity: PlannedActivity, status: str) -> None:
    _require(staff, activity.plan.process)
    if status not in ("planned", "done"):
        raise ActionRefused(_("Unknown status."))
    with transaction.atomic():
        activity.status = status
        activity.save(update_fields=["status"])
        audit.record(
            "plan.activity_status",
            actor=staff,
            obj=activity.plan,
            municipality_id=activity.plan.process.municipality_id,
            data={"activity": activity.pk, "method": activity.catalogue_key, "status": status},
        )
