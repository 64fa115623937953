"""Informere: the case page is the information; residents ask the municipality questions."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from medvirk.identity.models import AssuranceLevel
from medvirk.processes.phases import Timing
from medvirk.processes.registry import (
    Action,
    ContributionKind,
    DemoInstance,
    MethodPlugin,
    SettingsForm,
)
from medvirk.processes.types import MethodInstance
from medvirk.vocabulary import Rung

from . import queries, views
from .forms import QuestionForm


class InformationSettings(SettingsForm):
    allow_questions = forms.BooleanField(
        label=_("Residents can ask questions"), required=False, initial=True
    )


class Information(MethodPlugin):
    key = "information"
    name = _("Information")
    description = _(
        "Facts, timeline and what is open to influence, with questions residents can ask."
    )
    rungs = (Rung.INFORM,)
    catalogue_entries = ("information",)
    actions = (
        Action(
            key=views.ACTION,
            label=_("Ask a question"),
            timings=frozenset({Timing.BEFORE, Timing.DURING}),
            default_level=AssuranceLevel.ANONYMOUS,
        ),
    )
    contribution_kinds = (
        ContributionKind(
            key=queries.KIND, label=_("Question"), action=views.ACTION, form=QuestionForm
        ),
    )
    settings_form = InformationSettings
    demo = DemoInstance(
        slug="informasjon",
        title="Spør kommunen om skulesaka",
        description="Still spørsmål om fakta i saka. Vi svarar offentleg.",
    )

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
        return views.page(request, instance)

    def report_section(self, instance: MethodInstance) -> SafeString:
        """The published questions counted by the municipality's answer; "" for a page
        that takes no questions and has none (the core's counts say it all)."""
        found = queries.questions(instance)
        if not found.asked and not instance.settings.get("allow_questions", True):
            return SafeString("")
        return render_to_string("information/report_section.html", {"questions": found})
