"""Diskusjon (e-demokrati): the plug-in the core reads to show, permit, export and seed it."""

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

from . import demo, exports, queries, receivers, staff_views, views
from .forms import DiscussionSettings, PostForm, ReplyForm
from .personal_data import SECTIONS

POST = "post"
REPLY = "reply"
REACT = "react"
FOLLOW = "follow"
POST_KIND = "discussion_post"
REPLY_KIND = "discussion_reply"

# A moderator's decision on a reply recounts its thread and may tell its followers.
receivers.connect()
# The discussion's own audit codes, in the reader's language (core/audit_labels.py).
audit_labels.register(
    {
        "discussion.topic_added": _("Discussion question added"),
        "discussion.topic_updated": _("Discussion question changed"),
        "discussion.topic_closed": _("Discussion question closed for new posts"),
        "discussion.topic_opened": _("Discussion question opened for new posts"),
        "discussion.topic_moved": _("Discussion question moved"),
        "discussion.rules_saved": _("Rules for discussions saved"),
        "discussion.rules_reset": _("Rules for discussions set back to the default"),
        "discussion.reason_shown": _("Reason given with a reaction shown"),
        "discussion.reason_hidden": _("Reason given with a reaction hidden"),
    }
)


class Discussion(MethodPlugin):
    key = "discussion"
    name = _("Discussion (e-democracy)")
    description = _(
        "A moderated discussion on the case or on questions the municipality asks: "
        "residents post, reply and agree or disagree with a reason; staff and elected "
        "representatives answer as themselves; every post gets a reasoned answer."
    )
    rungs = (Rung.DIALOGUE,)
    catalogue_entries = ("e_democracy",)
    actions = (
        Action(key=POST, label=_("Write a post")),
        Action(key=REPLY, label=_("Reply to a post")),
        Action(key=REACT, label=_("Agree or disagree"), creates_contribution=False),
        Action(key=FOLLOW, label=_("Follow a thread"), creates_contribution=False),
    )
    contribution_kinds = (
        ContributionKind(
            key=POST_KIND, label=_("Discussion post"), action=POST, form=PostForm, url_name="new"
        ),
        ContributionKind(
            key=REPLY_KIND, label=_("Reply"), action=REPLY, form=ReplyForm, url_name="reply"
        ),
    )
    exports = (
        Export(
            key="innlegg-csv",
            label=_("Published posts with the municipality's answers (CSV, no names)"),
            content_type="text/csv",
            view=exports.public_csv,
            audience="public",
            available=exports.public_available,
        ),
        Export(
            key="alle-innlegg-csv",
            label=_("All posts, replies and reactions with moderation and answers (CSV)"),
            content_type="text/csv",
            view=exports.staff_csv,
        ),
    )
    settings_form = DiscussionSettings
    personal_data = SECTIONS
    demo = DemoInstance(
        slug="diskusjon",
        title="Diskusjon: korleis kan skulen brukast etter skuletid?",
        description=(
            "Diskuter med naboar og med kommunen. Sakshandsamarane og politikarane svarar "
            "som seg sjølve, og kvart innlegg får eit grunngitt svar."
        ),
    )

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
        return views.page(request, instance)

    def urlpatterns(self) -> list[URLPattern | URLResolver]:
        return [*views.URLS, *staff_views.URLS]

    def staff_editor(self, request: HttpRequest, instance: MethodInstance) -> HttpResponse:
        return staff_views.editor(request, instance)

    def demo_seed(self, instance: MethodInstance, rng: random.Random) -> int:
        return demo.seed(instance, rng)

    def report_section(self, instance: MethodInstance) -> SafeString:
        """Published threads and replies per question, the threads with the most replies,
        and how many posts have their answer; reactions from 1 to 4 are not shown."""
        return render_to_string(
            "discussion/report_section.html",
            {"report": queries.report(instance), "suppress_below": queries.SUPPRESS_BELOW},
        )

    def kind_url(self, instance: MethodInstance, kind: ContributionKind) -> str:
        """A reply's form is served for one post: the newest thread shown that takes replies
        (on the case, else on a question)."""
        if kind.key == REPLY_KIND:
            entries = list(queries.threads(instance, None).entries)
            for topic in queries.topics(instance):
                entries += queries.threads(instance, topic.pk).entries
            for entry in entries:
                if not entry.hidden:
                    return self.url(instance, "reply", pk=entry.post.pk)
        return super().kind_url(instance, kind)

    def primary_action(self, instance: MethodInstance) -> PrimaryAction | None:
        """ "Take part in the discussion" while it takes posts or replies (also after login)."""
        verdict = permissions.can_act(AnonymousUser(), instance, REPLY)
        if not verdict and verdict.needs_level is None:
            return None
        return PrimaryAction(gettext("Take part in the discussion"), instance.get_absolute_url())
