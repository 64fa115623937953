"""Hurtigavstemming – quick poll: the plug-in the core reads to show, permit, export and seed it."""

from __future__ import annotations

import random

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver, path
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from medvirk.identity.models import AssuranceLevel
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

from . import demo, exports, queries, staff_views, views
from .actions import ACTION, AFTER_VOTE, KIND
from .forms import PollSettings, VoteForm
from .personal_data import PollVotes


class Poll(MethodPlugin):
    key = "poll"
    name = _("Quick poll")
    description = _(
        "One question with a few options, on the case page or embedded on another site; "
        "one vote per person, results with counts and a chart."
    )
    rungs = (Rung.ASK,)
    catalogue_entries = ("opinion_poll",)
    actions = (
        Action(
            key=ACTION,
            label=_("Vote in the poll"),
            timings=frozenset({Timing.DURING}),
            # Staff can ask for e-mail or a verified identity ("Identity needed to take part").
            default_level=AssuranceLevel.ANONYMOUS,
        ),
    )
    contribution_kinds = (
        ContributionKind(key=KIND, label=_("Poll vote"), action=ACTION, form=VoteForm),
    )
    exports = (
        Export(
            key="resultat-csv",
            label=_("Results as CSV (votes per option; small counts hidden)"),
            content_type="text/csv",
            view=exports.results_csv,
            audience="public",
            available=exports.results_public,
        ),
    )
    settings_form = PollSettings
    personal_data = (PollVotes(),)
    demo = DemoInstance(
        slug="hurtigavstemming",
        title="Hurtigavstemming om den nye skulen",
        description="Eitt spørsmål, eitt klikk: kva er viktigast for deg?",
        settings={"results_shown": AFTER_VOTE},
    )

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
        return views.page(request, instance)

    def urlpatterns(self) -> list[URLPattern | URLResolver]:
        return [path("embed/", views.embed, name="embed")]

    def staff_editor(self, request: HttpRequest, instance: MethodInstance) -> HttpResponse:
        return staff_views.editor(request, instance)

    def report_section(self, instance: MethodInstance) -> SafeString:
        """The result once everyone may see it (the poll has closed), with the chart and
        the table, small counts hidden; before that, a sentence that it is not published."""
        results = queries.report_results(instance)
        if results is not None and results.question is None:
            return SafeString("")  # closed before staff wrote a question: nothing to report
        context = {
            "results": results,
            "chart": views.chart(results, f"report-poll-{instance.pk}") if results else "",
            "suppress_below": queries.SUPPRESS_BELOW,
        }
        return render_to_string("poll/report_section.html", context)

    def demo_seed(self, instance: MethodInstance, rng: random.Random) -> int:
        return demo.seed(instance, rng)
