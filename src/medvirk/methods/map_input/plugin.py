"""Kartinnspel (map input, Barnetråkk): the plug-in the core reads to show, permit, export
and seed it."""

from __future__ import annotations

import random

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from medvirk.core import audit_labels
from medvirk.identity.types import AssuranceLevel
from medvirk.processes import permissions
from medvirk.processes.phases import Timing
from medvirk.processes.registry import (
    Action,
    ContributionKind,
    DemoInstance,
    Export,
    MethodPlugin,
    PrimaryAction,
)
from medvirk.processes.types import MethodInstance
from medvirk.vocabulary import PhaseKind, Rung

from . import config, demo, exports, queries, results, staff_views, teacher_views, views
from .actions import KIND, MARK
from .forms import MapSettings, MarkForm
from .staff_actions import AUDIT_LABELS

audit_labels.register(AUDIT_LABELS)


class MapInput(MethodPlugin):
    key = "map_input"
    name = _("Map input (kartinnspel, Barnetråkk)")
    description = _(
        "Residents, or school classes with a code, mark places, routes and areas on a map in "
        "categories you choose, or choose them from a list of named places instead. Results "
        "as a heat map, route density and counts per area, school and grade; each mark is "
        "input the municipality can answer."
    )
    rungs = (Rung.ASK, Rung.AGENDA)
    catalogue_entries = ("barnetrakk", "map_pins")
    actions = (
        Action(
            key=MARK,
            label=_("Mark on the map"),
            timings=frozenset({Timing.DURING}),
            default_level=AssuranceLevel.ANONYMOUS,
        ),
    )
    contribution_kinds = (
        ContributionKind(key=KIND, label=_("Map mark"), action=MARK, form=MarkForm),
    )
    exports = (
        Export(
            key="kart-geojson",
            label=_("Published marks as GeoJSON (category, comment, date; route ends cut)"),
            content_type="application/geo+json",
            view=exports.public_geojson,
            audience="public",
            available=exports.results_public,
        ),
        Export(
            key="kart-csv",
            label=_("Published marks as CSV (geometry as WKT)"),
            content_type="text/csv",
            view=exports.public_csv,
            audience="public",
            available=exports.results_public,
        ),
        Export(
            key="tal-csv",
            label=_("Counts per category, area, square, school and grade as CSV (under 5 hidden)"),
            content_type="text/csv",
            view=exports.public_counts,
            audience="public",
            available=exports.results_public,
        ),
        Export(
            key="alle-geojson",
            label=_("All marks as GeoJSON (with school, grade, moderation and time)"),
            content_type="application/geo+json",
            view=exports.staff_geojson,
        ),
        Export(
            key="alle-csv",
            label=_("All marks as CSV (with school, grade, moderation and time)"),
            content_type="text/csv",
            view=exports.staff_csv,
        ),
    )
    settings_form = MapSettings
    # The method's rows hold no person (a class is a school, a grade and a label); a mark is
    # a contribution, which the core's "contributions" section exports and erases.
    personal_data = ()
    demo = DemoInstance(
        slug="barnetrakk",
        title="Barnetråkk: skulevegen og nærmiljøet",
        description=(
            "Elevane på Lillevik skule teiknar skulevegen sin og merkjer stader dei likar, "
            "stader dei unngår og farlege kryss. Alle andre kan òg merkje på kartet, eller "
            "velje stader frå ei liste."
        ),
        phase_kind=PhaseKind.INVESTIGATION,
        settings=demo.SETTINGS,
    )

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
        return views.page(request, instance)

    def urlpatterns(self) -> list[URLPattern | URLResolver]:
        return [*views.URLS, *teacher_views.URLS, *staff_views.URLS]

    def staff_editor(self, request: HttpRequest, instance: MethodInstance) -> HttpResponse:
        return staff_views.editor(request, instance)

    def primary_action(self, instance: MethodInstance) -> PrimaryAction | None:
        """ "Mark on the map" while it takes marks (also when logging in would help)."""
        verdict = permissions.can_act(AnonymousUser(), instance, MARK)
        if not verdict and verdict.needs_level is None:
            return None
        return PrimaryAction(gettext("Mark on the map"), self.url(instance))

    def demo_seed(self, instance: MethodInstance, rng: random.Random) -> int:
        return demo.seed(instance, rng)

    def report_section(self, instance: MethodInstance) -> SafeString:
        """What the public results page shows, for paper: marks per category, area and
        school, the heat map and route density with their busiest squares, counts under
        the limit hidden; one sentence when staff keep the results from the public."""
        cfg = config.for_instance(instance)
        context: dict[str, object] = {"shown": cfg.show_results, "prefix": f"map-{instance.pk}-"}
        if cfg.show_results:
            places = queries.places(instance)
            marks = queries.marks(instance, published_only=True)
            res = results.compute(cfg, marks, places, public=True)
            context.update(res=res, figures=views.figures(cfg, res, places))
        return render_to_string("map_input/report_section.html", context)
