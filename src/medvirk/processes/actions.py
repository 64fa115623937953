"""Writes to processes, phases and method instances (staff only, audited, atomic)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_title
from medvirk.organisations import capabilities
from medvirk.organisations.models import Municipality

from . import registry, signals
from .models import MethodInstance, Phase, PhaseKind, Process, ProcessStatus
from .phases import overlapping

if TYPE_CHECKING:
    from medvirk.identity.models import User

# Addresses under a process that process and planning pages use; no method may take them.
# A method instance's moderation: "" follows the kommune; else the values of
# contributions.models.ModerationMode (that app sits above this one; a test keeps them equal).
METHOD_MODERATION = frozenset({"", "auto", "pre", "post"})
RESERVED_SLUGS = frozenset(
    {"innspel", "folg", "opne-data", "dokument", "medverknadsplan", "medverknadsplan.pdf"}
)

PROCESS_FIELDS = (
    "title",
    "slug",
    "summary",
    "body",
    "topics",
    "area",
    "open_to_influence",
    "already_decided",
    "decided_by",
    "decision_expected",
    "status",
)


def _require(staff: User, capability: str, municipality_id: int) -> None:
    if not capabilities.staff_can(staff, capability, municipality_id):
        raise ActionRefused(
            _("You do not have access to do this in this municipality."), status=403
        )


def do_save_process(
    staff: User,
    municipality: Municipality,
    values: Mapping[str, Any],
    process: Process | None = None,
) -> Process:
    """Create or update a process from cleaned form values."""
    _require(staff, "manage_process", municipality.pk)
    if "title" in values:  # shown on every page of the case: no bidi or zero-width characters
        values = {**values, "title": clean_title(values["title"])}
    if process is not None and process.municipality_id != municipality.pk:
        raise ActionRefused(_("This case belongs to another municipality."), status=404)
    with transaction.atomic():
        created = process is None
        target = process or Process(municipality=municipality)
        before = {f: getattr(target, f) for f in PROCESS_FIELDS} if not created else {}
        for field in PROCESS_FIELDS:
            if field in values:
                setattr(target, field, values[field])
        same_slug = Process.objects.filter(municipality=municipality, slug=target.slug)
        if target.pk is not None:
            same_slug = same_slug.exclude(pk=target.pk)
        if same_slug.exists():
            raise ActionRefused(_("Another case already uses this address name."))
        target.save()
        changed = sorted(f for f in PROCESS_FIELDS if before.get(f) != getattr(target, f))
        if not created and "status" in changed:
            pk, status = target.pk, target.status
            transaction.on_commit(
                lambda: signals.process_status_changed.send(
                    sender=Process, process_id=pk, status=status
                )
            )
        audit.record(
            "process.created" if created else "process.updated",
            actor=staff,
            obj=target,
            municipality_id=municipality.pk,
            data={"fields": changed, "status": target.status},
        )
    return target


def do_save_phase(
    staff: User,
    process: Process,
    *,
    name: str,
    kind: str,
    start: dt.datetime,
    end: dt.datetime,
    description: str = "",
    phase: Phase | None = None,
) -> Phase:
    """Add or change a phase; phases of one process never overlap."""
    _require(staff, "manage_process", process.municipality_id)
    name = clean_title(name, max_length=120)
    if start >= end:
        raise ActionRefused(_("A phase must end after it starts."))
    if kind not in PhaseKind.values:
        raise ActionRefused(_("Choose a kind of phase."))
    if phase is not None and phase.process_id != process.pk:
        raise ActionRefused(_("This phase belongs to another case."), status=404)
    with transaction.atomic():
        # Lock the process row so two parallel requests cannot both pass the overlap check.
        Process.objects.select_for_update().get(pk=process.pk)
        others = list(Phase.objects.filter(process=process))
        clash = overlapping(others, start, end, exclude_pk=phase.pk if phase else None)
        if clash:
            raise ActionRefused(
                _("The phase overlaps «%(name)s». Phases of a case cannot overlap.")
                % {"name": clash[0].name}
            )
        target = phase or Phase(process=process)
        target.name, target.kind, target.description = name, kind, description
        target.start, target.end = start, end
        target.save()
        audit.record(
            "phase.saved",
            actor=staff,
            obj=target,
            municipality_id=process.municipality_id,
            data={"start": start.isoformat(), "end": end.isoformat(), "kind": kind},
        )
    return target


def do_save_method(
    staff: User,
    process: Process,
    *,
    phase: Phase,
    method_key: str,
    slug: str,
    title: str,
    description: str = "",
    raw_settings: Mapping[str, Any] | None = None,
    phase_settings: Mapping[str, Mapping[str, Any]] | None = None,
    identity_levels: Mapping[str, int] | None = None,
    is_published: bool = False,
    instance: MethodInstance | None = None,
    moderation: str | None = None,
) -> MethodInstance:
    """Add or change a method instance; its settings are validated by the method itself.

    ``moderation``: "" follows the kommune's choice, else a moderation mode for this
    instance alone; None keeps what is stored (a new instance follows the kommune).
    """
    _require(staff, "manage_process", process.municipality_id)
    title = clean_title(title)
    if phase.process_id != process.pk:
        raise ActionRefused(_("The phase belongs to another case."))
    if instance is not None and instance.process_id != process.pk:
        raise ActionRefused(_("This method belongs to another case."), status=404)
    try:
        manifest = registry.get(method_key)
    except registry.RegistryError as exc:
        raise ActionRefused(_("Unknown method.")) from exc
    try:
        cleaned = manifest.validate_settings(raw_settings or {})
        per_phase = _clean_phase_settings(manifest, process, phase_settings or {})
    except registry.SettingsInvalid as exc:
        raise ActionRefused(" ".join(exc.messages)) from exc
    levels: dict[str, int] = {}
    for key, level in (identity_levels or {}).items():
        try:
            manifest.action(key)
        except KeyError as exc:
            raise ActionRefused(_("Unknown action for this method.")) from exc
        levels[key] = int(level)
    if slug in RESERVED_SLUGS:
        raise ActionRefused(_("This address name is reserved. Choose another."))
    if moderation is not None and moderation not in METHOD_MODERATION:
        raise ActionRefused(_("Choose how input to this method is moderated."))
    with transaction.atomic():
        same_slug = MethodInstance.objects.filter(process=process, slug=slug)
        if instance is not None:
            same_slug = same_slug.exclude(pk=instance.pk)
        if same_slug.exists():
            raise ActionRefused(_("Another method in this case already uses this address name."))
        target = instance or MethodInstance(process=process, method_key=method_key)
        target.phase, target.slug, target.title = phase, slug, title
        target.description, target.settings = description, cleaned
        target.phase_settings = per_phase
        target.identity_levels, target.is_published = levels, is_published
        if moderation is not None:
            target.moderation = moderation
        target.save()
        audit.record(
            "method.saved",
            actor=staff,
            obj=target,
            municipality_id=process.municipality_id,
            data={
                "method": method_key,
                "phase": phase.pk,
                "published": is_published,
                "moderation": target.moderation,
            },
        )
    return target


def _clean_phase_settings(
    plugin: registry.MethodPlugin, process: Process, raw: Mapping[str, Mapping[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Per-phase settings keyed by the phase's id; only the case's own phases."""
    if plugin.phase_settings_form is None:
        if any(raw.values()):
            raise ActionRefused(_("This method has no settings per phase."))
        return {}
    own = {str(pk) for pk in Phase.objects.filter(process=process).values_list("pk", flat=True)}
    cleaned: dict[str, dict[str, Any]] = {}
    for phase_id, values in raw.items():
        if str(phase_id) not in own:
            raise ActionRefused(_("The phase belongs to another case."))
        cleaned[str(phase_id)] = plugin.validate_phase_settings(values)
    return cleaned


def do_close_for_decision(staff: User, process: Process) -> int:
    """The case is decided: its status becomes "decided" and every open method closes.

    Called inside the transaction that records the decision (``accountability.actions``),
    by staff who may decide. The process row is locked; after commit
    :data:`signals.process_status_changed` goes out with ``decision=True``, so followers are
    told by the decision's announcement rather than twice. Returns how many methods closed.
    """
    _require(staff, "decide", process.municipality_id)
    with transaction.atomic():
        locked = Process.objects.select_for_update().get(pk=process.pk)
        closed = MethodInstance.objects.filter(process=locked, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )
        before = locked.status
        if before != ProcessStatus.DECIDED:
            locked.status = ProcessStatus.DECIDED
            locked.save(update_fields=["status", "updated_at"])
            pk = locked.pk
            transaction.on_commit(
                lambda: signals.process_status_changed.send(
                    sender=Process, process_id=pk, status=ProcessStatus.DECIDED, decision=True
                )
            )
        audit.record(
            "process.decided",
            actor=staff,
            obj=locked,
            municipality_id=process.municipality_id,
            data={"from": before, "closed_methods": closed},
        )
    process.status = ProcessStatus.DECIDED
    return closed


def do_set_status(staff: User, process: Process, status: str) -> Process:
    if status not in ProcessStatus.values:
        raise ActionRefused(_("Unknown status."))
    return do_save_process(staff, process.municipality, {"status": status}, process)
