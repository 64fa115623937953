"""The plan's change log in words: the audit rows about a plan, as the plan page shows them.

The log keeps codes (``plan.updated``, field paths such as ``who.stakeholders.youth.affected``,
choice keys); this turns them into the step names, question labels and answer labels of the
wizard, in the reader's language, so nothing internal reaches the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import get_language, gettext

from medvirk.core import audit_labels
from medvirk.core.models import AuditEntry

from . import explain, library
from .catalogue import language
from .forms import STEP_FORMS
from .models import ActivityStatus

EMPTY = "–"


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class LogEntry:
    created_at: dt.datetime
    who: str
    action: str
    version: int | None = None
    step: str = ""
    changes: list[Change] = field(default_factory=list)
    more_changes: bool = False
    methods_running: int | None = None
    detail: str = ""


def _step_fields() -> dict[str, dict[str, forms.Field]]:
    """Each step's form fields, built in the current language (labels and choices)."""
    return {form_class.step: dict(form_class().fields) for form_class in STEP_FORMS.values()}


def _field_name(step: str, path: str) -> str:
    rest = path.removeprefix(f"{step}.")
    parts = rest.split(".")
    if len(parts) == 3 and parts[0] == "stakeholders":  # who.stakeholders.<key>.<measure>
        return f"{parts[1]}__{parts[2]}"
    return rest


def _value(form_field: forms.Field | None, raw: str) -> str:
    if raw in ("", "None"):
        return EMPTY
    if isinstance(form_field, forms.BooleanField):
        return gettext("Yes") if raw == "True" else gettext("No")
    if isinstance(form_field, forms.ChoiceField):
        labels = {str(key): str(label) for key, label in form_field.choices}  # type: ignore[union-attr,misc]
        if isinstance(form_field, forms.MultipleChoiceField):
            return ", ".join(labels.get(part, part) for part in raw.split(", "))
        return labels.get(raw, raw)
    return raw


def _changes(
    step: str, diff: Iterable[Mapping[str, Any]], fields: Mapping[str, Any]
) -> list[Change]:
    own = fields.get(step, {})
    out = []
    for line in diff:
        path = str(line.get("field", ""))
        form_field = own.get(_field_name(step, path))
        label = str(form_field.label) if form_field is not None and form_field.label else ""
        out.append(
            Change(
                field=label or gettext("Another answer"),
                before=_value(form_field, str(line.get("before", ""))),
                after=_value(form_field, str(line.get("after", ""))),
            )
        )
    return out


def _method_name(key: str, lang: str) -> str:
    try:
        return library.catalogue().method(key).name(lang)
    except KeyError:
        return gettext("A method no longer in the catalogue")


def _detail(entry: AuditEntry, lang: str) -> str:
    data = entry.data if isinstance(entry.data, dict) else {}
    method = str(data.get("method") or "")
    if not method:
        return ""
    name = _method_name(method, lang)
    if entry.action == "plan.activity_status":
        status = str(data.get("status") or "")
        label = ActivityStatus(status).label if status in ActivityStatus.values else status
        return f"{name}: {label}"
    phase = explain.PHASE_LABELS.get(str(data.get("phase") or ""))
    return f"{name} ({phase})" if phase else name


def entries(rows: Iterable[AuditEntry]) -> list[LogEntry]:
    """The plan's audit rows (newest first, as given) in words."""
    lang = language(get_language())
    fields: dict[str, dict[str, forms.Field]] | None = None
    out = []
    for row in rows:
        data = row.data if isinstance(row.data, dict) else {}
        step = str(data.get("step") or "")
        changes: list[Change] = []
        if data.get("diff"):
            fields = fields if fields is not None else _step_fields()
            changes = _changes(step, data["diff"], fields)
        version = data.get("version")
        running = data.get("methods_running")
        out.append(
            LogEntry(
                created_at=row.created_at,
                who=audit_labels.actor_label(row.actor_label),
                action=audit_labels.action_label(row.action),
                version=version if isinstance(version, int) else None,
                step=str(explain.STEP_LABELS.get(step, "")),
                changes=changes,
                more_changes=bool(data.get("diff_truncated")),
                methods_running=running if isinstance(running, int) else None,
                detail=_detail(row, lang),
            )
        )
    return out
