"""The gjestebod host's private page, ``vert/<token>/``: the kit, and the form to report
the results, which then come in as input from a meeting and are answered like web input.

The link is the permission: the host needs no account, and whoever has the link can
report for that gjestebod, which the page says. A wrong token, or one of another
instance's meeting: 404. Staff make a new link (the old one stops working) on the
meeting's staff page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medvirk.core import ratelimit
from medvirk.core.errors import ActionRefused
from medvirk.processes import permissions, registry
from medvirk.processes.types import MethodInstance

from . import actions, guides, links, queries
from .forms import ROWS_CHOICES, ROWS_DEFAULT, ReportForm, result_rows
from .models import Format, Meeting


def _private(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    # The token is in the address: no search engine should keep it.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def rows_wanted(request: HttpRequest) -> int:
    raw = str(request.GET.get("rader", ""))
    if raw.isascii() and raw.isdigit() and int(raw) in ROWS_CHOICES:
        return int(raw)
    return ROWS_DEFAULT


def rows_from_form(formset: Any) -> list[actions.ResultRow]:
    """The filled rows of a valid formset as the action's rows."""
    return [
        actions.ResultRow(
            type=str(data.get("type") or ""),
            text=str(data.get("text") or ""),
            stage=str(data.get("stage") or ""),
            rank=data.get("rank"),
            photo=data.get("photo"),
            consent=bool(data.get("consent")),
        )
        for data in formset.filled()
    ]


def _refusal(instance: MethodInstance, meeting: Meeting) -> str:
    """Why the results cannot be reported now, or ""."""
    verdict = permissions.can_act(AnonymousUser(), instance, actions.REPORT)
    if not verdict:
        return verdict.reason
    if meeting.cancelled_at is not None:
        return _("This gjestebod is cancelled, so there is nothing to report.")
    if meeting.starts_at > timezone.now():
        return _(
            "You can report the results here once the gjestebod has started. Meanwhile, "
            "print the question sheet."
        )
    return ""


def host(request: HttpRequest, instance: MethodInstance, token: str) -> HttpResponseBase:
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    meeting = links.find_host_meeting(instance, token)
    if meeting is None or meeting.format != Format.HOSTED:
        raise Http404
    meeting.method_instance = instance
    refusal = _refusal(instance, meeting)
    staged = meeting.format == Format.FUTURE_WORKSHOP
    rows = rows_wanted(request)
    Rows = result_rows(rows)
    report_form = ReportForm(initial={"guests": meeting.attendance})
    formset = Rows(prefix="resultat", staged=staged)
    status = 200
    if request.method == "POST":
        if refusal:
            status = 403
        else:
            report_form = ReportForm(request.POST)
            formset = Rows(request.POST, request.FILES, prefix="resultat", staged=staged)
            status = 400
            if report_form.is_valid() and formset.is_valid():
                try:
                    ratelimit.check_client(request, "input", instance.pk)
                    receipts = actions.do_report_results(
                        meeting,
                        rows_from_form(formset),
                        guests=report_form.cleaned_data.get("guests"),
                    )
                except ratelimit.Limited as limited:
                    report_form.add_error(None, limited.message)
                    status = 429
                except ActionRefused as refused:
                    report_form.add_error(None, refused.message)
                    status = refused.status
                else:
                    n = len(receipts)
                    messages.success(
                        request,
                        ngettext(
                            "Thank you. %(n)d result is reported; the municipality answers it "
                            "here.",
                            "Thank you. %(n)d results are reported; the municipality answers "
                            "them here.",
                            n,
                        )
                        % {"n": n},
                    )
                    self_url = links.host_path(meeting)
                    return _private(redirect(f"{self_url}#reported"))
    plugin = registry.get(instance.method_key)
    items = queries.results(meeting, public=False)
    context: dict[str, Any] = {
        "instance": instance,
        "process": instance.process,
        "meeting": meeting,
        "row": queries.MeetingRow(meeting),
        "refusal": refusal,
        "report_form": report_form,
        "formset": formset,
        "staged": staged,
        "rows": rows,
        "rows_choices": ROWS_CHOICES,
        "steps": guides.HOST_STEPS,
        "questions": guides.questions(str(instance.settings.get("host_questions", "") or "")),
        "reported": queries.result_items(items),
        "self_url": links.host_path(meeting),
        "urls": {
            "kit": plugin.url(instance, "kit"),
            "kit_pdf": plugin.url(instance, "kit_pdf"),
            "page": plugin.url(instance, "meeting", pk=meeting.pk),
        },
    }
    response = render(request, "meeting/host.html", context, status=status)
    if status == 429:
        ratelimit.retry_later(response, ratelimit.retry_after("input"))
    return _private(response)


def any_host_url(instance: MethodInstance) -> str | None:
    """A working host link of one of the instance's gjestebod meetings, or None."""
    meeting = queries.any_host_meeting(instance)
    if meeting is None:
        return None
    meeting.method_instance = instance
    return links.host_path(meeting)


URLS: list[URLPattern | URLResolver] = [path("vert/<str:token>/", host, name="host")]
