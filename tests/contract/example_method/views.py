"""The idea method's pages and downloads. Each takes ``(request, instance)``: the core has
found the instance (in its municipality, drafts hidden) before it calls them, and has checked
the ``export`` capability before it calls a staff export."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.core.csvfiles import csv_download
from medvirk.core.errors import ActionRefused
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance

from . import actions, queries
from .forms import IdeaForm


def _shows_ideas(instance: MethodInstance) -> bool:
    return bool(instance.settings.get("show_ideas", True))


def page(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """GET shows the idea form and the published ideas; POST stores an idea."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    refusal = ""
    try:
        actions.check_submit(request.user, instance)
    except ActionRefused as refused:
        refusal = refused.message
    posted = request.method == "POST"
    form = IdeaForm(request.POST if posted else None, max_length=actions.max_length(instance))
    status = 200
    if posted:
        status = 403 if refusal else 400
        if not refusal and form.is_valid():
            try:
                receipt = actions.do_submit_idea(
                    request.user,
                    instance,
                    form.cleaned_data["text"],
                    form.cleaned_data["contact_email"],
                )
            except ActionRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                messages.success(
                    request,
                    _("Your idea is registered. Save this page's address: it is your receipt."),
                )
                return redirect(receipt.contribution.receipt_url())
    return render(
        request,
        "example_method/page.html",
        {
            "instance": instance,
            "process": instance.process,
            "form": None if refusal else form,
            "refusal": refusal,
            "ideas": queries.published_ideas(instance)[:50] if _shows_ideas(instance) else None,
            "results_url": registry.get(instance.method_key).url(instance, "results"),
        },
        status=status,
    )


def results(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """``resultat/``: the published ideas with the municipality's answers."""
    if not _shows_ideas(instance):
        raise Http404
    return render(
        request,
        "example_method/results.html",
        {
            "instance": instance,
            "process": instance.process,
            "ideas": queries.published_ideas(instance),
        },
    )


# -- exports ------------------------------------------------------------------------------


def public_csv(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """Open data: the published ideas' text and day, nothing that names or reaches a person
    (no name, e-mail, account or exact time). It counts no groups, so nothing to suppress."""
    rows: list[list[object]] = [[_("Idea"), _("Date")]]
    rows += [
        [idea.text, timezone.localdate(idea.created_at).isoformat()]
        for idea in queries.published_ideas(instance)
    ]
    return csv_download(rows, f"{instance.process.slug}-{instance.slug}-idear.csv")


def staff_csv(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """Every idea with its moderation state, for staff with the ``export`` capability.
    Contact e-mails stay out: answering goes through the inbox, which uses them."""
    rows: list[list[object]] = [[_("Idea no."), _("Received"), _("Moderation"), _("Idea")]]
    rows += [
        [
            idea.pk,
            timezone.localtime(idea.created_at).isoformat(timespec="seconds"),
            idea.get_moderation_display(),
            idea.text,
        ]
        for idea in queries.all_ideas(instance)
    ]
    filename = f"{instance.process.slug}-{instance.slug}-alle-idear.csv"
    return csv_download(rows, filename, private=True)
