"""Meiningskart (opinion map): the plug-in the core reads to show, permit, export and seed it."""

from __future__ import annotations

import random

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from medvirk.core import audit_labels
from medvirk.processes.registry import (
    Action,
    ContributionKind,
    DemoInstance,
    Export,
    MethodPlugin,
    PrimaryAction,
)
from medvirk.processes.types import MethodInstance
from medvirk.vocabulary import Rung

from . import demo, drawing, exports, import_views, queries, staff_actions, staff_views, views
from .actions import ADD, STATEMENT_KIND, VOTE, is_open
from .forms import OpinionMapSettings, StatementForm
from .personal_data import SECTIONS

# The audit log's labels for this method's own codes (core/audit_labels.register).
audit_labels.register(
    {
        staff_actions.ADDED: _("Statement added to an opinion map"),
        staff_actions.UPDATED: _("Statement of an opinion map reworded"),
        staff_actions.REMOVED: _("Statement taken out of an opinion map's vote"),
        staff_actions.RESTORED: _("Statement put back in an opinion map's vote"),
        staff_actions.RECOMPUTED: _("Opinion map drawn again on request"),
        staff_actions.IMPORTED: _("Conversation imported into an opinion map from Pol.is"),
    }
)


class OpinionMap(MethodPlugin):
    key = "opinion_map"
    name = _("Opinion map")
    description = _(
        "Short statements to agree or disagree with, one at a time. A map shows the "
        "opinion groups, what sets each apart, and what most people in every group agree on."
    )
    rungs = (Rung.DIALOGUE,)
    catalogue_entries = ("opinion_map",)
    actions = (
        Action(key=VOTE, label=_("Vote on statements"), creates_contribution=False),
        Action(key=ADD, label=_("Add a statement")),
    )
    contribution_kinds = (
        ContributionKind(
            key=STATEMENT_KIND, label=_("Statement"), action=ADD, form=StatementForm, url_name="add"
        ),
    )
    exports = (
        Export(
            key="polis",
            label=_("The conversation in Pol.is format: votes, statements, participants (ZIP)"),
            content_type="application/zip",
            view=exports.polis_zip,
            audience="public",
            available=exports.polis_available,
        ),
    )
    settings_form = OpinionMapSettings
    personal_data = SECTIONS
    demo = DemoInstance(
        slug="meiningskart",
        title="Meiningskart: kva er vi samde om?",
        description=(
            "Sei deg samd eller usamd i korte påstandar om skulen. Kartet viser kva "
            "grupper som finst, og kva dei fleste i alle gruppene er samde om."
        ),
    )

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
        return views.page(request, instance)

    def urlpatterns(self) -> list[URLPattern | URLResolver]:
        return [*views.URLS, *staff_views.URLS, *import_views.URLS]

    def staff_editor(self, request: HttpRequest, instance: MethodInstance) -> HttpResponse:
        return staff_views.editor(request, instance)

    def demo_seed(self, instance: MethodInstance, rng: random.Random) -> int:
        return demo.seed(instance, rng)

    def report_section(self, instance: MethodInstance) -> SafeString:
        """The map as its public page shows it: the groups and their sizes (under 5 people
        not a group), what every group agrees on and what sets each apart."""
        view = queries.report_view(instance)
        svg = ""
        if view.drawn:
            svg = drawing.map_svg(
                view,
                title=gettext("Opinion map: %(title)s") % {"title": instance.title},
                description=views.describe(view),
                uid=f"report-opinion-map-{instance.pk}",
                own_text="",
            )
        for group in view.groups:
            group.key = drawing.legend_symbol(group.symbol)
        context = {
            "view": view,
            "svg": svg,
            "outside_key": drawing.legend_symbol(-1),
            "suppress_below": queries.SUPPRESS_BELOW,
        }
        return render_to_string("opinion_map/report_section.html", context)

    def primary_action(self, instance: MethodInstance) -> PrimaryAction | None:
        if not is_open(instance):
            return None
        return PrimaryAction(gettext("Agree or disagree"), instance.get_absolute_url())
