"""Residents' pages of the meeting method: the meetings (upcoming and past), one meeting
with its guide and published results, registering (with needs), the private page of a
registration (see or cancel), a meeting's calendar file, and the gjestebod kit (a printable
page, the question sheet as PDF).

Thin views: reads through ``queries``, writes through ``actions``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.accountability import contact
from medvirk.core import pdf, ratelimit
from medvirk.core.errors import ActionRefused
from medvirk.core.responses import not_allowed, private
from medvirk.core.uploads import content_disposition
from medvirk.identity.types import User
from medvirk.organisations import capabilities
from medvirk.processes import registry
from medvirk.processes.permissions import NeedsLogin
from medvirk.processes.types import MethodInstance
from medvirk.vocabulary import Capability

from . import actions, calendars, demographics, guides, links, needs, queries
from .forms import CancelRegistrationForm, RegistrationForm
from .models import Registration

GET = "GET, HEAD"
GET_POST = "GET, HEAD, POST"


def _is_staff(request: HttpRequest, instance: MethodInstance) -> bool:
    return capabilities.staff_can(
        request.user, Capability.MANAGE_PROCESS, instance.process.municipality_id
    )


def _row_or_404(instance: MethodInstance, pk: int) -> queries.MeetingRow:
    row = queries.meeting_row(instance, pk)
    if row is None:
        raise Http404
    row.meeting.method_instance = instance
    return row


def _links(instance: MethodInstance, row: queries.MeetingRow) -> dict[str, str]:
    pk = row.meeting.pk
    return {
        "page": registry.instance_url(instance, "meeting", pk=pk),
        "register": registry.instance_url(instance, "register", pk=pk),
        "ics": registry.instance_url(instance, "meeting_ics", pk=pk),
    }


def _common(instance: MethodInstance) -> dict[str, Any]:
    plugin = registry.get(instance.method_key)
    return {
        "instance": instance,
        "process": instance.process,
        "urls": {
            "list": instance.get_absolute_url(),
            "calendar": plugin.export_url(instance, "kalender"),
            "kit": registry.instance_url(instance, "kit"),
            "kit_pdf": registry.instance_url(instance, "kit_pdf"),
        },
    }


# -- the list ------------------------------------------------------------------------------


def page(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """The meetings: upcoming first (soonest first), then past ones with their results."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed(GET)
    now = timezone.now()
    upcoming, past = queries.split(queries.meetings(instance), now)
    formats = sorted({r.meeting.format for r in upcoming + past})
    context = {
        **_common(instance),
        "upcoming": [(r, _links(instance, r)) for r in upcoming],
        "past": [(r, _links(instance, r)) for r in past],
        "now": now,
        "guides": [guides.guide(f) for f in formats],
        "results_promise": guides.RESULTS_PROMISE,
        "is_staff": _is_staff(request, instance),
        "editor_url": reverse(
            "staff:method_content", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
        ),
    }
    return render(request, "meeting/page.html", context)


# -- one meeting ---------------------------------------------------------------------------


def meeting(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponse:
    """One meeting: what, when, where, accessibility, places, its guide and its results."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed(GET)
    row = _row_or_404(instance, pk)
    now = timezone.now()
    refusal = ""
    if row.takes_registrations(now):
        try:
            actions.check_register(request.user, instance, row.meeting)
        except ActionRefused as refused:
            refusal = refused.message
    items = queries.results(row.meeting)
    context = {
        **_common(instance),
        "row": row,
        "meeting": row.meeting,
        "links": _links(instance, row),
        "now": now,
        "past": row.is_past(now),
        "can_register": row.takes_registrations(now) and not refusal,
        "refusal": refusal,
        "guide": row.guide,
        "results_promise": guides.RESULTS_PROMISE,
        "groups": [
            (group, queries.result_items(group.items))
            for group in queries.grouped(row.meeting, items)
        ],
        "is_staff": _is_staff(request, instance),
    }
    return render(request, "meeting/meeting.html", context)


def meeting_ics(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponse:
    """The meeting as an iCalendar file, to add to one's calendar."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed(GET)
    row = _row_or_404(instance, pk)
    response = HttpResponse(
        calendars.for_meeting(row.meeting, cancelled=row.is_cancelled),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition(f"mote-{row.meeting.pk}.ics")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- registering ---------------------------------------------------------------------------


def register(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """GET shows the form; POST registers (a place, or the wait list when it is full)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed(GET_POST)
    row = _row_or_404(instance, pk)
    own_address = contact.account_email(request.user)
    context: dict[str, Any] = {
        **_common(instance),
        "row": row,
        "meeting": row.meeting,
        "links": _links(instance, row),
        "masked_address": contact.masked_email(own_address) if own_address else "",
    }
    try:
        actions.check_register(request.user, instance, row.meeting)
    except ActionRefused as refused:
        context["refusal"] = refused.message
        context["needs_login"] = isinstance(refused, NeedsLogin)
        return private(render(request, "meeting/register.html", context, status=refused.status))
    districts = demographics.district_names(instance)
    if request.method != "POST":
        initial = {}
        user = request.user
        if isinstance(user, User):
            initial["name"] = user.display_name or user.get_full_name()
        context["form"] = RegistrationForm(
            initial=initial, account_email=own_address, districts=districts
        )
        return private(render(request, "meeting/register.html", context))
    form = RegistrationForm(request.POST, account_email=own_address, districts=districts)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            ratelimit.check_client(request, "input", instance.pk)
            done = actions.do_register(
                request.user,
                instance,
                row.meeting,
                name=data["name"],
                email=own_address or data.get("email", ""),
                needs=form.needs(),
                language=getattr(request, "LANGUAGE_CODE", "") or "",
                demographics=form.demographics(),
            )
        except ratelimit.Limited as limited:
            form.add_error(None, limited.message)
            context["form"] = form
            response = render(request, "meeting/register.html", context, status=429)
            return private(ratelimit.retry_later(response, limited.retry_after))
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            status = refused.status
        else:
            if done.waiting:
                messages.success(
                    request,
                    _(
                        "The meeting is full, so you are on the wait list. If a place becomes "
                        "free, you get it in turn and we tell you by e-mail."
                    ),
                )
            else:
                messages.success(request, _("You are registered. See you there!"))
            return private(
                redirect(registry.instance_url(instance, "registration", token=done.token))
            )
    context["form"] = form
    return private(render(request, "meeting/register.html", context, status=status))


def registration(request: HttpRequest, instance: MethodInstance, token: str) -> HttpResponseBase:
    """The private page of one registration: see it, or cancel it (POST)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed(GET_POST)
    found = links.find_registration(instance, token)
    if found is None:
        raise Http404
    found.meeting.method_instance = instance
    form = CancelRegistrationForm()
    status = 200
    if request.method == "POST":
        form = CancelRegistrationForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                actions.do_cancel_registration(found)
            except ActionRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                messages.success(
                    request, _("Your registration is cancelled. Thank you for telling us.")
                )
                return private(
                    redirect(registry.instance_url(instance, "registration", token=token))
                )
    row = queries.meeting_row(instance, found.meeting_id)
    assert row is not None
    row.meeting.method_instance = instance
    context = {
        **_common(instance),
        "registration": found,
        "row": row,
        "meeting": row.meeting,
        "links": _links(instance, row),
        "needs": _needs_words(found),
        "told": _told(found),
        "position": queries.waiting_position(found),
        "cancellable": found.status != Registration.Status.CANCELLED and not row.is_past(),
        "form": form,
        "self_url": registry.instance_url(instance, "registration", token=token),
    }
    return private(render(request, "meeting/registration.html", context, status=status))


def _needs_words(registration: Registration) -> list[str]:
    return needs.describe(registration.needs if isinstance(registration.needs, dict) else {})


def _told(registration: Registration) -> list[tuple[str, str]]:
    """(what, the answer) the person consented to tell, for their own page."""
    return [
        (label, value)
        for label, value in (
            (_("Age group"), registration.get_age_band_display()),
            (_("Sex"), registration.get_sex_display()),
            (_("District"), registration.district),
        )
        if value
    ]


# -- the gjestebod kit ---------------------------------------------------------------------


def _kit_context(instance: MethodInstance) -> dict[str, Any]:
    return {
        **_common(instance),
        "steps": guides.HOST_STEPS,
        "questions": guides.questions(str(instance.settings.get("host_questions", "") or "")),
        "guide": guides.guide("gjestebud"),
        "stages": guides.Stage.choices,
        "made_at": timezone.localtime(),
    }


def kit(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """The host's kit as one printable page: how to, the questions, the results form."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed(GET)
    return render(request, "meeting/kit.html", _kit_context(instance))


def kit_pdf(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """The question sheet as a tagged PDF; the print page where PDFs cannot be made."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed(GET)
    context = {**_kit_context(instance), "lang": getattr(request, "LANGUAGE_CODE", "") or "nn"}
    html = render_to_string("meeting/kit_pdf.html", context)
    rendered = pdf.render(html, base_url=request.build_absolute_uri("/"))
    if rendered is None:
        return render(request, "meeting/kit.html", _kit_context(instance))
    response = HttpResponse(rendered, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        f"{instance.process.slug}-{instance.slug}-samtaleark.pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


URLS: list[URLPattern | URLResolver] = [
    path("mote/<int:pk>/", meeting, name="meeting"),
    path("mote/<int:pk>/meld-pa/", register, name="register"),
    path("mote/<int:pk>/kalender/", meeting_ics, name="meeting_ics"),
    path("pamelding/<str:token>/", registration, name="registration"),
    path("samtaleark/", kit, name="kit"),
    path("samtaleark/pdf/", kit_pdf, name="kit_pdf"),
]
