"""Forms for the staff area. Validation messages are translatable and tied to fields."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from medvirk.accountability.models import ResponseStatus
from medvirk.contributions.models import Channel, ModerationState
from medvirk.identity.models import AssuranceLevel
from medvirk.processes import registry
from medvirk.processes.actions import RESERVED_SLUGS
from medvirk.processes.models import MethodInstance, Phase, PhaseKind, Process

TEXT_MAX = 5000
RESERVED_METHOD_SLUGS = RESERVED_SLUGS
# Text areas checked for plain language as staff type (static/medvirk/klarsprak.js).
KLARSPRAK = {"data-klarsprak-url": reverse_lazy("staff:klarsprak")}


class ProcessForm(forms.ModelForm):
    topics_text = forms.CharField(
        label=_("Topics"),
        required=False,
        max_length=300,
        help_text=_("Separate with commas, for example: school, children, buildings."),
    )

    class Meta:
        model = Process
        fields = [
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
        ]
        widgets = {
            "decision_expected": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 3, **KLARSPRAK}),
            "open_to_influence": forms.Textarea(attrs={"rows": 3, **KLARSPRAK}),
            "already_decided": forms.Textarea(attrs={"rows": 3, **KLARSPRAK}),
            "body": forms.Textarea(attrs={"rows": 8, **KLARSPRAK}),
        }
        help_texts = {
            "summary": _("Point first, short sentences, explain terms."),
            "open_to_influence": _("Be honest about what input can still change."),
            "slug": _("Used in the web address. Letters, digits and hyphens."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        if self.instance.pk:
            self.fields["topics_text"].initial = ", ".join(self.instance.topics)

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("title", ""))
        if not slug:
            raise forms.ValidationError(_("Give the case an address name."))
        return slug[:80]

    def clean_topics_text(self) -> list[str]:
        raw = self.cleaned_data.get("topics_text", "")
        return [t.strip()[:40] for t in raw.split(",") if t.strip()][:10]

    def values(self) -> dict[str, Any]:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
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
    method_key = forms.ChoiceField(label=_("Method"))
    phase = forms.ModelChoiceField(label=_("Phase"), queryset=Phase.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(label=_("Address name"), max_length=80, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea({"rows": 3})
    )
    settings_json = forms.CharField(
        label=_("Settings (JSON)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("Leave empty for the method's defaults."),
    )
    min_level = forms.TypedChoiceField(
        label=_("Identity needed to take part"),
        choices=[("", _("The method's default")), *list(AssuranceLevel.choices)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    is_published = forms.BooleanField(label=_("Published"), required=False)

    def __init__(self, process: Process, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = process.phases.all()  # type: ignore[attr-defined]
        self.fields["method_key"].choices = [  # type: ignore[attr-defined]
            (m.key, m.name) for m in registry.all_manifests()
        ]

    def clean_settings_json(self) -> dict[str, Any]:
        raw = self.cleaned_data.get("settings_json", "").strip()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("Settings must be valid JSON.")) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Settings must be a JSON object."))
        return value

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
        "method_key": instance.method_key,
        "phase": instance.phase_id,
        "title": instance.title,
        "slug": instance.slug,
        "description": instance.description,
        "settings_json": json.dumps(instance.settings, ensure_ascii=False),
        "min_level": next(iter(levels.values())) if levels else None,
        "is_published": instance.is_published,
    }


class RespondForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ResponseStatus.choices)
    reason = forms.CharField(
        label=_("Reason (begrunnet tilbakemelding)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("Say what the input was used for, or why not. Plain language."),
    )


class BulkRespondForm(RespondForm):
    ids = forms.TypedMultipleChoiceField(label=_("Input"), coerce=int, choices=())

    def __init__(self, allowed_ids: list[int], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(i, str(i)) for i in allowed_ids]  # type: ignore[attr-defined]


class ModerateForm(forms.Form):
    state = forms.ChoiceField(label=_("Show publicly?"), choices=ModerationState.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class OfflineForm(forms.Form):
    method = forms.ModelChoiceField(label=_("Method"), queryset=MethodInstance.objects.none())
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[c for c in Channel.choices if c[0] != Channel.WEB]
    )
    text = forms.CharField(
        label=_("The input"), max_length=TEXT_MAX, widget=forms.Textarea({"rows": 6})
    )
    author_name = forms.CharField(label=_("Name (if given)"), required=False, max_length=150)
    show_name = forms.BooleanField(label=_("The person wants the name shown"), required=False)
    contact_email = forms.EmailField(label=_("E-mail for the answer"), required=False)

    def __init__(self, process: Process, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].queryset = process.methods.all()  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    body = forms.CharField(label=_("Decided by (body)"), max_length=200)
    is_pending = forms.BooleanField(label=_("Not decided yet"), required=False)
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=_("Decision"), max_length=10000, widget=forms.Textarea({"rows": 5})
    )
    link_status = forms.MultipleChoiceField(
        label=_("Link the answers with these statuses"),
        choices=ResponseStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
