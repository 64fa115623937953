"""Møte: the plug-in the core reads to show, permit, export and seed it."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from medvirk.algorithms.representation import Participant
from medvirk.core import audit_labels
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
from medvirk.vocabulary import PhaseKind, Rung

from . import demo, exports, host_views, participants, queries, staff_views, timeformat, views
from .actions import REGISTER, REPORT, RESULT_KIND
from .forms import MeetingSettings, ReportForm
from .personal_data import SECTIONS
from .staff_actions import AUDIT_LABELS

ALL_TIMES = frozenset({Timing.BEFORE, Timing.DURING, Timing.AFTER})

audit_labels.register(AUDIT_LABELS)


class Meeting(MethodPlugin):
    key = "meeting"
    name = _("Meetings (folkemøte, workshops, gjestebod, cafés)")
    description = _(
        "Meetings in every format, each with its guide: time, place and accessibility, "
        "registration with needs and a wait list, a calendar file; afterwards the results "
        "are registered as input and answered like input from the web."
    )
    rungs = (Rung.DIALOGUE,)
    catalogue_entries = (
        "plan_workshop",
        "future_workshop",
        "hosted_conversation",
        "mayors_bench",
        "democracy_cafe",
        "class_session",
        "user_dialogue",
    )
    actions = (
        Action(
            key=REGISTER,
            label=_("Register for a meeting"),
            timings=ALL_TIMES,
            creates_contribution=False,
        ),
        # Results come from staff (offline registration) or a gjestebod host's private link.
        Action(key=REPORT, label=_("Report the results of a meeting"), timings=ALL_TIMES),
    )
    contribution_kinds = (
        ContributionKind(
            key=RESULT_KIND,
            label=_("Result from a meeting"),
            action=REPORT,
            form=ReportForm,
            url_name="host",
        ),
    )
    exports = (
        Export(
            key="kalender",
            label=_("All meetings as a calendar file (iCalendar)"),
            content_type="text/calendar",
            view=exports.calendar,
            audience="public",
            available=exports.calendar_available,
        ),
        Export(
            key="paameldte-csv",
            label=_("Registrations with needs, per meeting (CSV)"),
            content_type="text/csv",
            view=exports.registrations_csv,
        ),
    )
    settings_form = MeetingSettings
    personal_data = SECTIONS
    demo = DemoInstance(
        slug="framtidsverkstad",
        title="Framtidsverkstad om Lillevik skule",
        description=(
            "Kritikk, fantasi og realisering: kva er gale i dag, korleis ville det vore best, "
            "og kva kan vi gjere? Meld deg på, og sjå resultata frå verkstaden."
        ),
        phase_kind=PhaseKind.INVESTIGATION,
        # The districts of the demo's population table, so registrations can be compared.
        settings={"districts": "Lillevik sentrum\nNordvik\nSørstranda\nFjellgarden"},
    )

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
        return views.page(request, instance)

    def urlpatterns(self) -> list[URLPattern | URLResolver]:
        return [*views.URLS, *host_views.URLS, *staff_views.URLS]

    def staff_editor(self, request: HttpRequest, instance: MethodInstance) -> HttpResponse:
        return staff_views.editor(request, instance)

    def kind_url(self, instance: MethodInstance, kind: ContributionKind) -> str:
        # The results form is behind a host's private link (or the staff pages); without
        # a host yet, the meetings' page.
        return host_views.any_host_url(instance) or self.url(instance)

    def status(self, instance: MethodInstance, now: dt.datetime) -> MethodStatus | None:
        """The next meeting's date while there is one; else the phase's dates decide."""
        upcoming = queries.next_meeting(instance, now)
        if upcoming is None:
            return None
        if upcoming.starts_at <= now:
            return MethodStatus("open", gettext("A meeting is going on now"))
        return MethodStatus(
            "open",
            gettext("Next meeting: %(when)s") % {"when": timeformat.starts(upcoming.starts_at)},
        )

    def primary_action(self, instance: MethodInstance) -> PrimaryAction | None:
        """The button "Register" while the next meeting that takes registrations is open."""
        upcoming = queries.next_open_for_registration(instance)
        if upcoming is None:
            return None
        return PrimaryAction(
            gettext("Register for a meeting"), self.url(instance, "register", pk=upcoming.pk)
        )

    def participants(self, instance: MethodInstance) -> Iterable[Participant]:
        return participants.participants(instance)

    def report_section(self, instance: MethodInstance) -> SafeString:
        """Each meeting (date, place, kind, registered, took part) and a summary of its
        published results, small counts hidden."""
        html = render_to_string("meeting/report_section.html", {"report": queries.report(instance)})
        return mark_safe(html)  # noqa: S308 - rendered from our own autoescaping template

    def demo_seed(self, instance: MethodInstance, rng: random.Random) -> int:
        return demo.seed(instance, rng)
