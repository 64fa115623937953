"""Staff pages of the meeting method.

The editor (the plug-in's ``staff_editor``, at /stab/sak/<pk>/metode/<m>/innhald/; the
core checked ``manage_process`` and the municipality) lists the meetings with their
numbers and the formats' guides. The other pages live under the instance's own address
(``stab/mote/…``), served by the public dispatcher, so each checks the capability itself:
not logged in → the login page; logged in without it → 403 with the reason.

- ``stab/mote/ny/`` and ``stab/mote/<pk>/``: add or change a meeting; cancel it; send the
  gjestebod host's link again or make a new one (``manage_process``).
- ``stab/mote/<pk>/pameldte/``: who registered, with their needs counted for planning, and
  how many took part (``manage_process``: needs can say something about health).
- ``stab/mote/<pk>/resultat/``: register the results (``register_offline``).

Every change is a POST that redirects back (POST-redirect-GET); errors answer 400 with
the form. No JavaScript is needed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medvirk.core.errors import ActionRefused
from medvirk.core.responses import private
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance
from medvirk.staff import method_pages
from medvirk.vocabulary import Capability

from . import actions, guides, host_views, links, needs, queries, staff_actions
from .forms import (
    ROWS_CHOICES,
    AttendanceForm,
    CancelMeetingForm,
    MeetingForm,
    ReportForm,
    initial_for,
    result_rows,
)
from .models import Format, Meeting, Registration

METHOD_KEY = actions.METHOD_KEY


def _reason(capability: Capability, municipality: str) -> str:
    if capability == Capability.REGISTER_OFFLINE:
        text = _(
            "This page is for the municipality's staff who register input from meetings. "
            "Your role in %(municipality)s does not include that."
        )
    else:
        text = _(
            "This page is for the municipality's staff who run the case. Your role in "
            "%(municipality)s does not include that."
        )
    return text % {"municipality": municipality}


def _gate(
    request: HttpRequest, instance: MethodInstance, capability: Capability
) -> HttpResponseBase | None:
    """None when the person may use this staff page; else the login page or a 403."""
    if instance.method_key != METHOD_KEY:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not method_pages.can(request, instance, capability):
        context = {
            "instance": instance,
            "process": instance.process,
            "reason": _reason(capability, instance.process.municipality.name),
        }
        return private(render(request, "meeting/staff_refused.html", context, status=403))
    return None


def _meeting_or_404(instance: MethodInstance, pk: int) -> Meeting:
    meeting = queries.meeting_of(instance, pk)
    if meeting is None:
        raise Http404
    meeting.method_instance = instance
    return meeting


def _meeting_urls(instance: MethodInstance, meeting: Meeting) -> dict[str, str]:
    pk = meeting.pk
    return {
        "edit": registry.instance_url(instance, "staff_meeting", pk=pk),
        "registrations": registry.instance_url(instance, "staff_registrations", pk=pk),
        "results": registry.instance_url(instance, "staff_results", pk=pk),
        "page": registry.instance_url(instance, "meeting", pk=pk),
    }


def _base_urls(instance: MethodInstance) -> dict[str, str]:
    plugin = registry.get(instance.method_key)
    return {
        "editor": method_pages.editor_url(instance),
        "new": registry.instance_url(instance, "staff_new"),
        "preview": instance.get_absolute_url(),
        "kit": registry.instance_url(instance, "kit"),
        "kit_pdf": registry.instance_url(instance, "kit_pdf"),
        "calendar": plugin.export_url(instance, "kalender"),
        "csv": plugin.export_url(instance, "paameldte-csv"),
        "inbox": reverse("staff:inbox", kwargs={"pk": instance.process_id})
        + f"?metode={instance.pk}&kanal=meeting",
        "method": reverse(
            "staff:method_edit", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
        ),
    }


# -- the editor: the list ----------------------------------------------------------------


def editor(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """Every meeting with its numbers, the way to add one, and the formats' guides."""
    if instance.method_key != METHOD_KEY:
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    now = timezone.now()
    upcoming, past = queries.split(queries.meetings(instance, public=False), now)
    context = {
        "instance": instance,
        "process": instance.process,
        "upcoming": [(r, _meeting_urls(instance, r.meeting)) for r in upcoming],
        "past": [(r, _meeting_urls(instance, r.meeting)) for r in past],
        "guides": list(guides.GUIDES.values()),
        "formats": dict(Format.choices),
        "can_results": method_pages.can(request, instance, Capability.REGISTER_OFFLINE),
        "can_export": method_pages.can(request, instance, Capability.EXPORT),
        "urls": _base_urls(instance),
        "now": now,
    }
    response = render(request, "meeting/staff_editor.html", context)
    private(response)
    return response


# -- one meeting: add, change, cancel, the host's link --------------------------------------


def new(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    refused = _gate(request, instance, Capability.MANAGE_PROCESS)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                saved = staff_actions.do_save_meeting(
                    method_pages.staff_user(request), instance, form.meeting_data()
                )
            except ActionRefused as refused_save:
                form.add_error(None, refused_save.message)
                return _render_meeting(request, instance, None, form, status=refused_save.status)
            messages.success(request, _saved_message(saved, new=True))
            return HttpResponseRedirect(
                registry.instance_url(instance, "staff_meeting", pk=saved.pk)
            )
        return _render_meeting(request, instance, None, form, status=400)
    return _render_meeting(request, instance, None, MeetingForm(initial=_new_initial(request)))


def _new_initial(request: HttpRequest) -> dict[str, Any]:
    chosen = str(request.GET.get("format", ""))
    initial: dict[str, Any] = {"registration_open": True}
    if chosen in Format.values:
        initial["format"] = chosen
    return initial


def _saved_message(meeting: Meeting, *, new: bool) -> str:
    text = _("The meeting was added.") if new else _("The meeting was saved.")
    if meeting.format == Format.HOSTED and meeting.host_email and meeting.host_nonce:
        text += " " + _("The host gets the link to report back by e-mail.")
    return text


def edit(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    refused = _gate(request, instance, Capability.MANAGE_PROCESS)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    meeting = _meeting_or_404(instance, pk)
    if request.method != "POST":
        return _render_meeting(
            request, instance, meeting, MeetingForm(initial=initial_for(meeting))
        )
    action = request.POST.get("action", "")
    staff = method_pages.staff_user(request)
    if action == "save":
        form = MeetingForm(request.POST)
        if not form.is_valid():
            return _render_meeting(request, instance, meeting, form, status=400)
        host_before = (meeting.host_email, meeting.host_nonce)
        try:
            saved = staff_actions.do_save_meeting(staff, instance, form.meeting_data(), meeting)
        except ActionRefused as refused_save:
            if refused_save.status == 404:
                raise Http404 from refused_save
            form.add_error(None, refused_save.message)
            return _render_meeting(request, instance, meeting, form, status=refused_save.status)
        text = _("The meeting was saved.")
        if saved.host_email and (saved.host_email, saved.host_nonce) != host_before:
            text += " " + _("The host gets the link to report back by e-mail.")
        messages.success(request, text)
        return HttpResponseRedirect(registry.instance_url(instance, "staff_meeting", pk=pk))
    if action == "cancel":
        cancel_form = CancelMeetingForm(request.POST)
        if not cancel_form.is_valid():
            return _render_meeting(
                request,
                instance,
                meeting,
                MeetingForm(initial=initial_for(meeting)),
                cancel_form=cancel_form,
                status=400,
            )
        try:
            told = staff_actions.do_cancel_meeting(
                staff, meeting, cancel_form.cleaned_data["message"]
            )
        except ActionRefused as refused_cancel:
            if refused_cancel.status == 404:
                raise Http404 from refused_cancel
            return _render_meeting(
                request,
                instance,
                meeting,
                MeetingForm(initial=initial_for(meeting)),
                cancel_form=cancel_form,
                page_error=refused_cancel.message,
                status=refused_cancel.status,
            )
        messages.success(
            request,
            ngettext(
                "The meeting is cancelled. %(n)d person is told by e-mail.",
                "The meeting is cancelled. %(n)d people are told by e-mail.",
                told,
            )
            % {"n": told},
        )
        return HttpResponseRedirect(method_pages.editor_url(instance))
    if action in ("host_link", "new_host_link"):
        try:
            staff_actions.do_send_host_link(staff, meeting, new_link=action == "new_host_link")
        except ActionRefused as refused_link:
            return _render_meeting(
                request,
                instance,
                meeting,
                MeetingForm(initial=initial_for(meeting)),
                page_error=refused_link.message,
                status=refused_link.status,
            )
        if action == "new_host_link":
            messages.success(
                request,
                _("A new link is sent to the host. The old link no longer works."),
            )
        else:
            messages.success(request, _("The link is sent to the host again."))
        return HttpResponseRedirect(
            registry.instance_url(instance, "staff_meeting", pk=pk) + "#host"
        )
    return _render_meeting(
        request,
        instance,
        meeting,
        MeetingForm(initial=initial_for(meeting)),
        page_error=_("The form did not say what to do. Reload the page and try again."),
        status=400,
    )


def _render_meeting(
    request: HttpRequest,
    instance: MethodInstance,
    meeting: Meeting | None,
    form: MeetingForm,
    *,
    cancel_form: CancelMeetingForm | None = None,
    page_error: str = "",
    status: int = 200,
) -> HttpResponseBase:
    now = timezone.now()
    row = queries.meeting_row(instance, meeting.pk) if meeting is not None else None
    if row is not None:
        row.meeting.method_instance = instance
    context: dict[str, Any] = {
        "instance": instance,
        "process": instance.process,
        "meeting": meeting,
        "row": row,
        "form": form,
        "cancel_form": cancel_form or CancelMeetingForm(),
        "cancellable": meeting is not None
        and meeting.cancelled_at is None
        and meeting.ends_at > now
        and not staff_actions.has_results(meeting),
        "page_error": page_error,
        "guides": list(guides.GUIDES.values()),
        "urls": {
            **_base_urls(instance),
            **(_meeting_urls(instance, meeting) if meeting is not None else {}),
        },
        "host_link": links.host_path(meeting)
        if meeting is not None and meeting.format == Format.HOSTED and meeting.host_nonce
        else "",
    }
    return private(render(request, "meeting/staff_meeting.html", context, status=status))


# -- registrations and attendance ----------------------------------------------------------


def registrations(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    refused = _gate(request, instance, Capability.MANAGE_PROCESS)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    meeting = _meeting_or_404(instance, pk)
    form = AttendanceForm(initial={"attendance": meeting.attendance})
    status = 200
    page_error = ""
    if request.method == "POST" and request.POST.get("action") == "delete_registrations":
        try:
            deleted = staff_actions.do_delete_registrations(
                method_pages.staff_user(request), meeting
            )
        except ActionRefused as refused_delete:
            page_error = refused_delete.message
            status = refused_delete.status
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d registration was deleted.", "%(n)d registrations were deleted.", deleted
                )
                % {"n": deleted},
            )
            return HttpResponseRedirect(
                registry.instance_url(instance, "staff_registrations", pk=pk)
            )
    elif request.method == "POST":
        form = AttendanceForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                staff_actions.do_set_attendance(
                    method_pages.staff_user(request), meeting, form.cleaned_data["attendance"]
                )
            except ActionRefused as refused_save:
                form.add_error("attendance", refused_save.message)
                status = refused_save.status
            else:
                messages.success(request, _("The number who took part was saved."))
                return HttpResponseRedirect(
                    registry.instance_url(instance, "staff_registrations", pk=pk)
                )
    row = queries.meeting_row(instance, pk)
    assert row is not None
    people = queries.registrations(meeting)
    context = {
        "instance": instance,
        "process": instance.process,
        "meeting": meeting,
        "row": row,
        "form": form,
        "registered": [
            (r, _needs(r)) for r in people if r.status == Registration.Status.REGISTERED
        ],
        "waiting": [(r, _needs(r)) for r in people if r.status == Registration.Status.WAITING],
        "cancelled": len([r for r in people if r.status == Registration.Status.CANCELLED]),
        "summary": queries.needs_summary(meeting),
        "started": meeting.starts_at <= timezone.now(),
        "ended": meeting.ends_at <= timezone.now(),
        "page_error": page_error,
        "can_export": method_pages.can(request, instance, Capability.EXPORT),
        "urls": {**_base_urls(instance), **_meeting_urls(instance, meeting)},
    }
    return private(render(request, "meeting/staff_registrations.html", context, status=status))


def _needs(registration: Registration) -> list[str]:
    raw = registration.needs
    return needs.describe(raw if isinstance(raw, dict) else {})


# -- results -------------------------------------------------------------------------------


def results(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """Register a meeting's results (several rows at once) on the meeting's behalf."""
    refused = _gate(request, instance, Capability.REGISTER_OFFLINE)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    meeting = _meeting_or_404(instance, pk)
    staged = meeting.format == Format.FUTURE_WORKSHOP
    rows = host_views.rows_wanted(request)
    Rows = result_rows(rows)
    report_form = ReportForm(initial={"guests": meeting.attendance})
    formset = Rows(prefix="resultat", staged=staged)
    status = 200
    not_yet = ""
    try:
        actions.check_results_open(meeting)
    except ActionRefused as refused_open:
        not_yet = refused_open.message
    if request.method == "POST":
        report_form = ReportForm(request.POST)
        formset = Rows(request.POST, request.FILES, prefix="resultat", staged=staged)
        status = 400
        if report_form.is_valid() and formset.is_valid():
            guests = (
                report_form.cleaned_data.get("guests") if meeting.format == Format.HOSTED else None
            )
            try:
                receipts = actions.do_report_results(
                    meeting,
                    host_views.rows_from_form(formset),
                    staff=method_pages.staff_user(request),
                    guests=guests,
                )
            except ActionRefused as refused_save:
                report_form.add_error(None, refused_save.message)
                status = refused_save.status
            else:
                n = len(receipts)
                messages.success(
                    request,
                    ngettext(
                        "%(n)d result is registered. It is in the inbox, to be answered.",
                        "%(n)d results are registered. They are in the inbox, to be answered.",
                        n,
                    )
                    % {"n": n},
                )
                return HttpResponseRedirect(
                    registry.instance_url(instance, "staff_results", pk=pk) + "#registered"
                )
    items = queries.results(meeting, public=False)
    context = {
        "instance": instance,
        "process": instance.process,
        "meeting": meeting,
        "row": queries.MeetingRow(meeting),
        "report_form": report_form,
        "formset": formset,
        "staged": staged,
        "hosted": meeting.format == Format.HOSTED,
        "rows": rows,
        "rows_choices": ROWS_CHOICES,
        "not_yet": not_yet,
        "guide": guides.guide(meeting.format),
        "registered_results": queries.result_items(items),
        "self_url": registry.instance_url(instance, "staff_results", pk=pk),
        "urls": {**_base_urls(instance), **_meeting_urls(instance, meeting)},
    }
    return private(render(request, "meeting/staff_results.html", context, status=status))


URLS: list[URLPattern | URLResolver] = [
    path("stab/mote/ny/", new, name="staff_new"),
    path("stab/mote/<int:pk>/", edit, name="staff_meeting"),
    path("stab/mote/<int:pk>/pameldte/", registrations, name="staff_registrations"),
    path("stab/mote/<int:pk>/resultat/", results, name="staff_results"),
]
