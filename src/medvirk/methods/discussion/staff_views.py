"""Staff pages of the discussion.

The editor (the plug-in's ``staff_editor``, at /stab/sak/<pk>/metode/<m>/innhald/; the core
checked ``manage_process`` and the municipality) holds the questions — add, change, close
or open, move up or down — and the municipality's rules, with counts and links to the
moderation queue and to the inbox filtered to this discussion. GET shows them (``?endre=<id>``
puts one question in the form); every change is a POST with an ``action`` and, for a
question, a ``target``; success redirects back (POST-redirect-GET), errors answer 400 with
the form. No JavaScript is needed.

The reasons page (``stab/grunngivingar/``, under the instance's own address) is for
moderators: reasons given with reactions that screening kept back, to show or keep hidden,
and the reasons shown, to take one down. It checks the capability itself: not logged in →
the login page; logged in without ``moderate`` → 403 with the reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _

from medvirk.core.errors import ActionRefused
from medvirk.core.responses import private
from medvirk.organisations import capabilities
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance
from medvirk.staff import method_pages
from medvirk.vocabulary import Capability

from . import queries, staff_actions
from .actions import METHOD_KEY
from .forms import RulesForm, TopicForm

EDITOR_ACTIONS = (
    "save_topic",
    "close",
    "open",
    "move_up",
    "move_down",
    "save_rules",
    "reset_rules",
)
REASONS_PER_PAGE = 50


def _target(request: HttpRequest) -> int | None:
    raw = str(request.POST.get("target", ""))
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def _urls(instance: MethodInstance) -> dict[str, str]:
    plugin = registry.get(instance.method_key)
    inbox = reverse("staff:inbox", kwargs={"pk": instance.process_id})
    return {
        "editor": method_pages.editor_url(instance),
        "preview": instance.get_absolute_url(),
        "method": reverse(
            "staff:method_edit", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
        ),
        "moderation": reverse("staff:moderation", kwargs={"pk": instance.process_id}),
        "inbox": f"{inbox}?metode={instance.pk}",
        "inbox_unanswered": f"{inbox}?metode={instance.pk}&vis=unanswered",
        "reasons": plugin.url(instance, "staff_reasons"),
        "public_csv": plugin.export_url(instance, "innlegg-csv"),
        "staff_csv": plugin.export_url(instance, "alle-innlegg-csv"),
    }


# --- the editor ---------------------------------------------------------------------------


def editor(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """The discussion's questions and the municipality's rules (the plug-in's editor)."""
    if instance.method_key != METHOD_KEY:
        raise Http404
    staff = method_pages.staff_user(request)
    topic_form: TopicForm | None = None
    rules_form: RulesForm | None = None
    editing: int | None = None
    if request.method == "POST":
        action = str(request.POST.get("action", ""))
        if action not in EDITOR_ACTIONS:
            return _render(request, instance, error=_("Choose what to do."), status=400)
        target = _target(request)
        try:
            if action == "save_topic":
                topic_form = TopicForm(request.POST, prefix="topic")
                editing = target
                if topic_form.is_valid():
                    staff_actions.do_save_topic(
                        staff,
                        instance,
                        title=topic_form.cleaned_data["title"],
                        body=topic_form.cleaned_data["body"],
                        is_open=topic_form.cleaned_data["is_open"],
                        topic_id=target,
                    )
                    messages.success(request, _("The question was saved."))
                    return HttpResponseRedirect(method_pages.editor_url(instance) + "#questions")
            elif action in ("close", "open") and target is not None:
                staff_actions.do_set_topic_open(staff, instance, target, action == "open")
                messages.success(
                    request,
                    _("The question is open for new posts.")
                    if action == "open"
                    else _("The question is closed for new posts."),
                )
                return HttpResponseRedirect(method_pages.editor_url(instance) + "#questions")
            elif action in ("move_up", "move_down") and target is not None:
                direction = staff_actions.UP if action == "move_up" else staff_actions.DOWN
                staff_actions.do_move_topic(staff, instance, target, direction)
                return HttpResponseRedirect(method_pages.editor_url(instance) + "#questions")
            elif action == "save_rules":
                rules_form = RulesForm(request.POST, prefix="rules")
                if rules_form.is_valid():
                    staff_actions.do_save_rules(staff, instance, rules_form.cleaned_data["text"])
                    messages.success(request, _("The rules were saved."))
                    return HttpResponseRedirect(method_pages.editor_url(instance) + "#rules")
            elif action == "reset_rules":
                staff_actions.do_reset_rules(staff, instance)
                messages.success(request, _("The default rules are shown again."))
                return HttpResponseRedirect(method_pages.editor_url(instance) + "#rules")
            else:
                return _render(request, instance, error=_("Choose a question."), status=400)
        except ActionRefused as refused:
            if refused.status == 404:
                raise Http404 from refused
            if topic_form is not None:
                topic_form.add_error(None, refused.message)
            elif rules_form is not None:
                rules_form.add_error(None, refused.message)
            else:
                return _render(request, instance, error=refused.message, status=refused.status)
            return _render(
                request,
                instance,
                topic_form=topic_form,
                rules_form=rules_form,
                editing=editing,
                status=refused.status,
            )
        return _render(
            request,
            instance,
            topic_form=topic_form,
            rules_form=rules_form,
            editing=editing,
            status=400,
        )
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    raw = str(request.GET.get("endre", ""))
    if raw.isdigit() and len(raw) < 12:
        found = queries.topic(instance, int(raw))
        if found is not None:
            editing = found.pk
            topic_form = TopicForm(
                prefix="topic",
                initial={"title": found.title, "body": found.body, "is_open": found.is_open},
            )
    return _render(request, instance, topic_form=topic_form, editing=editing)


def _render(
    request: HttpRequest,
    instance: MethodInstance,
    *,
    topic_form: TopicForm | None = None,
    rules_form: RulesForm | None = None,
    editing: int | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    rules = queries.rules(instance.process.municipality_id)
    plugin = registry.get(instance.method_key)
    topics = queries.staff_topics(instance)
    for topic in topics:
        topic.public_url = plugin.url(instance, "topic", pk=topic.pk)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "instance": instance,
        "process": instance.process,
        "summary": queries.summary(instance),
        "topics": topics,
        "topic_form": topic_form or TopicForm(prefix="topic"),
        "editing": editing,
        "rules": rules,
        "rules_form": rules_form or RulesForm(prefix="rules", initial={"text": rules.text}),
        "error": error,
        "urls": _urls(instance),
        "can_moderate": capabilities.staff_can(
            request.user, Capability.MODERATE, instance.process.municipality_id
        ),
    }
    return private(render(request, "discussion/staff/editor.html", context, status=status))


# --- reasons given with reactions ---------------------------------------------------------


def reasons(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """Reasons kept back by screening (``?vis=held``, the default) or shown (``?vis=shown``);
    POST ``action=show|hide`` with the reaction as ``target``."""
    if instance.method_key != METHOD_KEY:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    municipality_id = instance.process.municipality_id
    if not capabilities.staff_can(request.user, Capability.MODERATE, municipality_id):
        context = {
            "instance": instance,
            "process": instance.process,
            "reason": _(
                "This page is for the municipality's moderators. Your role in "
                "%(municipality)s does not include that."
            )
            % {"municipality": instance.process.municipality.name},
        }
        return private(render(request, "discussion/staff/refused.html", context, status=403))
    here = registry.get(instance.method_key).url(instance, "staff_reasons")
    show = "shown" if request.GET.get("vis") == "shown" else "held"
    if request.method == "POST":
        action = str(request.POST.get("action", ""))
        target = _target(request)
        if action not in ("show", "hide") or target is None:
            return private(HttpResponse(_("Choose what to do."), status=400))
        try:
            staff_actions.do_set_reason_visible(
                method_pages.staff_user(request), instance, target, action == "show"
            )
        except ActionRefused as refused:
            if refused.status == 404:
                raise Http404 from refused
            return private(HttpResponse(refused.message, status=refused.status))
        messages.success(
            request,
            _("The reason is shown with the post.")
            if action == "show"
            else _("The reason is no longer shown."),
        )
        return private(HttpResponseRedirect(f"{here}?vis={show}"))
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    rows = queries.reactions_for_staff(instance, held=show == "held")
    raw = str(request.GET.get("side", "1"))
    page = Paginator(rows, REASONS_PER_PAGE).get_page(int(raw) if raw.isdigit() else 1)
    plugin = registry.get(instance.method_key)
    for reaction in page.object_list:
        reaction.thread_url = (
            plugin.url(instance, "thread", pk=reaction.post.root_id or reaction.post_id)
            + f"#innlegg-{reaction.post_id}"
        )
    context = {
        "instance": instance,
        "process": instance.process,
        "page": page,
        "show": show,
        "here": here,
        "urls": _urls(instance),
    }
    return private(render(request, "discussion/staff/reasons.html", context))


URLS: list[URLPattern | URLResolver] = [
    path("stab/grunngivingar/", reasons, name="staff_reasons"),
]
