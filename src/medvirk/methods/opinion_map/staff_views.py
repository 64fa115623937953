"""The opinion map's staff pages.

The overview is the plug-in's content editor (``/stab/sak/<pk>/metode/<m>/innhald/``, after
the core's checks): the map's state with "draw it now", the municipality's statements with
a form to add one, every statement with its votes and a button to take it out of the vote
or put it back, and links to the moderation queue, the inbox and the Pol.is import. The
other pages live under the instance's own address (``stab/…``) and check for themselves:
not logged in, to the login; without ``manage_process`` in the municipality, 404. Every
change is a plain POST that redirects, audited by the action it calls; a form with errors
answers 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _

from medvirk.core.errors import ActionRefused
from medvirk.core.responses import private
from medvirk.organisations import capabilities
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance
from medvirk.vocabulary import Capability

from . import actions, queries, staff_actions
from .forms import SeedStatementForm

if TYPE_CHECKING:
    from medvirk.identity.models import User

View = Callable[..., HttpResponseBase]


def editor_url(instance: MethodInstance) -> str:
    return reverse(
        "staff:method_content", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
    )


def links(request: HttpRequest, instance: MethodInstance) -> dict[str, str]:
    plugin = registry.get(instance.method_key)
    municipality = instance.process.municipality_id
    found = {
        "editor": editor_url(instance),
        "page": instance.get_absolute_url(),
        "map": plugin.url(instance, "map"),
        "recompute": plugin.url(instance, "staff_recompute"),
        "import": plugin.url(instance, "staff_import"),
        "export": plugin.export_url(instance, "polis"),
        "method": reverse(
            "staff:method_edit", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
        ),
    }
    if capabilities.staff_can(request.user, Capability.MODERATE, municipality):
        found["moderation"] = reverse("staff:moderation", args=[instance.process_id])
    if capabilities.staff_can(request.user, Capability.RESPOND, municipality):
        found["inbox"] = reverse("staff:inbox", args=[instance.process_id])
    return found


def staff_page(view: Callable[..., HttpResponse]) -> View:
    """Not logged in: to the login. Not this municipality's staff with ``manage_process``,
    or not an opinion map: 404. Other methods than GET/HEAD/POST: 405."""

    def wrapped(request: HttpRequest, instance: MethodInstance, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if instance.method_key != actions.METHOD_KEY or not capabilities.staff_can(
            request.user, Capability.MANAGE_PROCESS, instance.process.municipality_id
        ):
            raise Http404
        return private(view(request, instance, request.user, **kwargs))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def editor(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """The overview (the plug-in's ``staff_editor``); POST adds a statement."""
    if instance.method_key != actions.METHOD_KEY or not request.user.is_authenticated:
        raise Http404
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    form = SeedStatementForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                staff_actions.do_add_seed(request.user, instance, form.cleaned_data["text"])
            except ActionRefused as refused:
                if refused.status == 404:
                    raise Http404 from refused
                form.add_error("text", refused.message)
                status = refused.status
            else:
                messages.success(request, _("The statement was added to the vote."))
                return private(HttpResponseRedirect(editor_url(instance) + "#statements"))
    return private(_render_editor(request, instance, form, status))


def _render_editor(
    request: HttpRequest, instance: MethodInstance, form: SeedStatementForm, status: int = 200
) -> HttpResponse:
    plugin = registry.get(instance.method_key)
    statements = queries.staff_statements(instance)
    for item in statements:
        item.edit_url = plugin.url(instance, "staff_statement", pk=item.statement.pk)
        item.status_url = plugin.url(instance, "staff_statement_status", pk=item.statement.pk)
    context = {
        "instance": instance,
        "process": instance.process,
        "row": queries.map_row(instance),
        "statements": statements,
        "waiting": queries.waiting_count(instance),
        "form": form,
        "links": links(request, instance),
        "max_length": actions.MAX_STATEMENT,
    }
    return render(request, "opinion_map/staff/editor.html", context, status=status)


def _statement_or_404(instance: MethodInstance, pk: int) -> Any:
    found = queries.statement(instance, pk)
    if found is None:
        raise Http404
    found.method_instance = instance
    return found


@staff_page
def statement_page(
    request: HttpRequest, instance: MethodInstance, staff: User, pk: int
) -> HttpResponse:
    """Change the wording of a statement nobody has voted on yet."""
    statement = _statement_or_404(instance, pk)
    if request.method == "POST":
        form = SeedStatementForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                staff_actions.do_edit_statement(staff, statement, form.cleaned_data["text"])
            except ActionRefused as refused:
                form.add_error("text", refused.message)
                status = refused.status
            else:
                messages.success(request, _("The statement was changed."))
                return HttpResponseRedirect(editor_url(instance) + "#statements")
    else:
        form = SeedStatementForm(initial={"text": statement.text})
        status = 200
    context = {
        "instance": instance,
        "process": instance.process,
        "statement": statement,
        "votes": queries.vote_count(statement),
        "form": form,
        "links": links(request, instance),
        "action": registry.get(instance.method_key).url(instance, "staff_statement", pk=pk),
    }
    return render(request, "opinion_map/staff/statement.html", context, status=status)


@staff_page
def statement_status(
    request: HttpRequest, instance: MethodInstance, staff: User, pk: int
) -> HttpResponse:
    """POST ``active`` = 0 takes the statement out of the vote, 1 puts it back."""
    if request.method != "POST":
        return HttpResponseRedirect(editor_url(instance) + "#statements")
    statement = _statement_or_404(instance, pk)
    active = str(request.POST.get("active", ""))
    if active not in ("0", "1"):
        messages.error(request, _("Choose whether the statement is in the vote."))
        return HttpResponseRedirect(editor_url(instance) + "#statements")
    try:
        staff_actions.do_set_active(staff, statement, active == "1")
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("The statement is in the vote again.")
            if active == "1"
            else _("The statement was taken out of the vote. Its votes are kept."),
        )
    return HttpResponseRedirect(editor_url(instance) + f"#statement-{statement.pk}")


@staff_page
def recompute(request: HttpRequest, instance: MethodInstance, staff: User) -> HttpResponse:
    """POST: draw the map now."""
    if request.method == "POST":
        try:
            staff_actions.do_recompute(staff, instance)
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("The map is being drawn. Reload this page in a moment to see it.")
            )
    return HttpResponseRedirect(editor_url(instance) + "#map-state")


URLS: list[URLPattern | URLResolver] = [
    path("stab/pastand/<int:pk>/", statement_page, name="staff_statement"),
    path("stab/pastand/<int:pk>/status/", statement_status, name="staff_statement_status"),
    path("stab/teikn-kartet/", recompute, name="staff_recompute"),
]
