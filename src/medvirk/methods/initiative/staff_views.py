"""Staff pages of innbyggerforslag.

The editor (the plug-in's ``staff_editor``, at /stab/sak/<pk>/metode/<m>/innhald/; the core
checked ``manage_process``) lists every proposal with its stage, count and deadline. The
other pages live under the instance's address (``stab/forslag/…``), served by the public
dispatcher, so each checks the capability itself: not logged in → the login page; logged in
without it → 403 with the reason.

- ``stab/forslag/<pk>/``: the proposal for staff — the check with a reasoned answer and
  the earlier proposals of the valgperiode with similar text; close signing; deliver; the
  plan case; the council's position; the deadline and its warning (computed on read).
- ``stab/forslag/<pk>/papir/``: register a paper list (``register_offline``).
- ``stab/forslag/<pk>/underskrifter.csv`` and ``…/arkivmelding.zip`` (``export``): the
  signatures and the archive message, private and audited.

Every change is a POST that redirects back; errors answer 400 (or the refusal's status)
with the form.
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

from medvirk.core.csvfiles import csv_download
from medvirk.core.errors import ActionRefused
from medvirk.core.responses import private
from medvirk.core.uploads import content_disposition
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance
from medvirk.staff import method_pages
from medvirk.vocabulary import Capability

from . import actions, archive, config, queries, staff_actions
from .forms import (
    PAPER_ROWS,
    CheckForm,
    ConfirmForm,
    DeliverForm,
    PaperListForm,
    PositionForm,
    ReferForm,
    paper_rows,
)
from .models import Initiative
from .queries import Row, Stage

METHOD_KEY = actions.METHOD_KEY


def _gate(
    request: HttpRequest, instance: MethodInstance, capability: Capability
) -> HttpResponseBase | None:
    """None when the person may use this staff page; else the login page or a 403."""
    if instance.method_key != METHOD_KEY:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not method_pages.can(request, instance, capability):
        reason = {
            Capability.REGISTER_OFFLINE: _(
                "This page is for the municipality's staff who register paper signatures. "
                "Your role in %(municipality)s does not include that."
            ),
            Capability.EXPORT: _(
                "This download is for the municipality's staff who may export personal data. "
                "Your role in %(municipality)s does not include that."
            ),
        }.get(
            capability,
            _(
                "This page is for the municipality's staff who run the case. Your role in "
                "%(municipality)s does not include that."
            ),
        ) % {"municipality": instance.process.municipality.name}
        context = {"instance": instance, "process": instance.process, "reason": reason}
        return private(render(request, "initiative/staff_refused.html", context, status=403))
    return None


def _initiative_or_404(instance: MethodInstance, pk: int) -> Initiative:
    found = queries.initiative_of(instance, pk)
    if found is None:
        raise Http404
    return found


def _links(instance: MethodInstance, pk: int) -> dict[str, str]:
    return {
        "staff": registry.instance_url(instance, "staff_initiative", pk=pk),
        "paper": registry.instance_url(instance, "staff_paper", pk=pk),
        "csv": registry.instance_url(instance, "staff_signatures", pk=pk),
        "zip": registry.instance_url(instance, "staff_archive", pk=pk),
        "public": registry.instance_url(instance, "initiative", pk=pk),
    }


def _base_urls(instance: MethodInstance) -> dict[str, str]:
    plugin = registry.get(instance.method_key)
    return {
        "editor": method_pages.editor_url(instance),
        "preview": instance.get_absolute_url(),
        "inbox": reverse("staff:inbox", kwargs={"pk": instance.process_id})
        + f"?metode={instance.pk}",
        "method": reverse(
            "staff:method_edit", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
        ),
        "open_data": plugin.export_url(instance, "forslag-csv"),
        "overview_csv": plugin.export_url(instance, "forslag-stab-csv"),
    }


# -- the editor: every proposal -----------------------------------------------------------


def editor(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    if instance.method_key != METHOD_KEY:
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    rows = queries.staff_rows(instance)
    context = {
        "instance": instance,
        "process": instance.process,
        "rows": [(row, _links(instance, row.initiative.pk)) for row in rows],
        "to_check": sum(1 for row in rows if row.stage == Stage.SUBMITTED),
        "warned": [row for row in rows if row.warn],
        "can_export": method_pages.can(request, instance, Capability.EXPORT),
        "urls": _base_urls(instance),
    }
    response = render(request, "initiative/staff_editor.html", context)
    private(response)
    return response


# -- one proposal --------------------------------------------------------------------------


ACTIONS = ("check", "close", "deliver", "refer", "position")


def _forms(row: Row) -> dict[str, Any]:
    initiative = row.initiative
    return {
        "check_form": CheckForm(),
        "close_form": ConfirmForm(prefix="close"),
        "deliver_form": DeliverForm(),
        "refer_form": ReferForm(
            initial={
                "referred": initiative.referred_at is not None,
                "plan_case": initiative.plan_case,
            }
        ),
        "position_form": PositionForm(initial={"date": timezone.localdate()}),
    }


def _render(
    request: HttpRequest,
    instance: MethodInstance,
    initiative: Initiative,
    *,
    forms: dict[str, Any] | None = None,
    page_error: str = "",
    status: int = 200,
) -> HttpResponseBase:
    row = queries.row_of(initiative)
    pk = initiative.pk
    context: dict[str, Any] = {
        "instance": instance,
        "process": instance.process,
        "initiative": initiative,
        "row": row,
        "counts": queries.counts_by_kind(initiative),
        "similar": [
            (
                match,
                registry.instance_url(
                    match.initiative.method_instance, "staff_initiative", pk=match.initiative.pk
                ),
            )
            for match in queries.similar_earlier(initiative)
        ]
        if row.stage == Stage.SUBMITTED
        else None,
        "proposer": queries.proposer_name(initiative),
        "valgperiode": config.valgperiode(timezone.localtime(initiative.submitted_at).date()),
        "warning_days": config.warning_days(),
        "response": getattr(initiative.contribution, "response", None),
        "decision": initiative.decision,
        "paper": list(queries.paper_signatures(initiative)[:200]),
        "can": {
            "manage": method_pages.can(request, instance, Capability.MANAGE_PROCESS),
            "paper": method_pages.can(request, instance, Capability.REGISTER_OFFLINE),
            "decide": method_pages.can(request, instance, Capability.DECIDE),
            "export": method_pages.can(request, instance, Capability.EXPORT),
        },
        "open": actions.is_open(initiative),
        "page_error": page_error,
        "links": _links(instance, pk),
        "urls": _base_urls(instance),
        **_forms(row),
        **(forms or {}),
    }
    return private(render(request, "initiative/staff_initiative.html", context, status=status))


def staff_initiative(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    refused = _gate(request, instance, Capability.MANAGE_PROCESS)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    initiative = _initiative_or_404(instance, pk)
    if request.method != "POST":
        return _render(request, instance, initiative)
    action = str(request.POST.get("action", ""))
    if action not in ACTIONS:
        return _render(
            request,
            instance,
            initiative,
            page_error=_("The form did not say what to do. Reload the page and try again."),
            status=400,
        )
    handler = {
        "check": _post_check,
        "close": _post_close,
        "deliver": _post_deliver,
        "refer": _post_refer,
        "position": _post_position,
    }[action]
    return handler(request, instance, initiative)


def _done(
    instance: MethodInstance, initiative: Initiative, anchor: str = ""
) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        registry.instance_url(instance, "staff_initiative", pk=initiative.pk) + anchor
    )


def _refused(
    request: HttpRequest,
    instance: MethodInstance,
    initiative: Initiative,
    refused: ActionRefused,
    forms: dict[str, Any],
    name: str,
) -> HttpResponseBase:
    if refused.status == 404:
        raise Http404 from refused
    forms[name].add_error(None, refused.message)
    fresh = queries.initiative_of(instance, initiative.pk) or initiative
    return _render(request, instance, fresh, forms=forms, status=refused.status)


def _post_check(
    request: HttpRequest, instance: MethodInstance, initiative: Initiative
) -> HttpResponseBase:
    form = CheckForm(request.POST)
    forms = {"check_form": form}
    if not form.is_valid():
        return _render(request, instance, initiative, forms=forms, status=400)
    approve = form.cleaned_data["outcome"] == CheckForm.APPROVE
    try:
        staff_actions.do_check(
            method_pages.staff_user(request),
            initiative,
            approve=approve,
            reason=form.cleaned_data["reason"],
        )
    except ActionRefused as refused:
        return _refused(request, instance, initiative, refused, forms, "check_form")
    messages.success(
        request,
        _("Signing has started. The proposer has your answer.")
        if approve
        else _("The proposal is refused. The proposer has your answer."),
    )
    return _done(instance, initiative)


def _post_close(
    request: HttpRequest, instance: MethodInstance, initiative: Initiative
) -> HttpResponseBase:
    form = ConfirmForm(request.POST, prefix="close")
    forms = {"close_form": form}
    if not form.is_valid():
        return _render(request, instance, initiative, forms=forms, status=400)
    try:
        staff_actions.do_close_signing(method_pages.staff_user(request), initiative)
    except ActionRefused as refused:
        return _refused(request, instance, initiative, refused, forms, "close_form")
    messages.success(request, _("Signing is closed."))
    return _done(instance, initiative)


def _post_deliver(
    request: HttpRequest, instance: MethodInstance, initiative: Initiative
) -> HttpResponseBase:
    form = DeliverForm(request.POST)
    forms = {"deliver_form": form}
    if not form.is_valid():
        return _render(request, instance, initiative, forms=forms, status=400)
    try:
        staff_actions.do_deliver(
            method_pages.staff_user(request),
            initiative,
            below_threshold=form.cleaned_data["below_threshold"],
        )
    except ActionRefused as refused:
        return _refused(request, instance, initiative, refused, forms, "deliver_form")
    messages.success(
        request, _("The proposal is delivered. The council's deadline runs from today.")
    )
    return _done(instance, initiative)


def _post_refer(
    request: HttpRequest, instance: MethodInstance, initiative: Initiative
) -> HttpResponseBase:
    form = ReferForm(request.POST)
    forms = {"refer_form": form}
    if not form.is_valid():
        return _render(request, instance, initiative, forms=forms, status=400)
    try:
        staff_actions.do_refer(
            method_pages.staff_user(request),
            initiative,
            referred=form.cleaned_data["referred"],
            plan_case=form.cleaned_data["plan_case"],
        )
    except ActionRefused as refused:
        return _refused(request, instance, initiative, refused, forms, "refer_form")
    messages.success(
        request,
        _("Marked as referred to the plan case: there is no six-month deadline.")
        if form.cleaned_data["referred"]
        else _("No longer marked as referred to a plan case."),
    )
    return _done(instance, initiative)


def _post_position(
    request: HttpRequest, instance: MethodInstance, initiative: Initiative
) -> HttpResponseBase:
    form = PositionForm(request.POST)
    forms = {"position_form": form}
    if not form.is_valid():
        return _render(request, instance, initiative, forms=forms, status=400)
    data = form.cleaned_data
    try:
        staff_actions.do_record_position(
            method_pages.staff_user(request),
            initiative,
            staff_actions.Position(
                body=data["body"],
                date=data["date"],
                position=data["position"],
                decision_text=data["decision_text"],
                reason=data["reason"],
                case_number=data.get("case_number", "") or "",
                meeting_record_url=data.get("meeting_record_url", "") or "",
            ),
        )
    except ActionRefused as refused:
        return _refused(request, instance, initiative, refused, forms, "position_form")
    messages.success(
        request,
        _(
            "The council's position is recorded. The proposer has it as the answer, and "
            "everyone who signed with e-ID is told."
        ),
    )
    return _done(instance, initiative)


# -- paper signatures ----------------------------------------------------------------------


def _rows_wanted(request: HttpRequest) -> int:
    raw = request.GET.get("rader") or request.POST.get("rader") or ""
    return int(raw) if str(raw).isdigit() else PAPER_ROWS


def paper(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    refused = _gate(request, instance, Capability.REGISTER_OFFLINE)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    initiative = _initiative_or_404(instance, pk)
    rows_wanted = _rows_wanted(request)
    formset = paper_rows(rows=rows_wanted)
    list_form = PaperListForm()
    status = 200
    page_error = ""
    duplicates: list[staff_actions.PaperRow] = []
    if request.method == "POST" and request.POST.get("action") == "remove":
        raw = str(request.POST.get("signature", ""))
        try:
            if not raw.isdigit():
                raise ActionRefused(_("This paper signature is no longer here."), status=404)
            staff_actions.do_remove_paper(method_pages.staff_user(request), initiative, int(raw))
        except ActionRefused as refused_remove:
            page_error, status = refused_remove.message, refused_remove.status
        else:
            messages.success(request, _("The paper signature is removed."))
            return HttpResponseRedirect(
                registry.instance_url(instance, "staff_paper", pk=pk) + "#registrerte"
            )
    elif request.method == "POST":
        formset = paper_rows(request.POST)
        list_form = PaperListForm(request.POST)
        status = 400
        if formset.is_valid() and list_form.is_valid():
            given = [
                staff_actions.PaperRow(
                    f.cleaned_data["signer_name"],
                    f.cleaned_data["address"],
                    f.cleaned_data["birth_date"],
                )
                for f in formset.forms
                if not f.is_empty()
            ]
            try:
                result = staff_actions.do_register_paper(
                    method_pages.staff_user(request),
                    initiative,
                    given,
                    checked=list_form.cleaned_data["checked"],
                )
            except ActionRefused as refused_save:
                list_form.add_error(None, refused_save.message)
                status = refused_save.status
            else:
                text = ngettext(
                    "%(n)d paper signature is registered.",
                    "%(n)d paper signatures are registered.",
                    result.added,
                ) % {"n": result.added}
                if result.delivered:
                    text += " " + _("The threshold is reached: the proposal is delivered.")
                if not result.duplicates:
                    messages.success(request, text)
                    return HttpResponseRedirect(
                        registry.instance_url(instance, "staff_paper", pk=pk) + "#registrerte"
                    )
                messages.warning(request, text)
                duplicates = result.duplicates
                formset = paper_rows(rows=rows_wanted)
                list_form = PaperListForm()
                status = 200
                initiative = _initiative_or_404(instance, pk)
    context = {
        "instance": instance,
        "process": instance.process,
        "initiative": initiative,
        "row": queries.row_of(initiative),
        "formset": formset,
        "list_form": list_form,
        "duplicates": duplicates,
        "registered": list(queries.paper_signatures(initiative)),
        "rows_wanted": rows_wanted,
        "more_rows": min(rows_wanted + 10, 50),
        "page_error": page_error,
        "links": _links(instance, pk),
        "urls": _base_urls(instance),
        "can_remove": initiative.status == "collecting",
    }
    return private(render(request, "initiative/staff_paper.html", context, status=status))


# -- downloads -----------------------------------------------------------------------------


def signatures_csv(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """Every signature for staff: kind, day, how residence was checked, and for paper the
    name, address and date of birth from the list. E-ID signatures carry no name."""
    refused = _gate(request, instance, Capability.EXPORT)
    if refused is not None:
        return refused
    initiative = _initiative_or_404(instance, pk)
    staff_actions.record_export(method_pages.staff_user(request), initiative, "signatures_csv")
    rows: list[list[object]] = [
        [
            _("No."),
            _("Signed"),
            _("Kind"),
            _("Where they live, checked by"),
            _("Kommunenummer"),
            _("Name"),
            _("Address"),
            _("Date of birth"),
            _("Registered by"),
        ]
    ]
    for number, signature in enumerate(queries.signatures(initiative), start=1):
        staff = signature.registered_by
        rows.append(
            [
                number,
                timezone.localtime(signature.created_at).isoformat(timespec="minutes"),
                signature.get_kind_display(),
                signature.get_residence_display(),
                signature.kommunenummer,
                signature.signer_name,
                signature.address,
                signature.birth_date.isoformat() if signature.birth_date else "",
                (staff.get_full_name() or staff.get_username()) if staff is not None else "",
            ]
        )
    filename = f"innbyggjarforslag-{initiative.pk}-underskrifter.csv"
    return csv_download(rows, filename, private=True)


def archive_zip(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    """The arkivmelding (saksmappe and journalpost with the proposal and the list), ZIP."""
    refused = _gate(request, instance, Capability.EXPORT)
    if refused is not None:
        return refused
    initiative = _initiative_or_404(instance, pk)
    staff = method_pages.staff_user(request)
    staff_actions.record_export(staff, initiative, "arkivmelding")
    response = HttpResponse(archive.zip_bytes(initiative, staff), content_type="application/zip")
    response["Content-Disposition"] = content_disposition(archive.zip_name(initiative))
    response["X-Content-Type-Options"] = "nosniff"
    return private(response)


def staff_overview_csv(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """Every proposal with exact counts and dates, for staff (an export of the plug-in)."""
    rows: list[list[object]] = [
        [
            _("No."),
            _("Title"),
            _("Stage"),
            _("Submitted"),
            _("Signing opened"),
            _("Signing closes"),
            _("Signatures needed"),
            _("Signatures"),
            _("With e-ID"),
            _("On paper"),
            _("Delivered"),
            _("The council's deadline"),
            _("Referred to a plan case"),
            _("Position recorded"),
        ]
    ]
    for row in queries.staff_rows(instance):
        initiative = row.initiative
        rows.append(
            [
                initiative.pk,
                initiative.title,
                row.stage_label,
                _date(initiative.submitted_at),
                _date(initiative.signing_opens_at),
                row.closes_on.isoformat() if row.closes_on else "",
                row.needed,
                row.count,
                row.eid,
                row.paper,
                _date(initiative.delivered_at),
                row.deadline.isoformat() if row.deadline else "",
                initiative.plan_case,
                _date(initiative.decided_at),
            ]
        )
    filename = f"{instance.process.slug}-{instance.slug}-innbyggjarforslag-stab.csv"
    return csv_download(rows, filename, private=True)


def _date(moment: Any) -> str:
    return timezone.localtime(moment).date().isoformat() if moment is not None else ""


URLS: list[URLPattern | URLResolver] = [
    path("stab/forslag/<int:pk>/", staff_initiative, name="staff_initiative"),
    path("stab/forslag/<int:pk>/papir/", paper, name="staff_paper"),
    path("stab/forslag/<int:pk>/underskrifter.csv", signatures_csv, name="staff_signatures"),
    path("stab/forslag/<int:pk>/arkivmelding.zip", archive_zip, name="staff_archive"),
]
