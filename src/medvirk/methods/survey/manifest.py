"""Spørre – survey: the manifest the core reads to show, permit and export the method."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from medvirk.identity.models import AssuranceLevel
from medvirk.processes.phases import Timing
from medvirk.processes.registry import Action, Export, MethodManifest, Rung

BOOLEAN_SETTINGS: dict[str, bool] = {
    # Answer without logging in (the default: a low threshold).
    "allow_anonymous": True,
    # Offer a field for an e-mail address to hear back.
    "ask_contact_email": True,
    # Show the results page to everyone, not only to the municipality's staff.
    "results_public": False,
}


def validate_settings(raw: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(raw) - set(BOOLEAN_SETTINGS))
    if unknown:
        raise ValidationError(
            _("Unknown survey settings: %(names)s."), params={"names": ", ".join(unknown)}
        )
    cleaned: dict[str, Any] = {}
    for name, default in BOOLEAN_SETTINGS.items():
        value = raw.get(name, default)
        if not isinstance(value, bool):
            raise ValidationError(_("'%(name)s' must be true or false."), params={"name": name})
        cleaned[name] = value
    return cleaned


MANIFEST = MethodManifest(
    key="survey",
    name=_("Survey"),
    description=_(
        "Questions with single or multiple choice, a scale, free text and ranking; "
        "results with charts and tables."
    ),
    rungs=(Rung.ASK,),
    actions=(
        Action(
            key="answer",
            label=_("Answer the survey"),
            timings=frozenset({Timing.DURING}),
            default_level=AssuranceLevel.ANONYMOUS,
        ),
    ),
    settings_validator="medvirk.methods.survey.manifest.validate_settings",
    default_settings=dict(BOOLEAN_SETTINGS),
    exports=(
        Export(
            key="csv",
            label=_("Answers as CSV (one row per answer set)"),
            content_type="text/csv",
            view="medvirk.methods.survey.views.export_csv",
        ),
    ),
    urls="medvirk.methods.survey.urls",
    page_view="medvirk.methods.survey.views.page",
    staff_view="medvirk.methods.survey.staff_views.editor",
    demo_seed="medvirk.methods.survey.demo.seed",
    contribution_kinds=("survey_answer",),
)
