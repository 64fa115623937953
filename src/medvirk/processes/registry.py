"""Method plug-ins: what each participation method offers, registered at start-up.

A method app subclasses :class:`MethodPlugin` and calls :func:`register` with an instance
from its ``AppConfig.ready``. The core renders process pages, permissions, responses,
exports, the demo and a person's data from the plug-ins, so adding a method touches only
the method's own folder (see docs/methods/README.md). Everything here is typed: mypy
checks a plug-in, and :func:`problems` (system check ``medvirk.E001`` and
``tests/contract/``) checks what typing cannot.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from django import forms
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver
from django.urls.resolvers import RegexPattern
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from medvirk.algorithms.representation import Participant
from medvirk.identity import personal_data
from medvirk.identity.models import AssuranceLevel
from medvirk.identity.personal_data import PersonalDataSection
from medvirk.vocabulary import Capability, PhaseKind, Rung

from .phases import Timing

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.models import User
    from medvirk.organisations.models import Municipality

    from .models import MethodInstance

StrOrPromise = str | Promise

RUNG_LABELS: dict[Rung, Promise] = {
    Rung.INFORM: _("Inform"),
    Rung.ASK: _("Ask"),
    Rung.DIALOGUE: _("Talk with"),
    Rung.AGENDA: _("Residents set the agenda"),
    Rung.DECIDE: _("A hand on the wheel"),
}


def rung_label(rung: Rung) -> Promise:
    return RUNG_LABELS[rung]


@dataclass(frozen=True)
class Action:
    """Something a person can do in a method, when, and with how much identity."""

    key: str
    label: StrOrPromise
    timings: frozenset[Timing] = frozenset({Timing.DURING})
    default_level: AssuranceLevel = AssuranceLevel.ANONYMOUS
    creates_contribution: bool = True


@dataclass(frozen=True)
class ContributionKind:
    """A kind of input the method creates, the action that creates it and where its form is.

    ``form`` is the form class that takes this input; ``url_name`` names the pattern among
    the plug-in's own URLs that serves it ("" is the method's main page). The contract test
    opens that address and finds the form's fields there.
    """

    key: str
    label: StrOrPromise
    action: str
    form: type[forms.BaseForm]
    url_name: str = ""


ExportView = Callable[[HttpRequest, "MethodInstance"], HttpResponseBase]


@dataclass(frozen=True)
class Export:
    """A download the method offers. Public exports are listed on the case's open-data page
    and must apply the suppression rules; staff exports need the ``export`` capability."""

    key: str
    label: StrOrPromise
    content_type: str
    view: ExportView
    audience: Literal["public", "staff"] = "staff"
    # Whether it can be offered for this instance now (e.g. results made public).
    available: Callable[[MethodInstance], bool] = lambda instance: True


class SettingsForm(forms.Form):
    """A method's settings as a form: fields, their ``initial`` as the defaults, ``clean``.

    Stored settings are JSON; :meth:`from_settings` binds stored values so the same
    validation runs for the staff page, the demo and a stored row.
    """

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        return {name: field.initial for name, field in cls.base_fields.items()}

    @classmethod
    def from_settings(cls, raw: Mapping[str, Any]) -> SettingsForm:
        data: dict[str, Any] = {**cls.defaults(), **raw}
        # A checkbox posts nothing when off: bind booleans as the strings a browser sends.
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.BooleanField):
                data[name] = "on" if data.get(name) is True else ""
        return cls(data=data)

    def settings(self) -> dict[str, Any]:
        """The cleaned values as JSON-safe settings (call after ``is_valid``)."""
        return {name: self.cleaned_data[name] for name in self.fields}


class NoSettings(SettingsForm):
    """For a method without settings."""


class SettingsInvalid(ValueError):
    def __init__(self, form: forms.BaseForm) -> None:
        self.form = form
        messages = []
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else None
            for error in errors:
                messages.append(f"{label}: {error}" if label else str(error))
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class DemoInstance:
    """How the method appears in the Lillevik demo: its instance, in a phase of this kind."""

    slug: str
    title: str
    description: str
    phase_kind: PhaseKind = PhaseKind.INVESTIGATION
    settings: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class MethodStatus:
    """A method's own state in words, when its dates are not the phase's (a høyring's
    period): ``key`` is "open", "upcoming" or "closed"."""

    key: str
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class PrimaryAction:
    """The button the case page shows on the method's card ("Send innspel")."""

    label: StrOrPromise
    url: str


@dataclass(frozen=True)
class VoterGroup:
    """People a method knows as a group (a body's members), offered to other methods as
    "who may take part" (a body allocating a budget). ``key`` is "<plugin key>:<id>"."""

    key: str
    label: StrOrPromise


class MethodPlugin(ABC):
    """One participation method. Subclass, fill the class attributes, implement :meth:`page`.

    URLs: :meth:`urlpatterns` lists the method's own pages, relative to the instance's
    address ``/<kommune>/<sak>/<instance-slug>/``. Their views take ``(request, instance,
    **kwargs)``: the core has already found the instance (scoped to its municipality,
    drafts hidden) before it dispatches, so two instances never share an address.
    """

    key: ClassVar[str]
    name: ClassVar[StrOrPromise]
    description: ClassVar[StrOrPromise]
    rungs: ClassVar[tuple[Rung, ...]]
    actions: ClassVar[tuple[Action, ...]]
    contribution_kinds: ClassVar[tuple[ContributionKind, ...]] = ()
    exports: ClassVar[tuple[Export, ...]] = ()
    settings_form: ClassVar[type[SettingsForm]] = NoSettings
    # Settings that differ per phase of the case (e.g. whether new input is taken in a
    # phase); ``None`` when the method has none.
    phase_settings_form: ClassVar[type[SettingsForm] | None] = None
    # Staff capabilities the method's staff pages need (the core checks them).
    capabilities: ClassVar[frozenset[Capability]] = frozenset({Capability.MANAGE_PROCESS})
    # What the method keeps about a person, for "Mine data" and erasure.
    personal_data: ClassVar[tuple[PersonalDataSection, ...]] = ()
    # The method's instance in the Lillevik demo (nynorsk texts); None: not in the demo.
    demo: ClassVar[DemoInstance | None] = None
    # The planner's catalogue entries (methods-v1.json keys) this method runs.
    catalogue_entries: ClassVar[tuple[str, ...]] = ()

    # -- pages ----------------------------------------------------------------------------

    @abstractmethod
    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
        """The method's main page for residents."""

    def urlpatterns(self) -> list[URLPattern | URLResolver]:
        """The method's further pages, relative to the instance address."""
        return []

    def staff_editor(self, request: HttpRequest, instance: MethodInstance) -> HttpResponse:
        """The method's own content editor for staff (a survey's questions)."""
        raise NotImplementedError

    def status(self, instance: MethodInstance, now: dt.datetime) -> MethodStatus | None:
        """The method's state when its own dates decide it; None: the phase's dates do.
        Asked only for a published, open instance of a published case."""
        return None

    def primary_action(self, instance: MethodInstance) -> PrimaryAction | None:
        """A button for the case page's card, when the method offers one right now."""
        return None

    # -- groups other methods may use ----------------------------------------------------

    def voter_groups(self, municipality: Municipality) -> list[VoterGroup]:
        """Groups of people this method knows in a municipality (keys "<self.key>:<id>")."""
        return []

    def in_voter_group(self, user: User | AnonymousUser, key: str) -> bool:
        """Is ``user`` in this method's group ``key`` now?"""
        return False

    def case_card(self, instance: MethodInstance) -> SafeString:
        """HTML the case page shows on the method's card (a body's statement, a result),
        rendered from the method's template (``render_to_string``), or "". Asked only for
        a published instance; keep it short."""
        return SafeString("")

    def report_section(self, instance: MethodInstance) -> SafeString:
        """The method's results for the case's council report (a PDF for the
        saksframlegg, ``medvirk.insights.report``): HTML rendered from the method's own
        template, for paper — no scripts, forms or links needed to read it; a table beside
        every chart; public figures only (counts under 5 suppressed, nothing held, hidden,
        rejected or private, no names unless shown publicly). Headings start at ``<h4>``:
        the core prints the method's name, phase, dates and counts above it as ``<h3>``.
        Rendered in the municipality's language. Asked for every published instance of the
        case; "" when the method has nothing to add to the core's counts."""
        return SafeString("")

    # -- who took part ---------------------------------------------------------------------

    def participants(self, instance: MethodInstance) -> Iterable[Participant]:
        """Everyone who took part in ``instance``, one :class:`Participant` each, with only
        what they gave with consent (age range, sex, district; never inferred) and the
        channel. The case's "who took part" page compares them with the population
        (``medvirk.insights``). Default: the method reports no one."""
        return ()

    @property
    def has_staff_editor(self) -> bool:
        return type(self).staff_editor is not MethodPlugin.staff_editor

    # -- data -----------------------------------------------------------------------------

    def demo_seed(self, instance: MethodInstance, rng: random.Random) -> int:
        """Fill a demo instance with believable content; returns how many inputs it made."""
        return 0

    # -- derived --------------------------------------------------------------------------

    @property
    def rung_labels(self) -> list[Promise]:
        return [rung_label(r) for r in self.rungs]

    def action(self, key: str) -> Action:
        for action in self.actions:
            if action.key == key:
                return action
        raise KeyError(key)

    def export(self, key: str) -> Export:
        for export in self.exports:
            if export.key == key:
                return export
        raise KeyError(key)

    def url(self, instance: MethodInstance, name: str = "", **kwargs: Any) -> str:
        """The address of one of the method's pages for this instance ("" is the main page)."""
        base = instance.get_absolute_url()
        if not name:
            return base
        return base + str(self.resolver.reverse(name, **kwargs))

    def kind_url(self, instance: MethodInstance, kind: ContributionKind) -> str:
        """Where the form for ``kind`` is served for this instance. Override when the page
        takes arguments (a gjestebod host's private link): the contract test opens it."""
        return self.url(instance, kind.url_name)

    def export_url(self, instance: MethodInstance, key: str) -> str:
        """Where the core serves one of the method's exports (``eksport/<key>/``)."""
        self.export(key)  # KeyError for an export the method does not declare
        return instance.get_absolute_url() + f"eksport/{key}/"

    def default_settings(self) -> dict[str, Any]:
        return self.validate_settings({})

    def validate_settings(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Cleaned settings, or :class:`SettingsInvalid` with messages for people."""
        return clean_settings(self.settings_form, raw)

    def validate_phase_settings(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        if self.phase_settings_form is None:
            if raw:
                raise SettingsInvalid(_unknown_form(sorted(raw)))
            return {}
        return clean_settings(self.phase_settings_form, raw)

    @cached_property
    def resolver(self) -> URLResolver:
        """The method's own URLs as one resolver (the core serves "" and ``eksport/``)."""
        return URLResolver(RegexPattern(r"^"), self.urlpatterns())


def clean_settings(form_class: type[SettingsForm], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Stored or submitted settings through the method's form: unknown names and values of
    the wrong type (a stored "yes" for a yes/no setting) are refused, never guessed."""
    unknown = sorted(set(raw) - set(form_class.base_fields))
    if unknown:
        raise SettingsInvalid(_unknown_form(unknown))
    form = form_class.from_settings(raw)
    if not form.is_valid():
        raise SettingsInvalid(form)
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.BooleanField) and not isinstance(raw.get(name, False), bool):
            form.add_error(name, _("Must be yes or no."))
    if form.errors:
        raise SettingsInvalid(form)
    return form.settings()


def _unknown_form(names: list[str]) -> forms.Form:
    form = forms.Form(data={})
    form.is_valid()
    form.add_error(None, _("Unknown settings: %(names)s.") % {"names": ", ".join(names)})
    return form


_REGISTRY: dict[str, MethodPlugin] = {}
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{1,48}$")


class RegistryError(ValueError):
    pass


def register(plugin: MethodPlugin) -> None:
    """Add a method; its personal-data sections join «Mine data» and erasure."""
    existing = _REGISTRY.get(plugin.key)
    if existing is not None:
        # Django runs ready() again when a test changes INSTALLED_APPS: same class, no news.
        if type(existing) is type(plugin):
            return
        raise RegistryError(f"method key {plugin.key!r} is registered twice")
    _REGISTRY[plugin.key] = plugin
    for section in plugin.personal_data:
        personal_data.register(section)


def unregister(key: str) -> None:
    """For tests that install a method of their own."""
    plugin = _REGISTRY.pop(key, None)
    for section in plugin.personal_data if plugin else ():
        personal_data.unregister(section.key)


def get(key: str) -> MethodPlugin:
    try:
        return _REGISTRY[key]
    except KeyError as exc:
        raise RegistryError(f"no method is registered as {key!r}") from exc


def instance_url(instance: MethodInstance, name: str = "", **kwargs: Any) -> str:
    """The address of one of an instance's pages (``""``: its main page)."""
    return get(instance.method_key).url(instance, name, **kwargs)


def all_plugins() -> list[MethodPlugin]:
    return sorted(_REGISTRY.values(), key=lambda m: (min(m.rungs, default=0), m.key))


def voter_groups(municipality: Municipality) -> list[VoterGroup]:
    """Every group any method offers in ``municipality`` (a body's members, ...)."""
    return [group for p in all_plugins() for group in p.voter_groups(municipality)]


def in_voter_group(user: User | AnonymousUser, key: str) -> bool:
    """Is ``user`` in group ``key``? Asks the method the key names; unknown keys: no."""
    plugin = _REGISTRY.get(key.partition(":")[0])
    return plugin is not None and plugin.in_voter_group(user, key)


def choices() -> list[tuple[str, StrOrPromise]]:
    return [(p.key, p.name) for p in all_plugins()]


def problems(plugin: MethodPlugin) -> list[str]:
    """Everything wrong with a plug-in; the system check and contract tests use this."""
    found: list[str] = []
    key = getattr(plugin, "key", "")
    if not isinstance(key, str) or not KEY_RE.match(key):
        found.append(f"key {key!r} must be lower-case letters, digits and _")
    missing = [a for a in ("name", "description", "rungs", "actions") if not hasattr(plugin, a)]
    if missing:
        return [*found, *(f"{attr} is missing" for attr in missing)]
    if not plugin.rungs or not all(isinstance(r, Rung) for r in plugin.rungs):
        found.append("rungs must name at least one rung of the ladder")
    keys = [a.key for a in plugin.actions]
    if not keys:
        found.append("a method offers at least one action")
    if len(keys) != len(set(keys)):
        found.append("action keys must be unique")
    for action in plugin.actions:
        if not action.timings or not action.timings <= set(Timing):
            found.append(f"action {action.key!r} has no valid timings")
        if action.default_level not in AssuranceLevel.values:
            found.append(f"action {action.key!r} has an unknown identity level")
    kinds = {k.action: k for k in plugin.contribution_kinds}
    for kind in plugin.contribution_kinds:
        if kind.action not in keys:
            found.append(f"contribution kind {kind.key!r} names unknown action {kind.action!r}")
        if not (isinstance(kind.form, type) and issubclass(kind.form, forms.BaseForm)):
            found.append(f"contribution kind {kind.key!r} has no form class")
    for action in plugin.actions:
        if action.creates_contribution and action.key not in kinds:
            found.append(f"action {action.key!r} creates input but no contribution kind has a form")
    if len({k.key for k in plugin.contribution_kinds}) != len(plugin.contribution_kinds):
        found.append("contribution kind keys must be unique")
    if len({e.key for e in plugin.exports}) != len(plugin.exports):
        found.append("export keys must be unique")
    for export in plugin.exports:
        if not callable(export.view):
            found.append(f"export {export.key!r} has no view")
        if export.audience not in ("public", "staff"):
            found.append(f"export {export.key!r} has an unknown audience")
    if not issubclass(plugin.settings_form, SettingsForm):
        found.append("settings_form must be a SettingsForm")
    if not all(isinstance(c, Capability) for c in plugin.capabilities):
        found.append("capabilities must be vocabulary.Capability values")
    entries = plugin.catalogue_entries
    if not isinstance(entries, tuple) or not all(
        isinstance(e, str) and KEY_RE.match(e) for e in entries
    ):
        found.append("catalogue_entries must be a tuple of catalogue keys")
    elif len(set(entries)) != len(entries):
        found.append("catalogue_entries must be unique")
    try:
        resolver = plugin.resolver
        names = set(resolver.reverse_dict.keys())
    except Exception as exc:
        found.append(f"its URLs do not load: {exc}")
        names = set()
    for kind in plugin.contribution_kinds:
        if kind.url_name and kind.url_name not in names:
            found.append(f"contribution kind {kind.key!r}: no URL named {kind.url_name!r}")
    if not found:
        try:
            plugin.validate_settings({})
        except Exception as exc:
            found.append(f"default settings do not validate: {exc}")
    return found
