"""Innbyggarpanel: the plug-in the core reads to show, permit, export and seed it."""

from __future__ import annotations

import random
from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from medvirk.algorithms.representation import Participant
from medvirk.identity.models import AssuranceLevel
from medvirk.processes.phases import Timing
from medvirk.processes.registry import Action, DemoInstance, Export, MethodPlugin
from medvirk.processes.types import MethodInstance
from medvirk.vocabulary import Rung

from . import demo, draws, lottery_views, participants, queries, staff_views, views
from .personal_data import SECTIONS

JOIN = "join"


class Panel(MethodPlugin):
    key = "panel"
    name = _("Residents' panel (innbyggarpanel)")
    description = _(
        "A standing panel of residents with a profile they agree to give. For a survey or "
        "a dialogue, staff invite a group drawn by a fair, published lottery so that those "
        "invited match the population."
    )
    rungs = (Rung.ASK,)
    catalogue_entries = ("residents_panel",)
    actions = (
        Action(
            key=JOIN,
            label=_("Join the residents' panel"),
            timings=frozenset({Timing.BEFORE, Timing.DURING, Timing.AFTER}),
            # Invitations go by e-mail: members need a verified address.
            default_level=AssuranceLevel.EMAIL,
            creates_contribution=False,
        ),
    )
    exports = (
        Export(
            key="loddtrekning",
            label=_("The published lotteries: quotas, pool by code, panels and chances (ZIP)"),
            content_type="application/zip",
            view=lottery_views.lottery_zip,
            audience="public",
            available=lottery_views.has_draws,
        ),
        Export(
            key="svarprosent-csv",
            label=_("Invitations and response rates per group, with weights (CSV)"),
            content_type="text/csv",
            view=staff_views.response_rates_csv,
        ),
    )
    personal_data = SECTIONS
    demo = DemoInstance(
        slug="innbyggarpanel",
        title="Innbyggarpanelet i Lillevik",
        description=(
            "Bli med i panelet: når kommunen spør, trekkjer vi ut ei gruppe som liknar "
            "innbyggjarane. Loddtrekninga er open, og du kan gå ut når du vil."
        ),
    )

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
        return views.page(request, instance)

    def urlpatterns(self) -> list[URLPattern | URLResolver]:
        return [*views.URLS, *lottery_views.URLS, *staff_views.URLS]

    def staff_editor(self, request: HttpRequest, instance: MethodInstance) -> HttpResponse:
        return staff_views.editor(request, instance)

    def report_section(self, instance: MethodInstance) -> SafeString:
        """How many are in the panel and each published draw: the quotas from the
        population beside those invited, as the draw's public page shows them."""
        context = {"report": queries.report(instance), "suppress_below": draws.SUPPRESS_BELOW}
        return render_to_string("panel/report_section.html", context)

    def participants(self, instance: MethodInstance) -> Iterable[Participant]:
        return participants.participants(instance)

    def demo_seed(self, instance: MethodInstance, rng: random.Random) -> int:
        return demo.seed(instance, rng)
