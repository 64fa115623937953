"""The staff editor for a poll's question and options, at /stab/sak/<pk>/metode/<m>/innhald/.

GET shows the form (or, once anyone has voted, the fixed poll and its results), the embed
snippet and links; POST saves and redirects back (POST-redirect-GET). No JavaScript needed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from medvirk.core.errors import ActionRefused
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance
from medvirk.staff import method_pages

from . import actions, queries, views
from .forms import PollEditForm


def editor(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """The poll's editor (the plug-in's ``staff_editor``)."""
    if instance.method_key != actions.METHOD_KEY:
        raise Http404
    locked = actions.has_votes(instance)
    if request.method == "POST":
        if not request.user.is_authenticated:
            raise Http404
        form = PollEditForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                actions.do_save_poll(
                    request.user,
                    instance,
                    form.cleaned_data["question"],
                    form.cleaned_data["options"],
                )
            except ActionRefused as refused:
                if refused.status == 404:
                    raise Http404 from refused
                form.add_error(None, refused.message)
                status = refused.status
            else:
                messages.success(request, _("The poll was saved."))
                return HttpResponseRedirect(method_pages.editor_url(instance))
        return _render(request, instance, form, locked, status=status)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    question = queries.poll(instance)
    initial = {}
    if question is not None:
        initial = {
            "question": question.text,
            "options": "\n".join(o.label for o in queries.options(question)),
        }
    return _render(request, instance, None if locked else PollEditForm(initial=initial), locked)


def _render(
    request: HttpRequest,
    instance: MethodInstance,
    form: PollEditForm | None,
    locked: bool,
    *,
    status: int = 200,
) -> HttpResponse:
    plugin = registry.get(instance.method_key)
    question = queries.poll(instance)
    results = queries.results(instance, exact=True)
    embed_url = request.build_absolute_uri(plugin.url(instance, "embed"))
    context: dict[str, Any] = {
        "instance": instance,
        "process": instance.process,
        "form": form,
        "locked": locked,
        "question": question,
        "results": results,
        "chart": views.chart(results, f"poll-staff-{instance.pk}") if locked else "",
        "embed_snippet": (
            f'<iframe src="{escape(embed_url)}" title="{escape(instance.title)}" width="100%" '
            f'height="480" '
            f'style="border:0" loading="lazy"></iframe>'
        ),
        "urls": {
            "editor": method_pages.editor_url(instance),
            "preview": instance.get_absolute_url(),
            "embed": embed_url,
            "method": reverse(
                "staff:method_edit", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
            ),
        },
    }
    return render(request, "poll/staff/editor.html", context, status=status)
