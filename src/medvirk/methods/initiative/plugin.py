"""Innbyggjarforslag (kommuneloven § 12-1): the plug-in the core reads to show, permit,
export and seed the method."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
    MethodStatus,
    PrimaryAction,
)
from medvirk.processes.types import MethodInstance
from medvirk.vocabulary import Rung

from . import demo, queries, staff_views, views
from .actions import KIND, PROPOSE, SIGN
from .forms import InitiativeSettings, ProposeForm
from .personal_data import SECTIONS
from .staff_actions import AUDIT_LABELS

audit_labels.register(AUDIT_LABELS)

# A proposal's signing runs on its own dates (up to twelve months), not the phase's.
ALL_TIMES = frozenset({Timing.BEFORE, Timing.DURING, Timing.AFTER})


class Initiative(MethodPlugin):
    key = "initiative"
    name = _("Citizens' initiative (innbyggjarforslag)")
    description = _(
        "Residents propose a matter for the council (kommuneloven § 12-1) and collect "
        "signatures with e-ID or on paper. At 2 per cent of the inhabitants, or 300 (500 in a "
        "county), the proposal is delivered and the council must take a position within "
        "six months, with reasons."
    )
    rungs = (Rung.AGENDA,)
    catalogue_entries = ("citizens_initiative",)
    actions = (
        Action(
            key=PROPOSE,
            label=_("Propose a matter for the council"),
            timings=frozenset({Timing.BEFORE, Timing.DURING}),
            default_level=AssuranceLevel.VERIFIED,
        ),
        Action(
            key=SIGN,
            label=_("Sign a proposal"),
            timings=ALL_TIMES,
            default_level=AssuranceLevel.VERIFIED,
            creates_contribution=False,
        ),
    )
    contribution_kinds = (
        ContributionKind(
            key=KIND,
            label=_("Citizens' initiative"),
            action=PROPOSE,
            form=ProposeForm,
            url_name="propose",
        ),
    )
    exports = (
        Export(
            key="forslag-csv",
            label=_("The proposals with their signature counts (CSV)"),
            content_type="text/csv",
            view=views.public_csv,
            audience="public",
        ),
        Export(
            key="forslag-stab-csv",
            label=_("Every proposal with exact counts and dates, for staff (CSV)"),
            content_type="text/csv",
            view=staff_views.staff_overview_csv,
        ),
    )
    settings_form = InitiativeSettings
    personal_data = SECTIONS
    demo = DemoInstance(
        slug="innbyggjarforslag",
        title="Innbyggjarforslag i Lillevik",
        description=(
            "Har du eit forslag til kommunestyret? Skriv det her, og samle underskrifter. "
            "Når 2 % av innbyggjarane har skrive under, må kommunestyret ta stilling til "
            "forslaget innan seks månader."
        ),
        settings={"postmottak": "postmottak@lillevik.example.org"},
    )

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
        return views.page(request, instance)

    def urlpatterns(self) -> list[URLPattern | URLResolver]:
        return [*views.URLS, *staff_views.URLS]

    def staff_editor(self, request: HttpRequest, instance: MethodInstance) -> HttpResponse:
        return staff_views.editor(request, instance)

    def status(self, instance: MethodInstance, now: dt.datetime) -> MethodStatus | None:
        """How many proposals collect signatures now, while any does (their dates, not the
        phase's, decide)."""
        collecting = len(queries.public_rows(instance, "samlar", now))
        if not collecting:
            return None
        text = ngettext(
            "%(n)d proposal is collecting signatures",
            "%(n)d proposals are collecting signatures",
            collecting,
        ) % {"n": collecting}
        return MethodStatus("open", text)

    def primary_action(self, instance: MethodInstance) -> PrimaryAction | None:
        """ "Write a proposal" while proposals are taken (logging in comes on the form)."""
        verdict = permissions.can_act(AnonymousUser(), instance, PROPOSE)
        if not verdict and verdict.needs_level is None:
            return None
        return PrimaryAction(_("Write a proposal"), self.url(instance, "propose"))

    def report_section(self, instance: MethodInstance) -> SafeString:
        """The public proposals with their stage and signatures (by kind where no kind is
        under 5) against the threshold; for each one delivered, its text, the delivery,
        the council's deadline and its position."""
        return render_to_string(
            "initiative/report_section.html", {"rows": queries.public_rows(instance)}
        )

    def demo_seed(self, instance: MethodInstance, rng: random.Random) -> int:
        return demo.seed(instance, rng)
