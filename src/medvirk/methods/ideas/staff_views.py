"""Staff pages of the idea board.

The editor (the plug-in's ``staff_editor``, at /stab/sak/<pk>/metode/<m>/innhald/; the core
checked ``manage_process`` and the municipality) shows the board's numbers and every idea,
whatever its moderation, with exact counts, its state and a link to handle it.

An idea's staff page (``stab/ide/<pk>/``, under the instance's own address, served by the
public dispatcher, so it checks the capability itself: not logged in → the login page;
logged in without ``manage_process`` → 403 with the reason) merges it into another idea,
takes it up in an existing case, starts a new case from it, or removes such a link, and
links to its answer in the inbox. Every change is a POST with an ``action`` that redirects
back (POST-redirect-GET); errors answer 400 (or 409 when someone else was first) with the
forms. No JavaScript is needed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _

from medvirk.core.errors import ActionRefused
from medvirk.core.responses import page_number, private
from medvirk.identity.types import AssuranceLevel
from medvirk.organisations import capabilities
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance
from medvirk.staff import method_pages
from medvirk.vocabulary import Capability

from . import actions, queries, staff_actions, states
from .forms import CASE_SUMMARY_MAX, MergeForm, MoveForm, NewCaseForm
from .models import Idea

ACTIONS = ("merge", "move", "new_case", "remove_link")


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
        "inbox_unanswered": f"{inbox}?metode={instance.pk}&vis=unanswered",
        "public_csv": plugin.export_url(instance, "idear-csv"),
        "staff_csv": plugin.export_url(instance, "alle-idear-csv"),
    }


def _decorate(idea: Idea, instance: MethodInstance) -> Idea:
    idea.staff_url = registry.instance_url(instance, "staff_idea", pk=idea.pk)  # type: ignore[attr-defined]
    idea.public_url = registry.instance_url(instance, "idea", pk=idea.pk)  # type: ignore[attr-defined]
    idea.state_label = states.label(idea.board_state)  # type: ignore[attr-defined]
    idea.state_colour = states.colour(idea.board_state)  # type: ignore[attr-defined]
    idea.body = actions.body_of(idea)  # type: ignore[attr-defined]
    return idea


# --- the editor -----------------------------------------------------------------------------


def editor(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """The board's numbers and every idea, with links to handle each."""
    if instance.method_key != actions.METHOD_KEY:
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    shown = queries.staff_board(instance, page_number(request))
    for idea in shown.object_list:
        _decorate(idea, instance)
    context = {
        "instance": instance,
        "process": instance.process,
        "summary": queries.summary(instance),
        "page": shown,
        "urls": _urls(instance),
        "categories": actions.categories(instance),
    }
    response = render(request, "ideas/staff/editor.html", context)
    private(response)
    return response


# --- one idea -------------------------------------------------------------------------------


def _gate(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase | None:
    """None when the person may use this page; else the login page or a 403 with why."""
    if instance.method_key != actions.METHOD_KEY:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    municipality = instance.process.municipality
    if not capabilities.staff_can(request.user, Capability.MANAGE_PROCESS, municipality.pk):
        context = {
            "instance": instance,
            "process": instance.process,
            "reason": _(
                "This page is for the municipality's staff who run the case. Your role in "
                "%(municipality)s does not include that."
            )
            % {"municipality": municipality.name},
        }
        return private(render(request, "ideas/staff/refused.html", context, status=403))
    return None


def _new_case_initial(idea: Idea) -> dict[str, str]:
    body = actions.body_of(idea)
    return {"title": idea.title, "summary": body[:CASE_SUMMARY_MAX]}


def _forms(
    instance: MethodInstance, idea: Idea, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    return {
        "merge": bound.get("merge")
        or MergeForm(prefix="merge", choices=queries.merge_choices(instance, idea)),
        "move": bound.get("move")
        or MoveForm(prefix="move", choices=queries.case_choices(instance)),
        "new_case": bound.get("new_case")
        or NewCaseForm(prefix="case", initial=_new_case_initial(idea)),
    }


def _render(
    request: HttpRequest,
    instance: MethodInstance,
    idea: Idea,
    *,
    bound: dict[str, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponseBase:
    levels = queries.supports_by_level(idea)
    context = {
        "instance": instance,
        "process": instance.process,
        "idea": _decorate(idea, instance),
        "levels": [(AssuranceLevel(level).label, levels.get(level, 0)) for level in (0, 1, 2)],
        "merged": queries.merged_into_this(idea),
        "forms": _forms(instance, idea, bound),
        "error": error,
        "urls": _urls(instance),
        "answer_url": reverse("staff:contribution", kwargs={"pk": idea.pk}),
        "moderate_url": reverse("staff:moderation_item", kwargs={"pk": idea.pk}),
        "merged_url": registry.instance_url(instance, "staff_idea", pk=idea.merged_into_id)
        if idea.merged_into_id
        else "",
        "case_url": reverse("staff:process", kwargs={"pk": idea.taken_up_in_id})
        if idea.taken_up_in_id
        else "",
    }
    return private(render(request, "ideas/staff/idea.html", context, status=status))


def _act(
    request: HttpRequest, instance: MethodInstance, idea: Idea, action: str
) -> tuple[str, dict[str, Any]]:
    """Run one staff action from the POST; the success message, or "" and the bound form
    with its errors (ActionRefused passes through)."""
    staff = method_pages.staff_user(request)
    if action == "merge":
        merge = MergeForm(
            request.POST, prefix="merge", choices=queries.merge_choices(instance, idea)
        )
        if not merge.is_valid():
            return "", {"merge": merge}
        done = staff_actions.do_merge(staff, instance, idea.pk, int(merge.cleaned_data["target"]))
        return (
            _("The idea is merged into «%(title)s»; %(n)d supports were carried over.")
            % {"title": done.kept.title, "n": done.supports_moved},
            {},
        )
    if action == "move":
        move = MoveForm(request.POST, prefix="move", choices=queries.case_choices(instance))
        if not move.is_valid():
            return "", {"move": move}
        moved = staff_actions.do_move_to_case(
            staff, instance, idea.pk, int(move.cleaned_data["process"])
        )
        case = moved.taken_up_in.title if moved.taken_up_in else ""
        return _("The idea is taken up in the case «%(case)s».") % {"case": case}, {}
    if action == "new_case":
        form = NewCaseForm(request.POST, prefix="case")
        if not form.is_valid():
            return "", {"new_case": form}
        data = form.cleaned_data
        process = staff_actions.do_start_case(
            staff,
            instance,
            idea.pk,
            staff_actions.NewCase(
                title=data["title"],
                summary=data["summary"],
                open_to_influence=data["open_to_influence"],
                decided_by=data["decided_by"],
            ),
        )
        return (
            _(
                "The case «%(case)s» is started as a draft. Finish it and publish it from "
                "the case's page."
            )
            % {"case": process.title},
            {},
        )
    staff_actions.do_remove_link(staff, instance, idea.pk)
    return _("The idea is no longer linked to a case."), {}


def staff_idea(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """One idea for staff: merge, take up in a case, start a case, remove a link."""
    refused = _gate(request, instance)
    if refused is not None:
        return refused
    found = queries.staff_idea(instance, pk)
    if found is None:
        raise Http404
    if request.method in ("GET", "HEAD"):
        return _render(request, instance, found)
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    action = str(request.POST.get("action", ""))
    if action not in ACTIONS:
        return _render(request, instance, found, error=_("Choose what to do."), status=400)
    try:
        message, bound = _act(request, instance, found, action)
    except ActionRefused as refusal:
        if refusal.status == 404:
            raise Http404 from refusal
        found = queries.staff_idea(instance, pk) or found
        return _render(request, instance, found, error=refusal.message, status=refusal.status)
    if not message:
        return _render(request, instance, found, bound=bound, status=400)
    messages.success(request, message)
    return private(HttpResponseRedirect(registry.instance_url(instance, "staff_idea", pk=pk)))


URLS: list[URLPattern | URLResolver] = [
    path("stab/ide/<int:pk>/", staff_idea, name="staff_idea"),
]
