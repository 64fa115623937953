"""Informere: updates published on the process page, followed by e-mail."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from medvirk.identity.models import AssuranceLevel
from medvirk.processes.phases import Timing
from medvirk.processes.registry import Action, MethodManifest, Rung


def validate_settings(raw: Mapping[str, Any]) -> dict[str, Any]:
    allow = raw.get("allow_questions", True)
    if not isinstance(allow, bool):
        raise ValidationError(_("'allow_questions' must be true or false."))
    return {"allow_questions": allow}


MANIFEST = MethodManifest(
    key="information",
    name=_("Information"),
    description=_(
        "Facts, timeline and what is open to influence, with questions residents can ask."
    ),
    rungs=(Rung.INFORM,),
    actions=(
        Action(
            key="ask_question",
            label=_("Ask a question"),
            timings=frozenset({Timing.BEFORE, Timing.DURING}),
            default_level=AssuranceLevel.ANONYMOUS,
        ),
    ),
    settings_validator="medvirk.methods.information.manifest.validate_settings",
    default_settings={"allow_questions": True},
    page_view="medvirk.methods.information.views.page",
    contribution_kinds=("question",),
)
