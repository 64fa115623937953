"""Residents' pages: the bodies a case asks and their statements, a body's own page
(members, mandate and delegation, meetings with agenda and minutes, its statements), the
minutes file, and the statement form for the body's secretary and staff.

Thin views: reads through ``queries``, writes through ``actions``; no other app's models.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _

from medvirk.core import uploads
from medvirk.core.errors import ActionRefused
from medvirk.core.responses import not_allowed, private
from medvirk.organisations import capabilities
from medvirk.processes import registry
from medvirk.processes.permissions import NeedsLogin
from medvirk.processes.types import MethodInstance
from medvirk.staff import method_pages
from medvirk.vocabulary import Capability

from . import actions, queries
from .forms import StatementForm
from .models import STATUTORY_KINDS, Body, StatementRequest

GET = "GET, HEAD"
GET_POST = "GET, HEAD, POST"


def _can(request: HttpRequest, instance: MethodInstance, capability: Capability) -> bool:
    return capabilities.staff_can(request.user, capability, instance.process.municipality_id)


def _login_url(next_path: str) -> str:
    return reverse("identity:login") + "?" + urlencode({"next": next_path})


def _body_url(instance: MethodInstance, body: Body) -> str:
    return registry.instance_url(instance, "body", slug=body.slug)


def _statement_url(instance: MethodInstance, body: Body) -> str:
    return registry.instance_url(instance, "statement", slug=body.slug)


# -- the case's page: who is asked, and what they said -----------------------------------------


def page(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return not_allowed(GET)
    rows = queries.asked(instance)
    staff_writes = _can(request, instance, Capability.REGISTER_OFFLINE)
    own = (
        set(queries.writes_for(request.user.pk).values_list("pk", flat=True))
        if request.user.is_authenticated and not staff_writes
        else set()
    )
    entries = [
        {
            "row": row,
            "body_url": _body_url(instance, row.body),
            "statement_url": _statement_url(instance, row.body),
            "may_write": (row.statement is None or row.is_hidden)
            and (staff_writes or row.body.pk in own),
            "statutory": row.body.kind in STATUTORY_KINDS,
        }
        for row in rows
    ]
    context = {
        "instance": instance,
        "process": instance.process,
        "entries": entries,
        "given": sum(1 for r in rows if r.is_public and not r.is_hidden),
        "others": [
            (b, _body_url(instance, b), b.kind in STATUTORY_KINDS)
            for b in queries.other_bodies(instance)
        ],
        "is_staff": _can(request, instance, Capability.MANAGE_PROCESS),
        "editor_url": method_pages.editor_url(instance),
        "open_data_url": registry.get(instance.method_key).export_url(instance, "uttaler-csv"),
    }
    return render(request, "bodies/page.html", context)


# -- a body's own page --------------------------------------------------------------------------


def _body_or_404(request: HttpRequest, instance: MethodInstance, slug: str) -> Body:
    staff = _can(request, instance, Capability.MANAGE_PROCESS)
    body = queries.body_by_slug(instance.process.municipality_id, slug, public=not staff)
    if body is None:
        raise Http404
    return body


def body(request: HttpRequest, instance: MethodInstance, slug: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return not_allowed(GET)
    found = _body_or_404(request, instance, slug)
    coming, past = queries.meetings(found)
    for row in coming + past:
        if row.meeting.minutes_file.name:
            row.minutes_url = registry.instance_url(
                instance, "minutes", slug=found.slug, pk=row.meeting.pk
            )
    statements = [
        {
            "statement": s,
            "response": queries.response_of(s),
            "url": s.request.method_instance.get_absolute_url() + f"#organ-{found.slug}",
        }
        for s in queries.public_statements(found)
    ]
    context = {
        "instance": instance,
        "process": instance.process,
        "body": found,
        "members": queries.current_members(found),
        "coming": coming,
        "past": past,
        "statements": statements,
        "statutory": found.kind in STATUTORY_KINDS,
        "is_staff": _can(request, instance, Capability.MANAGE_PROCESS),
        "staff_url": registry.instance_url(instance, "staff_body", pk=found.pk),
    }
    return render(request, "bodies/body.html", context)


def minutes(request: HttpRequest, instance: MethodInstance, slug: str, pk: int) -> HttpResponseBase:
    """A meeting's minutes file, as a download."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed(GET)
    found = _body_or_404(request, instance, slug)
    meeting = queries.meeting_of(found, pk)
    if meeting is None or not meeting.minutes_file.name:
        raise Http404
    return uploads.download_response(
        meeting.minutes_file, meeting.minutes_filename, meeting.minutes_content_type
    )


# -- the statement form ---------------------------------------------------------------------------


def _form(request: HttpRequest, req: StatementRequest) -> tuple[StatementForm, bool]:
    data = request.POST if request.method == "POST" else None
    meetings = queries.meeting_choices(req.body)
    form = StatementForm(data, meetings=meetings, agenda=queries.agenda_choices(req.body))
    return form, bool(meetings)


def statement(request: HttpRequest, instance: MethodInstance, slug: str) -> HttpResponseBase:
    """The body's secretary (or staff who register input) registers its statement."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed(GET_POST)
    req = queries.request_of(instance, slug)
    if req is None:
        raise Http404
    self_url = _statement_url(instance, req.body)
    context: dict[str, Any] = {
        "instance": instance,
        "process": instance.process,
        "req": req,
        "body": req.body,
        "body_url": _body_url(instance, req.body),
        "self_url": self_url,
        "login_url": _login_url(self_url),
        "deadline_passed": actions.today() > req.deadline,
    }
    existing = actions.live_statement(req)
    if existing is not None:
        context["existing"] = existing
        status = 409 if request.method == "POST" else 200
        return private(render(request, "bodies/statement.html", context, status=status))
    needs_login = False
    try:
        writer = actions.check_statement(request.user, instance, req)
    except NeedsLogin as refused:
        needs_login, context["login_reason"] = True, refused.message
        writer = None
    except ActionRefused as refused:
        if refused.status == 404:
            raise Http404 from refused
        context["refusal"] = refused.message
        return private(render(request, "bodies/statement.html", context, status=refused.status))
    context["needs_login"] = needs_login
    context["writer"] = writer
    form, context["has_meetings"] = _form(request, req)
    context["form"] = form
    if request.method != "POST":
        return private(render(request, "bodies/statement.html", context))
    if needs_login:
        form.is_valid()
        form.add_error(None, context["login_reason"])
        return private(render(request, "bodies/statement.html", context, status=403))
    if not form.is_valid():
        return private(render(request, "bodies/statement.html", context, status=400))
    data = form.cleaned_data
    try:
        receipt = actions.do_register_statement(
            request.user,
            instance,
            req,
            text=data["text"],
            meeting_id=data["meeting"],
            agenda_item_id=data.get("agenda_item"),
        )
    except ActionRefused as refused:
        form.add_error(None, refused.message)
        return private(render(request, "bodies/statement.html", context, status=refused.status))
    messages.success(
        request,
        _(
            "The statement of %(body)s is registered. It is published on the case and "
            "answered by the municipality; the receipt and the answer go to the body's "
            "e-mail address."
        )
        % {"body": req.body.name},
    )
    return redirect(receipt.contribution.receipt_url())


URLS: list[URLPattern | URLResolver] = [
    path("organ/<slug:slug>/", body, name="body"),
    path("organ/<slug:slug>/mote/<int:pk>/referat/", minutes, name="minutes"),
    path("uttale/<slug:slug>/", statement, name="statement"),
]
