"""Councils and committees (råd og utval): the plug-in the core reads.

An instance in a case ("Uttale frå råd og utval") asks bodies for their statement by a
deadline; each statement becomes input on the case in the body's name. The bodies
themselves (members, mandate and delegation, meetings, agenda and minutes) belong to the
municipality and have their own pages under every instance.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from medvirk.core import audit_labels
from medvirk.identity.types import User
from medvirk.organisations.types import Municipality
from medvirk.processes.phases import Timing
from medvirk.processes.registry import (
    Action,
    ContributionKind,
    DemoInstance,
    Export,
    MethodPlugin,
    MethodStatus,
    PrimaryAction,
    VoterGroup,
)
from medvirk.processes.types import MethodInstance
from medvirk.vocabulary import PhaseKind, Rung

from . import actions, demo, exports, queries, staff_views, views
from .actions import ACTION, KIND
from .forms import BodiesSettings, StatementForm
from .personal_data import SECTIONS
from .staff_actions import AUDIT_LABELS

ALL_TIMES = frozenset({Timing.BEFORE, Timing.DURING, Timing.AFTER})

audit_labels.register(AUDIT_LABELS)


class Bodies(MethodPlugin):
    key = "bodies"
    name = _("Councils and committees (råd og utval)")
    description = _(
        "The case asks councils and committees for their statement by a deadline: the "
        "statutory councils (eldreråd, råd for personar med funksjonsnedsetting, "
        "ungdomsråd), committees and boards. Each statement is published on the case, "
        "answered, and follows the case to whoever decides. Every body has a page with its "
        "members, mandate, delegated power and meetings."
    )
    rungs = (Rung.DIALOGUE, Rung.DECIDE)
    catalogue_entries = (
        "statutory_councils",
        "youth_council_assembly",
        "committees",
        "institution_board",
    )
    # Only a body's secretary or staff register a statement (actions.check_statement); a
    # statement may come before, during or after the phase, until the case is decided.
    actions = (
        Action(
            key=ACTION,
            label=_("Register a body's statement"),
            timings=ALL_TIMES,
        ),
    )
    contribution_kinds = (
        ContributionKind(
            key=KIND,
            label=_("Statement from a council or committee"),
            action=ACTION,
            form=StatementForm,
            url_name="statement",
        ),
    )
    exports = (
        Export(
            key="uttaler-pdf",
            label=_("The statements with the answers, for the decision papers (PDF)"),
            content_type="application/pdf",
            view=exports.statements_pdf,
        ),
        Export(
            key="alle-uttaler-csv",
            label=_("All statements with their answers and moderation (CSV)"),
            content_type="text/csv",
            view=exports.staff_csv,
        ),
        Export(
            key="uttaler-csv",
            label=_("Published statements of councils and committees (CSV)"),
            content_type="text/csv",
            view=exports.public_csv,
            audience="public",
        ),
    )
    settings_form = BodiesSettings
    personal_data = SECTIONS
    demo = DemoInstance(
        slug="uttale-rad-og-utval",
        title="Uttale frå råd og utval",
        description=(
            "Ungdomsrådet, eldrerådet og rådet for personar med funksjonsnedsetting er bedne "
            "om uttale til saka. Her ser du kva dei har sagt, og svaret frå kommunen. "
            "Uttalene følgjer saka til kommunestyret."
        ),
        phase_kind=PhaseKind.INVESTIGATION,
    )

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
        return views.page(request, instance)

    def urlpatterns(self) -> list[URLPattern | URLResolver]:
        return [*views.URLS, *staff_views.URLS]

    def staff_editor(self, request: HttpRequest, instance: MethodInstance) -> HttpResponse:
        return staff_views.editor(request, instance)

    def kind_url(self, instance: MethodInstance, kind: ContributionKind) -> str:
        """The statement form of a body still to give one; else the case's list of bodies."""
        request = queries.first_open_request(instance)
        if request is None:
            return self.url(instance)
        return self.url(instance, "statement", slug=request.body.slug)

    def status(self, instance: MethodInstance, now: dt.datetime) -> MethodStatus | None:
        """How many of the bodies asked have given their statement, and the next deadline."""
        found = queries.summary(instance)
        if not found.asked:
            return None
        text = ngettext(
            "%(given)d of %(asked)d body has given its statement",
            "%(given)d of %(asked)d bodies have given their statement",
            found.asked,
        ) % {"given": found.given, "asked": found.asked}
        if found.next_deadline is not None:
            text += ". " + gettext("Next deadline: %(day)s") % {
                "day": actions.day_in_words(found.next_deadline)
            }
        return MethodStatus("open", text)

    def primary_action(self, instance: MethodInstance) -> PrimaryAction | None:
        """ "Read the statements" once at least one is published."""
        if queries.summary(instance).given == 0:
            return None
        return PrimaryAction(gettext("Read the statements"), self.url(instance))

    def case_card(self, instance: MethodInstance) -> SafeString:
        """The statements given so far, short, so they are seen on the case itself."""
        given = [row for row in queries.asked(instance) if row.is_public and not row.is_hidden]
        return render_to_string(
            "bodies/case_card.html", {"given": given, "page_url": self.url(instance)}
        )

    def report_section(self, instance: MethodInstance) -> SafeString:
        """Each body asked, its deadline and its statement as published on the case, with
        the day it was adopted and the municipality's answer (nothing still waiting for a
        moderator, nothing of a body that is not public)."""
        rows = queries.asked(instance)
        given = sum(1 for row in rows if row.is_given)
        return render_to_string(
            "bodies/report_section.html", {"rows": rows, "asked": len(rows), "given": given}
        )

    def voter_groups(self, municipality: Municipality) -> list[VoterGroup]:
        """One group per published body: its chair, deputy chair and members in the
        current term who have an account (not substitutes, not the secretary)."""
        return [
            VoterGroup(key=f"{self.key}:{body.pk}", label=body.name)
            for body in queries.published_bodies(municipality.pk)
        ]

    def in_voter_group(self, user: User | AnonymousUser, key: str) -> bool:
        prefix, _sep, raw = key.partition(":")
        if prefix != self.key or not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
            return False
        if not user.is_authenticated:
            return False
        return queries.sits_in(user.pk, int(raw))

    def demo_seed(self, instance: MethodInstance, rng: random.Random) -> int:
        return demo.seed(instance, rng)
