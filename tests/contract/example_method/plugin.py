"""Ideas (example): the plug-in the core reads to show, permit, export and seed the method."""

from __future__ import annotations

import random

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _

from medvirk.identity.types import AssuranceLevel
from medvirk.processes.phases import Timing
from medvirk.processes.registry import (
    Action,
    ContributionKind,
    DemoInstance,
    Export,
    MethodPlugin,
)
from medvirk.processes.types import MethodInstance
from medvirk.vocabulary import Rung

from . import demo, views
from .actions import ACTION, KIND
from .forms import ExamplePhaseSettings, ExampleSettings, IdeaForm


def _ideas_shown(instance: MethodInstance) -> bool:
    return bool(instance.settings.get("show_ideas", True))


class ExampleIdea(MethodPlugin):
    key = "example_idea"
    name = _("Ideas (example)")
    description = _("Residents hand in a short idea; the municipality answers each one.")
    rungs = (Rung.ASK,)
    actions = (
        Action(
            key=ACTION,
            label=_("Hand in an idea"),
            # Ideas are welcome as soon as the page is published, until the phase ends.
            timings=frozenset({Timing.BEFORE, Timing.DURING}),
            default_level=AssuranceLevel.ANONYMOUS,
        ),
    )
    contribution_kinds = (
        ContributionKind(key=KIND, label=_("Idea"), action=ACTION, form=IdeaForm),
    )
    exports = (
        Export(
            key="idear-csv",
            label=_("Published ideas as CSV (text and date)"),
            content_type="text/csv",
            view=views.public_csv,
            audience="public",
            available=_ideas_shown,
        ),
        Export(
            key="alle-idear-csv",
            label=_("All ideas as CSV (with moderation state)"),
            content_type="text/csv",
            view=views.staff_csv,
            audience="staff",
        ),
    )
    settings_form = ExampleSettings
    phase_settings_form = ExamplePhaseSettings
    # An idea is a contribution and nothing more: the core's "contributions" section
    # already puts it in «Mine data» and takes the author off it on erasure.
    personal_data = ()
    demo = DemoInstance(
        slug="idear",
        title="Idear til uteområdet ved skulen",
        description="Kom med ei kort idé. Kommunen svarar på kvar einaste.",
    )

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
        return views.page(request, instance)

    def urlpatterns(self) -> list[URLPattern | URLResolver]:
        # The survey has a resultat/ too: each lives under its own instance's address.
        return [path("resultat/", views.results, name="results")]

    def demo_seed(self, instance: MethodInstance, rng: random.Random) -> int:
        return demo.seed(instance, rng)
