"""Spørre – survey: the plug-in the core reads to show, permit, export and seed the method."""

from __future__ import annotations

import random
from collections.abc import Iterable

from django import forms
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver, path
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from medvirk.algorithms.representation import Participant
from medvirk.identity.models import AssuranceLevel
from medvirk.processes.phases import Timing
from medvirk.processes.registry import (
    Action,
    ContributionKind,
    DemoInstance,
    Export,
    MethodPlugin,
    SettingsForm,
)
from medvirk.processes.types import MethodInstance
from medvirk.vocabulary import Rung

from . import actions, demo, exports, participants, queries, staff_views, views
from .forms import DetailsForm
from .personal_data import SurveyAnswers


class SurveySettings(SettingsForm):
    allow_anonymous = forms.BooleanField(
        label=_("Answer without logging in"),
        required=False,
        initial=True,
        help_text=_("A low threshold: anyone can answer without an account."),
    )
    ask_contact_email = forms.BooleanField(
        label=_("Offer a field for an e-mail address to hear back"),
        required=False,
        initial=True,
    )
    results_public = forms.BooleanField(
        label=_("Show the results to everyone"),
        required=False,
        initial=False,
        help_text=_("Otherwise only the municipality's staff see them."),
    )


def _results_public(instance: MethodInstance) -> bool:
    return queries.results_public(instance)


class Survey(MethodPlugin):
    key = "survey"
    name = _("Survey")
    description = _(
        "Questions with single or multiple choice, a scale, free text and ranking; "
        "results with charts and tables."
    )
    rungs = (Rung.ASK,)
    catalogue_entries = ("survey",)
    actions = (
        Action(
            key="answer",
            label=_("Answer the survey"),
            timings=frozenset({Timing.DURING}),
            default_level=AssuranceLevel.ANONYMOUS,
        ),
    )
    contribution_kinds = (
        # The answer set's fixed fields; each question adds its own (SurveyForm builds them).
        ContributionKind(
            key="survey_answer", label=_("Survey answer"), action="answer", form=DetailsForm
        ),
    )
    exports = (
        Export(
            key="svar-csv",
            label=_("Answers as CSV (one row per answer set)"),
            content_type="text/csv",
            view=exports.answers_csv,
            audience="staff",
        ),
        Export(
            key="resultat-csv",
            label=_("Results as CSV (counts per question and option; small groups hidden)"),
            content_type="text/csv",
            view=exports.results_csv,
            audience="public",
            available=_results_public,
        ),
    )
    settings_form = SurveySettings
    demo = DemoInstance(
        slug="sporjeundersoking",
        title="Spørjeundersøking om Lillevik skule",
        description="Fem minutt: kva meiner du om alternativa for skulen?",
        settings={"results_public": True},
    )
    personal_data = (SurveyAnswers(),)

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
        return views.page(request, instance)

    def urlpatterns(self) -> list[URLPattern | URLResolver]:
        return [
            path("resultat/", views.results, name="results"),
            path("takk/<int:pk>/<str:token>/", views.thanks, name="thanks"),
        ]

    def staff_editor(self, request: HttpRequest, instance: MethodInstance) -> HttpResponse:
        return staff_views.editor(request, instance)

    def report_section(self, instance: MethodInstance) -> SafeString:
        """The results page for the council report, per question with its chart and table;
        only when the results are public (as the results page decides for residents)."""
        data = queries.report_results(instance)
        if data is not None:
            for result in data.results:
                result.chart = views._chart_for(result)
        context = {
            "data": data,
            # The demographic questions last, under their own heading (as on the page).
            "ordered": [*data.main, *data.demographic] if data is not None else [],
            "one_per_person": actions.one_per_person(instance),
            "suppress_below": queries.SUPPRESS_BELOW,
        }
        return render_to_string("survey/report_section.html", context)

    def participants(self, instance: MethodInstance) -> Iterable[Participant]:
        return participants.participants(instance)

    def demo_seed(self, instance: MethodInstance, rng: random.Random) -> int:
        return demo.seed(instance, rng, 200)
