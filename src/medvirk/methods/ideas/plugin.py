"""Idétavle (idea board): the plug-in the core reads to show, permit, export and seed it."""

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
from medvirk.vocabulary import Rung

from . import actions, demo, exports, queries, staff_views, views
from .forms import CommentForm, IdeaForm, IdeaPhaseSettings, IdeaSettings
from .personal_data import SECTIONS
from .staff_actions import AUDIT_LABELS

SUBMIT = "submit_idea"
COMMENT = "comment"
SUPPORT = "support"
KIND = "idea"
COMMENT_KIND = "idea_comment"
# Ideas, comments and supports are welcome as soon as the board is published, until its
# phase ends; the answers, merges and cases come after, from staff.
OPEN = frozenset({Timing.BEFORE, Timing.DURING})

audit_labels.register(AUDIT_LABELS)


class Ideas(MethodPlugin):
    key = "ideas"
    name = _("Idea board (idétavle)")
    description = _(
        "Residents propose topics the municipality should take up; others support them "
        "(one support per person) and comment. Staff merge duplicates, take ideas up in a "
        "case or start a new one, and answer each idea with reasons."
    )
    rungs = (Rung.AGENDA,)
    catalogue_entries = ("idea_board",)
    actions = (
        Action(key=SUBMIT, label=_("Propose an idea"), timings=OPEN),
        Action(key=COMMENT, label=_("Comment on an idea"), timings=OPEN),
        Action(key=SUPPORT, label=_("Support an idea"), timings=OPEN, creates_contribution=False),
    )
    contribution_kinds = (
        ContributionKind(key=KIND, label=_("Idea"), action=SUBMIT, form=IdeaForm, url_name="new"),
        ContributionKind(
            key=COMMENT_KIND,
            label=_("Comment on an idea"),
            action=COMMENT,
            form=CommentForm,
            url_name="idea",
        ),
    )
    exports = (
        Export(
            key="idear-csv",
            label=_("Published ideas with support and answers (CSV, no names)"),
            content_type="text/csv",
            view=exports.public_csv,
            audience="public",
            available=exports.public_available,
        ),
        Export(
            key="alle-idear-csv",
            label=_("All ideas with moderation, exact counts and answers (CSV)"),
            content_type="text/csv",
            view=exports.staff_csv,
        ),
    )
    settings_form = IdeaSettings
    phase_settings_form = IdeaPhaseSettings
    personal_data = SECTIONS
    demo = DemoInstance(
        slug="idetavle",
        title="Idétavla for Lillevik",
        description=(
            "Kva bør kommunen ta tak i? Kom med ein idé, støtt dei du likar, og kommenter. "
            "Kommunen samlar like idear, tek dei opp i saker og svarar på kvar einaste."
        ),
        settings={"categories": demo.CATEGORIES},
    )

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
        return views.page(request, instance)

    def urlpatterns(self) -> list[URLPattern | URLResolver]:
        return [*views.URLS, *staff_views.URLS]

    def staff_editor(self, request: HttpRequest, instance: MethodInstance) -> HttpResponse:
        return staff_views.editor(request, instance)

    def kind_url(self, instance: MethodInstance, kind: ContributionKind) -> str:
        """A comment's form is on an idea's page: the newest idea shown that takes comments."""
        if kind.key == COMMENT_KIND:
            listing = queries.board(instance)
            for idea in listing.page.object_list:
                return self.url(instance, "idea", pk=idea.pk)
            return self.url(instance)  # no idea yet: the board, where the first one comes
        return super().kind_url(instance, kind)

    def primary_action(self, instance: MethodInstance) -> PrimaryAction | None:
        """ "Propose an idea" while the board takes ideas (also after logging in)."""
        verdict = permissions.can_act(AnonymousUser(), instance, SUBMIT)
        if not verdict and verdict.needs_level is None:
            return None
        return PrimaryAction(gettext("Propose an idea"), self.url(instance, "new"))

    def report_section(self, instance: MethodInstance) -> SafeString:
        """The published ideas ranked by support (as the board's sort), the first ten, with
        the count in each state; supporters from 1 to 4 shown as "fewer than 5"."""
        report = queries.report(instance, supports_on=actions.supports_on(instance))
        return render_to_string(
            "ideas/report_section.html",
            {"report": report, "suppress_below": queries.SUPPRESS_BELOW},
        )

    def demo_seed(self, instance: MethodInstance, rng: random.Random) -> int:
        return demo.seed(instance, rng)
