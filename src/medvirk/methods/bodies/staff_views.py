"""Staff pages: which bodies the case asks (the editor), and the municipality's bodies with
their members, meetings, agenda and minutes.

The editor is the plug-in's ``staff_editor`` (/stab/sak/<pk>/metode/<m>/innhald/; the core
checked ``manage_process``). The other pages live under the instance's address
(``stab/…``), served by the public dispatcher, so each checks the capability itself: not
logged in → the login page; without it → 403 with the reason. Every change is a POST that
redirects back; errors answer 400 with the form. No JavaScript is needed.
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

from medvirk.core.errors import ActionRefused
from medvirk.core.responses import not_allowed, private
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance
from medvirk.staff import method_pages
from medvirk.vocabulary import Capability

from . import actions, queries, staff_actions
from .forms import (
    AgendaItemForm,
    AskForm,
    BodyForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    RequestForm,
)
from .models import Body, BodyMeeting, BodyMember, MeetingStatus

GET_POST = "GET, HEAD, POST"


def _gate(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase | None:
    """None when the person may use these pages; else the login page or a 403."""
    if instance.method_key != actions.METHOD_KEY:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not method_pages.can(request, instance, Capability.MANAGE_PROCESS):
        context = {
            "instance": instance,
            "process": instance.process,
            "reason": _(
                "This page is for the municipality's staff who run the case. Your role in "
                "%(municipality)s does not include that."
            )
            % {"municipality": instance.process.municipality.name},
        }
        return private(render(request, "bodies/staff_refused.html", context, status=403))
    return None


def _urls(instance: MethodInstance) -> dict[str, str]:
    plugin = registry.get(instance.method_key)
    return {
        "editor": method_pages.editor_url(instance),
        "page": instance.get_absolute_url(),
        "new_body": registry.instance_url(instance, "staff_body_new"),
        "ask": registry.instance_url(instance, "staff_ask"),
        "inbox": reverse("staff:inbox", kwargs={"pk": instance.process_id})
        + f"?metode={instance.pk}",
        "method": reverse(
            "staff:method_edit", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
        ),
        "pdf": plugin.export_url(instance, "uttaler-pdf"),
        "csv": plugin.export_url(instance, "alle-uttaler-csv"),
    }


def _render(
    request: HttpRequest,
    instance: MethodInstance,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    base = {"instance": instance, "process": instance.process, "urls": _urls(instance)}
    return private(render(request, template, {**base, **context}, status=status))


def _back(url: str, message: str, request: HttpRequest) -> HttpResponseRedirect:
    messages.success(request, message)
    return HttpResponseRedirect(url)


# -- the editor: the bodies asked ----------------------------------------------------------------


def _body_choices(instance: MethodInstance) -> list[tuple[int, str]]:
    return [(b.pk, b.name) for b in queries.askable_bodies(instance)]


def editor(
    request: HttpRequest,
    instance: MethodInstance,
    ask_form: AskForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if instance.method_key != actions.METHOD_KEY:
        raise Http404
    if request.method not in ("GET", "HEAD") and ask_form is None:
        return not_allowed("GET, HEAD")
    rows = queries.asked(instance, public=False)
    context = {
        "rows": [
            (
                row,
                registry.instance_url(instance, "staff_request", pk=row.request.pk),
                registry.instance_url(instance, "statement", slug=row.body.slug),
            )
            for row in rows
        ],
        "ask_form": ask_form or AskForm(bodies=_body_choices(instance)),
        "bodies": [
            (b, registry.instance_url(instance, "staff_body", pk=b.pk))
            for b in queries.bodies_of(instance.process.municipality_id)
        ],
        "can_register": method_pages.can(request, instance, Capability.REGISTER_OFFLINE),
        "can_export": method_pages.can(request, instance, Capability.EXPORT),
    }
    return _render(request, instance, "bodies/staff_editor.html", context, status)


def ask(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    refused = _gate(request, instance)
    if refused is not None:
        return refused
    if request.method != "POST":
        return HttpResponseRedirect(method_pages.editor_url(instance))
    form = AskForm(request.POST, bodies=_body_choices(instance))
    if not form.is_valid():
        return editor(request, instance, form, status=400)
    found = queries.body_of(instance.process.municipality_id, form.cleaned_data["body"])
    if found is None:
        raise Http404
    try:
        staff_actions.do_ask_body(
            method_pages.staff_user(request),
            instance,
            found,
            form.cleaned_data["deadline"],
            form.cleaned_data.get("question") or "",
        )
    except ActionRefused as refusal:
        form.add_error(None, refusal.message)
        return editor(request, instance, form, status=refusal.status)
    return _back(
        method_pages.editor_url(instance),
        _("%(body)s is asked for its statement.") % {"body": found.name},
        request,
    )


def request_page(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """Change the deadline or the question, or withdraw a request with no statement."""
    refused = _gate(request, instance)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed(GET_POST)
    req = queries.request_by_pk(instance, pk)
    if req is None:
        raise Http404
    staff = method_pages.staff_user(request)
    form = RequestForm(initial={"deadline": req.deadline, "question": req.question})
    page_error, status = "", 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                staff_actions.do_remove_request(staff, req)
                return _back(
                    method_pages.editor_url(instance),
                    _("The request to %(body)s is withdrawn.") % {"body": req.body.name},
                    request,
                )
            form = RequestForm(request.POST)
            if form.is_valid():
                staff_actions.do_change_request(
                    staff, req, form.cleaned_data["deadline"], form.cleaned_data["question"]
                )
                return _back(method_pages.editor_url(instance), _("The request is saved."), request)
            status = 400
        except ActionRefused as refusal:
            page_error, status = refusal.message, refusal.status
    context = {"req": req, "form": form, "page_error": page_error}
    return _render(request, instance, "bodies/staff_request.html", context, status)


# -- a body ---------------------------------------------------------------------------------------


def _body_or_404(instance: MethodInstance, pk: int) -> Body:
    found = queries.body_of(instance.process.municipality_id, pk)
    if found is None:
        raise Http404
    return found


def _body_initial(body: Body) -> dict[str, Any]:
    return {
        f: getattr(body, f)
        for f in (
            "kind",
            "name",
            "slug",
            "mandate",
            "delegation",
            "legal_basis",
            "contact_email",
            "is_published",
        )
    }


def _body_context(instance: MethodInstance, body: Body | None) -> dict[str, Any]:
    if body is None:
        return {"body": None}
    coming, past = queries.meetings(body)
    return {
        "body": body,
        "members": [
            (m, registry.instance_url(instance, "staff_member", pk=body.pk, member=m.pk))
            for m in queries.all_members(body)
        ],
        "meetings": [
            (r, registry.instance_url(instance, "staff_meeting", pk=body.pk, meeting=r.meeting.pk))
            for r in coming + past
        ],
        "today": actions.today(),
        "body_urls": {
            "edit": registry.instance_url(instance, "staff_body", pk=body.pk),
            "new_member": registry.instance_url(instance, "staff_member_new", pk=body.pk),
            "new_meeting": registry.instance_url(instance, "staff_meeting_new", pk=body.pk),
            "public": registry.instance_url(instance, "body", slug=body.slug),
        },
    }


def body_new(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    return _body_page(request, instance, None)


def body_edit(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    return _body_page(request, instance, pk)


def _body_page(request: HttpRequest, instance: MethodInstance, pk: int | None) -> HttpResponseBase:
    refused = _gate(request, instance)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed(GET_POST)
    found = _body_or_404(instance, pk) if pk is not None else None
    if request.method != "POST":
        form = BodyForm(initial=_body_initial(found) if found else {"is_published": True})
        return _render(
            request,
            instance,
            "bodies/staff_body.html",
            {**_body_context(instance, found), "form": form},
        )
    form = BodyForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            saved = staff_actions.do_save_body(
                method_pages.staff_user(request),
                instance.process.municipality,
                form.body_data(),
                found,
            )
        except ActionRefused as refusal:
            if refusal.status == 404:
                raise Http404 from refusal
            form.add_error(None, refusal.message)
            status = refusal.status
        else:
            return _back(
                registry.instance_url(instance, "staff_body", pk=saved.pk),
                _("The body is saved.") if found else _("The body is added."),
                request,
            )
    return _render(
        request,
        instance,
        "bodies/staff_body.html",
        {**_body_context(instance, found), "form": form},
        status,
    )


# -- members --------------------------------------------------------------------------------------


def _member_initial(member: BodyMember) -> dict[str, Any]:
    return {
        "name": member.name,
        "role": member.role,
        "represents": member.represents,
        "term_from": member.term_from,
        "term_to": member.term_to,
        "name_public": member.name_public,
        "account": member.user.username if member.user else "",
    }


def member_new(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    return _member_page(request, instance, pk, None)


def member_edit(
    request: HttpRequest, instance: MethodInstance, pk: int, member: int
) -> HttpResponseBase:
    return _member_page(request, instance, pk, member)


def _member_page(
    request: HttpRequest, instance: MethodInstance, pk: int, member_pk: int | None
) -> HttpResponseBase:
    refused = _gate(request, instance)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed(GET_POST)
    found = _body_or_404(instance, pk)
    member = queries.member_of(found, member_pk) if member_pk is not None else None
    if member_pk is not None and member is None:
        raise Http404
    back = registry.instance_url(instance, "staff_body", pk=found.pk)
    staff = method_pages.staff_user(request)
    status = 200
    if request.method != "POST":
        form = MemberForm(
            initial=_member_initial(member)
            if member
            else {"term_from": actions.today(), "role": "medlem", "name_public": True}
        )
    elif request.POST.get("action") == "remove" and member is not None:
        try:
            staff_actions.do_remove_member(staff, member)
        except ActionRefused as refusal:
            raise Http404 from refusal
        return _back(back, _("The member is removed."), request)
    else:
        form = MemberForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                staff_actions.do_save_member(staff, found, form.member_data(), member)
            except ActionRefused as refusal:
                if refusal.status == 404:
                    raise Http404 from refusal
                form.add_error(None, refusal.message)
                status = refusal.status
            else:
                return _back(back, _("The member is saved."), request)
    context = {"body": found, "member": member, "form": form, "back": back}
    return _render(request, instance, "bodies/staff_member.html", context, status)


# -- meetings, agenda and minutes ------------------------------------------------------------------


def _meeting_initial(meeting: BodyMeeting) -> dict[str, Any]:
    local = timezone.localtime(meeting.starts_at)
    return {
        "day": local.date(),
        "time": local.time(),
        "place": meeting.place,
        "status": meeting.status,
    }


def meeting_new(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    return _meeting_page(request, instance, pk, None)


def meeting_edit(
    request: HttpRequest, instance: MethodInstance, pk: int, meeting: int
) -> HttpResponseBase:
    return _meeting_page(request, instance, pk, meeting)


def _meeting_page(
    request: HttpRequest, instance: MethodInstance, pk: int, meeting_pk: int | None
) -> HttpResponseBase:
    refused = _gate(request, instance)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed(GET_POST)
    found = _body_or_404(instance, pk)
    meeting = queries.meeting_of(found, meeting_pk) if meeting_pk is not None else None
    if meeting_pk is not None and meeting is None:
        raise Http404
    staff = method_pages.staff_user(request)
    self_url = (
        registry.instance_url(instance, "staff_meeting", pk=found.pk, meeting=meeting.pk)
        if meeting
        else registry.instance_url(instance, "staff_meeting_new", pk=found.pk)
    )
    body_url = registry.instance_url(instance, "staff_body", pk=found.pk)
    form = MeetingForm(
        initial=_meeting_initial(meeting) if meeting else {"status": MeetingStatus.PLANNED}
    )
    item_form = AgendaItemForm()
    minutes_form = MinutesForm(initial={"minutes": meeting.minutes if meeting else ""})
    page_error, status = "", 200
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    try:
        if action == "save":
            form = MeetingForm(request.POST)
            status = 400
            if form.is_valid():
                saved = staff_actions.do_save_meeting(staff, found, form.meeting_data(), meeting)
                url = registry.instance_url(
                    instance, "staff_meeting", pk=found.pk, meeting=saved.pk
                )
                return _back(url, _("The meeting is saved."), request)
        elif action and meeting is None:
            raise Http404
        elif action == "add_item":
            assert meeting is not None
            item_form = AgendaItemForm(request.POST)
            status = 400
            if item_form.is_valid():
                staff_actions.do_add_agenda_item(
                    staff,
                    meeting,
                    item_form.cleaned_data["title"],
                    item_form.cleaned_data["case_reference"],
                )
                return _back(self_url + "#agenda", _("The agenda item is added."), request)
        elif action in ("remove_item", "up", "down"):
            assert meeting is not None
            raw = str(request.POST.get("item", ""))
            item = queries.agenda_item_of(meeting, int(raw)) if raw.isdigit() else None
            if item is None:
                raise Http404
            if action == "remove_item":
                staff_actions.do_remove_agenda_item(staff, item)
                return _back(self_url + "#agenda", _("The agenda item is removed."), request)
            staff_actions.do_move_agenda_item(staff, item, up=action == "up")
            return _back(self_url + "#agenda", _("The agenda is in the new order."), request)
        elif action == "minutes":
            assert meeting is not None
            minutes_form = MinutesForm(request.POST, request.FILES)
            status = 400
            if minutes_form.is_valid():
                data = minutes_form.cleaned_data
                staff_actions.do_save_minutes(
                    staff,
                    meeting,
                    data.get("minutes") or "",
                    data.get("file"),
                    remove_file=bool(data.get("remove_file")),
                )
                return _back(self_url + "#minutes", _("The minutes are saved."), request)
        elif action == "delete":
            assert meeting is not None
            staff_actions.do_delete_meeting(staff, meeting)
            return _back(body_url, _("The meeting is deleted."), request)
        elif action:
            status, page_error = 400, _("Unknown action.")
    except ActionRefused as refusal:
        if refusal.status == 404:
            raise Http404 from refusal
        page_error, status = refusal.message, refusal.status
    items = list(meeting.items.order_by("position", "pk")) if meeting else []
    context = {
        "body": found,
        "meeting": meeting,
        "items": items,
        "form": form,
        "item_form": item_form,
        "minutes_form": minutes_form,
        "page_error": page_error,
        "self_url": self_url,
        "body_url": body_url,
    }
    return _render(request, instance, "bodies/staff_meeting.html", context, status)


URLS: list[URLPattern | URLResolver] = [
    path("stab/spor/", ask, name="staff_ask"),
    path("stab/spor/<int:pk>/", request_page, name="staff_request"),
    path("stab/organ/ny/", body_new, name="staff_body_new"),
    path("stab/organ/<int:pk>/", body_edit, name="staff_body"),
    path("stab/organ/<int:pk>/medlem/ny/", member_new, name="staff_member_new"),
    path("stab/organ/<int:pk>/medlem/<int:member>/", member_edit, name="staff_member"),
    path("stab/organ/<int:pk>/mote/ny/", meeting_new, name="staff_meeting_new"),
    path("stab/organ/<int:pk>/mote/<int:meeting>/", meeting_edit, name="staff_meeting"),
]
