"""Method manifests: what each participation method offers, registered at start-up.

A method app calls :func:`register` from its ``AppConfig.ready``. The core renders
process pages, permissions, responses and exports from these manifests, so adding a
method touches only the method's own folder.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from medvirk.identity.models import AssuranceLevel

from .phases import Timing


class Rung(IntEnum):
    """Deltakelsestrappa: the participation ladder."""

    INFORM = 1
    ASK = 2
    DIALOGUE = 3
    AGENDA = 4
    DECIDE = 5

    @property
    def label(self) -> Promise:
        return RUNG_LABELS[self]


RUNG_LABELS: dict[Rung, Promise] = {
    Rung.INFORM: _("Inform"),
    Rung.ASK: _("Ask"),
    Rung.DIALOGUE: _("Talk with"),
    Rung.AGENDA: _("Residents set the agenda"),
    Rung.DECIDE: _("A hand on the wheel"),
}


@dataclass(frozen=True)
class Action:
    """Something a person can do in a method, when, and with how much identity."""

    key: str
    label: Promise | str
    timings: frozenset[Timing] = frozenset({Timing.DURING})
    default_level: AssuranceLevel = AssuranceLevel.ANONYMOUS
    creates_contribution: bool = True


@dataclass(frozen=True)
class Export:
    key: str
    label: Promise | str
    content_type: str
    view: str  # dotted path to a view taking (request, method_instance)


@dataclass(frozen=True)
class MethodManifest:
    key: str
    name: Promise | str
    description: Promise | str
    rungs: tuple[Rung, ...]
    actions: tuple[Action, ...]
    # Dotted path to a callable(settings: dict) -> dict that returns cleaned settings or
    # raises django.core.exceptions.ValidationError.
    settings_validator: str
    default_settings: Mapping[str, Any] = field(default_factory=dict)
    exports: tuple[Export, ...] = ()
    # Dotted path to the module whose ``urlpatterns`` serve the method's pages, mounted at
    # /<municipality>/<process>/<method>/ ; ``None`` when the core pages are enough.
    urls: str | None = None
    # Dotted path to a callable(request, method_instance) -> HttpResponse for the main page.
    page_view: str | None = None
    # Dotted path to a callable(request, method_instance) -> HttpResponse: the method's own
    # content editor for staff (e.g. a survey's questions), at /stab/sak/<pk>/metode/<m>/innhald/.
    # The core has already checked the "manage_process" capability before calling it.
    staff_view: str | None = None
    # Dotted path to a callable(method_instance, rng: random.Random) -> int that seeds demo data.
    demo_seed: str | None = None
    contribution_kinds: tuple[str, ...] = ()

    def action(self, key: str) -> Action:
        for action in self.actions:
            if action.key == key:
                return action
        raise KeyError(key)

    def validate_settings(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        validator: Callable[[Mapping[str, Any]], dict[str, Any]] = import_string(
            self.settings_validator
        )
        return validator({**self.default_settings, **raw})


_REGISTRY: dict[str, MethodManifest] = {}
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{1,48}$")


class RegistryError(ValueError):
    pass


def register(manifest: MethodManifest) -> None:
    existing = _REGISTRY.get(manifest.key)
    if existing is not None and existing is not manifest:
        raise RegistryError(f"method key {manifest.key!r} is registered twice")
    _REGISTRY[manifest.key] = manifest


def get(key: str) -> MethodManifest:
    try:
        return _REGISTRY[key]
    except KeyError as exc:
        raise RegistryError(f"no method is registered as {key!r}") from exc


def all_manifests() -> list[MethodManifest]:
    return sorted(_REGISTRY.values(), key=lambda m: (min(m.rungs, default=0), m.key))


def problems(manifest: MethodManifest) -> list[str]:
    """Everything wrong with a manifest; the system check and contract tests use this."""
    found: list[str] = []
    if not KEY_RE.match(manifest.key):
        found.append(f"key {manifest.key!r} must be lower-case letters, digits and _")
    if not manifest.rungs or not all(isinstance(r, Rung) for r in manifest.rungs):
        found.append("rungs must name at least one rung of the ladder")
    keys = [a.key for a in manifest.actions]
    if not keys:
        found.append("a method offers at least one action")
    if len(keys) != len(set(keys)):
        found.append("action keys must be unique")
    for action in manifest.actions:
        if not action.timings or not action.timings <= set(Timing):
            found.append(f"action {action.key!r} has no valid timings")
        if action.default_level not in AssuranceLevel.values:
            found.append(f"action {action.key!r} has an unknown identity level")
    callables = [
        manifest.settings_validator,
        manifest.page_view,
        manifest.staff_view,
        manifest.demo_seed,
    ]
    callables += [e.view for e in manifest.exports]
    for dotted in filter(None, callables):
        try:
            import_string(dotted)
        except ImportError as exc:
            found.append(f"{dotted} cannot be imported: {exc}")
    if manifest.urls:
        try:
            importlib.import_module(manifest.urls)
        except ImportError as exc:
            found.append(f"{manifest.urls} cannot be imported: {exc}")
    if not found:
        try:
            manifest.validate_settings({})
        except Exception as exc:
            found.append(f"default settings do not validate: {exc}")
    return found
