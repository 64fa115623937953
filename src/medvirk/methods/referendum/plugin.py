"""Rådgivande folkerøysting (kommuneloven § 12-2): the plug-in the core reads to show,
permit, export and seed the method."""

from __future__ import annotations

import datetime as dt
import random

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medvirk.core import audit_labels
from medvirk.identity.types import AssuranceLevel
from medvirk.processes.phases import Timing
from medvirk.processes.registry import (
    Action,
    DemoInstance,
    Export,
    MethodPlugin,
    MethodStatus,
    PrimaryAction,
)
from medvirk.processes.types import MethodInstance
from medvirk.vocabulary import Rung

from . import actions, demo, queries, staff_views, views
from .forms import ReferendumSettings
from .personal_data import SECTIONS
from .staff_actions import AUDIT_LABELS

audit_labels.register(AUDIT_LABELS)

# The referendum's own period (fixed when it is announced) decides, not the phase's.
ALL_TIMES = frozenset({Timing.BEFORE, Timing.DURING, Timing.AFTER})


def _when(moment: dt.datetime | None) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


class Referendum(MethodPlugin):
    key = "referendum"
    name = gettext_lazy("Advisory referendum (folkerøysting)")
    description = gettext_lazy(
        "Everyone on the roll answers the council's question by secret ballot, with e-ID or "
        "on paper at a polling place (kommuneloven § 12-2). The result is advisory; it is "
        "published with a count record anyone can check."
    )
    rungs = (Rung.DECIDE,)
    catalogue_entries = ("advisory_referendum",)
    actions = (
        Action(
            key=actions.VOTE,
            label=gettext_lazy("Vote in the referendum"),
            timings=ALL_TIMES,
            default_level=AssuranceLevel.VERIFIED,
            creates_contribution=False,
        ),
    )
    exports = (
        Export(
            key="teljing-json",
            label=gettext_lazy("The count record, hash-chained (JSON): check it yourself"),
            content_type="application/json",
            view=views.count_json,
            audience="public",
            available=views.is_closed,
        ),
        Export(
            key="rapport-pdf",
            label=gettext_lazy("Report to the council (PDF)"),
            content_type="application/pdf",
            view=views.report_pdf,
            audience="public",
            available=views.is_closed,
        ),
        Export(
            key="resultat-csv",
            label=gettext_lazy("The result and the turnout per district (CSV)"),
            content_type="text/csv",
            view=views.result_csv,
            audience="public",
            available=views.is_closed,
        ),
    )
    settings_form = ReferendumSettings
    personal_data = SECTIONS
    demo = DemoInstance(
        slug="folkeroysting",
        title="Rådgivande folkerøysting om skulen i bygda",
        description=(
            "Kommunestyret ville vite kva innbyggjarane i skulekrinsen meiner før dei "
            "vel kva alternativ som skal greiast ut vidare. Røystinga er avslutta, og "
            "resultatet er rådgivande."
        ),
        settings={"voting_age": 16, "turnout_floor": 25, "paper": True, "blank_vote": True},
    )

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
        return views.page(request, instance)

    def urlpatterns(self) -> list[URLPattern | URLResolver]:
        return [*views.URLS, *staff_views.URLS]

    def staff_editor(self, request: HttpRequest, instance: MethodInstance) -> HttpResponse:
        return staff_views.editor(request, instance)

    def status(self, instance: MethodInstance, now: dt.datetime) -> MethodStatus | None:
        referendum = queries.referendum_of(instance)
        stage = actions.stage(referendum, now)
        if referendum is None or stage == "draft":
            return None
        if stage == "upcoming":
            return MethodStatus(
                "upcoming", _("Voting opens %(when)s") % {"when": _when(referendum.opens_at)}
            )
        if stage == "open":
            return MethodStatus(
                "open", _("Voting is open until %(when)s") % {"when": _when(referendum.closes_at)}
            )
        if stage == "counting":
            return MethodStatus("closed", _("Voting has closed: the votes are being counted"))
        return MethodStatus("closed", _("Voting has closed: the result is published"))

    def case_card(self, instance: MethodInstance) -> SafeString:
        """Once closed: the option with most votes and the turnout, with a link."""
        result = queries.result(queries.referendum_of(instance))
        if result is None:
            return SafeString("")
        context = {"instance": instance, "result": result, "url": self.url(instance, "results")}
        return render_to_string("referendum/_card.html", context)

    def report_section(self, instance: MethodInstance) -> SafeString:
        """The published result as the result page shows it (per option and channel, blank
        and rejected, turnout with the floor, districts under five voters hidden); before
        the count, a sentence that it is not published yet."""
        referendum, result = queries.report_result(instance)
        if referendum is None:
            return SafeString("")  # nothing prepared: the core's heading says enough
        context = {
            "referendum": referendum,
            "result": result,
            "chart": views.chart(result, f"report-referendum-{instance.pk}") if result else "",
        }
        return render_to_string("referendum/report_section.html", context)

    def primary_action(self, instance: MethodInstance) -> PrimaryAction | None:
        if actions.stage(queries.referendum_of(instance)) != "open":
            return None
        return PrimaryAction(gettext_lazy("Vote"), instance.get_absolute_url())

    def demo_seed(self, instance: MethodInstance, rng: random.Random) -> int:
        return demo.seed(instance, rng)
