"""Public: report published input to the kommune's moderators (post-moderation).

Works without JavaScript: a page with the input and a short form. One report per person
and input (``contributions.actions.do_report``: a keyed hash of the account, or of the
browser session), and reports per client are limited like other input.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from medvirk.contributions import actions as contributions
from medvirk.contributions import queries as contribution_queries
from medvirk.core import ratelimit
from medvirk.core.errors import ActionRefused
from medvirk.processes import lookups

from .moderation_forms import ReportForm


def _reporter_key(request: HttpRequest) -> str:
    """Who reports, as a key only this server can turn into the stored hash."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    if not request.session.session_key:
        request.session.save()  # an anonymous visitor gets a session to be recognised by
    return f"session:{request.session.session_key or ''}"


def report(request: HttpRequest, municipality: str, slug: str, pk: int) -> HttpResponse:
    process = lookups.public_process(request, municipality, slug)
    contribution = contribution_queries.reportable(process, pk)
    if contribution is None:
        raise Http404
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                # Reports per client are limited with the other input (a 429, form kept).
                ratelimit.check_client(request, "input", "report", process.pk)
                _report, created = contributions.do_report(
                    contribution,
                    form.cleaned_data["reason"],
                    form.cleaned_data["note"],
                    _reporter_key(request),
                )
            except ratelimit.Limited as limited:
                form.add_error(None, limited.message)
                page = render(
                    request,
                    "processes/report.html",
                    {"process": process, "contribution": contribution, "form": form},
                    status=429,
                )
                return ratelimit.retry_later(page, limited.retry_after)
            except ActionRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                messages.success(
                    request,
                    _("Thank you. A moderator will look at the input.")
                    if created
                    else _("You have already reported this input. A moderator will look at it."),
                )
                url = reverse(
                    "public:contributions", kwargs={"municipality": municipality, "slug": slug}
                )
                return redirect(f"{url}#innspel-{contribution.pk}")
    response = render(
        request,
        "processes/report.html",
        {"process": process, "contribution": contribution, "form": form},
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response
