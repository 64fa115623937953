"""Forms for the staff area. Validation messages are translatable and tied to fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _

from medvirk.contributions.types import ModerationMode, ModerationState
from medvirk.identity.types import AssuranceLevel
from medvirk.processes import queries as process_queries
from medvirk.processes.actions import RESERVED_SLUGS
from medvirk.processes.types import MethodInstance, Phase, PhaseKind, Process, ProcessStatus

TEXT_MAX = 5000
RESERVED_METHOD_SLUGS = RESERVED_SLUGS
# Text areas checked for plain language as staff type (static/medvirk/klarsprak.js).
KLARSPRAK = {"data-klarsprak-url": reverse_lazy("staff:klarsprak")}


class ProcessForm(forms.Form):
    """The case editor. A plain form, not a ModelForm: it never changes the case itself
    (``processes.actions.do_save_process`` does, and compares before and after for the
    audit row); its fields follow ``processes.models.Process`` (a test keeps them in step).
    """

    title = forms.CharField(label=capfirst(_("title")), max_length=200)
    slug = forms.SlugField(
        label=capfirst(_("address name")),
        max_length=80,
        required=False,
        help_text=_("Used in the web address. Letters, digits and hyphens."),
    )
    summary = forms.CharField(
        label=capfirst(_("summary in plain language")),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, **KLARSPRAK}),
        help_text=_("Point first, short sentences, explain terms."),
    )
    open_to_influence = forms.CharField(
        label=capfirst(_("what you can influence")),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, **KLARSPRAK}),
        help_text=_("Be honest about what input can still change."),
    )
    already_decided = forms.CharField(
        label=capfirst(_("what is already decided")),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, **KLARSPRAK}),
    )
    decided_by = forms.CharField(label=capfirst(_("who decides")), max_length=200)
    decision_expected = forms.DateField(
        label=capfirst(_("decision expected")),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    body = forms.CharField(
        label=capfirst(_("facts and background")),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, **KLARSPRAK}),
    )
    area = forms.CharField(label=capfirst(_("area")), max_length=200, required=False)
    status = forms.ChoiceField(
        label=capfirst(_("status")), choices=ProcessStatus.choices, initial=ProcessStatus.DRAFT
    )
    topics_text = forms.CharField(
        label=_("Topics"),
        required=False,
        max_length=300,
        help_text=_("Separate with commas, for example: school, children, buildings."),
    )

    # The case's own fields, in the order do_save_process takes them (not topics_text).
    FIELDS = (
        "title",
        "slug",
        "summary",
        "open_to_influence",
        "already_decided",
        "decided_by",
        "decision_expected",
        "body",
        "area",
        "status",
    )

    def __init__(self, *args: Any, process: Process | None = None, **kwargs: Any) -> None:
        if process is not None and "initial" not in kwargs:
            initial: dict[str, Any] = {f: getattr(process, f) for f in self.FIELDS}
            initial["topics_text"] = ", ".join(process.topics)
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("title", ""))
        if not slug:
            raise forms.ValidationError(_("Give the case an address name."))
        return slug[:80]

    def clean_topics_text(self) -> list[str]:
        raw = self.cleaned_data.get("topics_text", "")
        return [t.strip()[:40] for t in raw.split(",") if t.strip()][:10]

    def values(self) -> dict[str, Any]:
        data = {f: self.cleaned_data[f] for f in self.FIELDS}
        data["topics"] = self.cleaned_data["topics_text"]
        return data


class PhaseForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=PhaseKind.choices)
    start = forms.DateTimeField(
        label=_("Start"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    end = forms.DateTimeField(
        label=_("End"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea({"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] >= data["end"]:
            self.add_error("end", _("A phase must end after it starts."))
        return data


class MethodForm(forms.Form):
    """What every method instance has; the method's own settings are its plug-in's form."""

    phase: forms.ModelChoiceField[Phase] = forms.ModelChoiceField(label=_("Phase"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(label=_("Address name"), max_length=80, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea({"rows": 3})
    )
    min_level = forms.TypedChoiceField(
        label=_("Identity needed to take part"),
        choices=[("", _("The method's default")), *list(AssuranceLevel.choices)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    is_published = forms.BooleanField(label=_("Published"), required=False)
    moderation = forms.ChoiceField(
        label=_("Moderation"),
        choices=[("", _("Follow the municipality's setting")), *ModerationMode.choices],
        required=False,
        help_text=_(
            "Whether input here waits for a moderator's approval or is published at once "
            "with a report button. Input with contact details is always held."
        ),
    )

    def __init__(self, process: Process, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = process_queries.phases_of(process)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("slug") and data.get("title"):
            data["slug"] = slugify(data["title"])[:80] or "metode"
        if data.get("slug") in RESERVED_METHOD_SLUGS:
            self.add_error("slug", _("This address name is reserved. Choose another."))
        return data


def method_form_initial(instance: MethodInstance) -> dict[str, Any]:
    levels = instance.identity_levels
    return {
        "phase": instance.phase_id,
        "title": instance.title,
        "slug": instance.slug,
        "description": instance.description,
        "min_level": next(iter(levels.values())) if levels else None,
        "is_published": instance.is_published,
        "moderation": instance.moderation,
    }


class ModerateForm(forms.Form):
    state = forms.ChoiceField(label=_("Show publicly?"), choices=ModerationState.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
