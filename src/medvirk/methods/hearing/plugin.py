"""Høyring / offentleg ettersyn: the plug-in the core reads to show, permit, export and seed it."""

from __future__ import annotations

import datetime as dt
import random

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

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

from . import demo, exports, period, public_exports, queries, staff_views, views
from .forms import CommentForm, HearingSettings, SubmissionForm
from .personal_data import SECTIONS

COMMENT = "comment"
SUBMIT = "submit"
COMMENT_KIND = "hearing_comment"
SUBMISSION_KIND = "hearing_submission"
ALL_TIMES = frozenset({Timing.BEFORE, Timing.DURING, Timing.AFTER})


def _day(day: dt.date) -> str:
    return format_date(day, get_format("DATE_FORMAT"))


class Hearing(MethodPlugin):
    key = "hearing"
    name = _("Public consultation (høyring / offentleg ettersyn)")
    description = _(
        "Documents on consultation for a set period: residents comment on a section or "
        "paragraph and send formal submissions, which are published in a register with the "
        "municipality's answer and exported to the archive."
    )
    rungs = (Rung.ASK,)
    catalogue_entries = ("hearing", "public_inspection")
    # The hearing's own period decides (period.py), not the phase's: a late submission is
    # taken after the deadline and marked late.
    actions = (
        Action(key=COMMENT, label=_("Comment on the text"), timings=ALL_TIMES),
        Action(key=SUBMIT, label=_("Send a submission"), timings=ALL_TIMES),
    )
    contribution_kinds = (
        ContributionKind(
            key=COMMENT_KIND,
            label=_("Comment on the text"),
            action=COMMENT,
            form=CommentForm,
            url_name="comment",
        ),
        ContributionKind(
            key=SUBMISSION_KIND,
            label=_("Submission (høyringsinnspel)"),
            action=SUBMIT,
            form=SubmissionForm,
            url_name="submit",
        ),
    )
    exports = (
        Export(
            key="innspel-csv",
            label=_("All submissions and comments with their answers (CSV)"),
            content_type="text/csv",
            view=exports.submissions_csv,
        ),
        Export(
            key="innspel-pdf",
            label=_("All submissions with their answers, one PDF for the case file"),
            content_type="application/pdf",
            view=exports.submissions_pdf,
        ),
        Export(
            key="arkivmelding",
            label=_("Submissions for the archive (arkivmelding for KS Fiks Arkiv, ZIP)"),
            content_type="application/zip",
            view=exports.arkivmelding_zip,
        ),
        Export(
            key="register-csv",
            label=_("The public register of submissions (CSV; names only where shown)"),
            content_type="text/csv",
            view=public_exports.register_csv,
            audience="public",
            available=public_exports.register_available,
        ),
    )
    settings_form = HearingSettings
    personal_data = SECTIONS
    demo = DemoInstance(
        slug="hoyring",
        title="Høyring: kommunedirektøren tilrår nybygg på same tomt",
        description=(
            "Les framlegget til kommunedirektøren, kommenter eit avsnitt eller send eit "
            "høyringsinnspel. Alle innspel får eit grunngitt svar."
        ),
        phase_kind=PhaseKind.INVESTIGATION,
    )

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
        return views.page(request, instance)

    def urlpatterns(self) -> list[URLPattern | URLResolver]:
        return [*views.URLS, *staff_views.URLS]

    def staff_editor(self, request: HttpRequest, instance: MethodInstance) -> HttpResponse:
        return staff_views.editor(request, instance)

    def demo_seed(self, instance: MethodInstance, rng: random.Random) -> int:
        return demo.seed(instance, rng)

    def status(self, instance: MethodInstance, now: dt.datetime) -> MethodStatus | None:
        span = period.period_for(instance)
        today = timezone.localdate(now)
        if not span.has_started(today):
            return MethodStatus(
                "upcoming",
                gettext("On consultation from %(start)s to %(end)s")
                % {"start": _day(span.starts_on), "end": _day(span.ends_on)},
            )
        if not span.is_late(today):
            days = span.days_left(today)
            return MethodStatus(
                "open",
                ngettext(
                    "Open for input until %(end)s: %(days)d day left",
                    "Open for input until %(end)s: %(days)d days left",
                    days,
                )
                % {"end": _day(span.ends_on), "days": days},
            )
        if instance.settings.get("submissions", True):
            return MethodStatus(
                "open",
                gettext("The deadline was %(end)s. Late submissions are received and marked late.")
                % {"end": _day(span.ends_on)},
            )
        return MethodStatus(
            "closed", gettext("The deadline was %(end)s.") % {"end": _day(span.ends_on)}
        )

    def report_section(self, instance: MethodInstance) -> SafeString:
        """The period, the published submissions counted by who sent them (late and
        archived among them), the organisations as the register names them, comments."""
        context = {"summary": queries.report_summary(instance)}
        return render_to_string("hearing/report_section.html", context)

    def primary_action(self, instance: MethodInstance) -> PrimaryAction | None:
        if not instance.settings.get("submissions", True):
            return None
        if not period.period_for(instance).has_started(period.today()):
            return None
        return PrimaryAction(gettext("Send a submission"), self.url(instance, "submit"))
