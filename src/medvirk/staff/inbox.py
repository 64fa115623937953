"""Staff inbox: every contribution of a process, answered one by one or many at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medvirk.accountability import actions as accountability
from medvirk.accountability import queries as accountability_queries
from medvirk.accountability.types import ResponseStatus
from medvirk.contributions import actions as contributions
from medvirk.contributions import queries as contribution_queries
from medvirk.core.errors import ActionRefused
from medvirk.processes.types import Process
from medvirk.vocabulary import Capability

from .access import acting, staff_contribution, staff_process
from .forms import BulkRespondForm, ModerateForm, OfflineForm, RespondForm

PAGE_SIZE = 100


def _private(response: HttpResponse) -> HttpResponse:
    """Answer forms show residents' input and officers' drafts: no shared caches, no Referer
    to other sites ("same-origin": "no-referrer" makes the form post ``Origin: null``, which
    the CSRF check refuses)."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def _version(raw: str | None) -> int | None:
    """A posted answer version (a small whole number), else None."""
    if raw is None or not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        return None
    return int(raw)


def _posted_versions(data: QueryDict) -> dict[int, int]:
    """The answer versions the inbox page showed, from its ``version-<id>`` fields."""
    versions: dict[int, int] = {}
    for name in data:
        if name.startswith("version-"):
            pk, seen = _version(name.removeprefix("version-")), _version(data.get(name))
            if pk is not None and seen is not None:
                versions[pk] = seen
    return versions


def _yours(status: str, reason: str) -> dict[str, str]:
    return {"status": str(ResponseStatus(status).label), "reason": reason.strip()}


def _inbox_page(
    request: HttpRequest,
    process: Process,
    show: str,
    page_number: str | None,
    form: BulkRespondForm | None = None,
    **extra: object,
) -> HttpResponse:
    page = Paginator(accountability_queries.inbox(process, show), PAGE_SIZE).get_page(page_number)
    return _private(
        render(
            request,
            "staff/inbox.html",
            {
                "process": process,
                "page": page,
                "show": show,
                "form": form or BulkRespondForm([c.pk for c in page.object_list]),
                "statuses": ResponseStatus.choices,
                **extra,
            },
            status=409 if extra.get("conflicts") else 200,
        )
    )


@login_required
def inbox(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, Capability.RESPOND)
    show = accountability_queries.inbox_filter(request.GET.get("vis"))
    return _inbox_page(request, process, show, request.GET.get("side"))


@login_required
@require_POST
def bulk_respond(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, Capability.RESPOND)
    raw_ids = request.POST.getlist("ids")
    named = request.POST.get("vis", "")
    show = accountability_queries.inbox_filter(named)
    if request.POST.get("whole_list") == "1" and named == show:
        # "Answer everything in this list": the filter decides, on the server, at this moment.
        raw_ids = [
            str(i) for i in accountability_queries.inbox_ids(process, show, accountability.MAX_BULK)
        ]
    # Allowed ids are this process's contributions; anything else fails validation.
    allowed = contribution_queries.ids_in_process(process, raw_ids)
    data = request.POST.copy()
    data.setlist("ids", raw_ids)
    form = BulkRespondForm(allowed, data)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
        if "ids" in form.errors:
            messages.error(
                request,
                _(
                    "Nothing was answered: some of the chosen input does not belong to "
                    "this case, or none was chosen."
                ),
            )
    else:
        ids: list[int] = form.cleaned_data["ids"]
        versions = _posted_versions(request.POST)
        if request.POST.get("whole_list") != "1":
            # Every ticked item was on the page; one without a version counts as unanswered
            # when seen, so an answer given meanwhile is never silently replaced.
            versions = {i: versions.get(i, 0) for i in ids}
        try:
            written = accountability.do_respond(
                acting(request),
                process,
                ids,
                form.cleaned_data["status"],
                form.cleaned_data["reason"],
                versions=versions,
            )
        except accountability.ResponseConflict as conflict:
            # All or nothing: nothing was answered. Show what was saved meanwhile beside the
            # officer's answer, with the list as it is now (its versions), ticks kept.
            return _inbox_page(
                request,
                process,
                show,
                request.POST.get("side"),
                form,
                conflicts=conflict.conflicts,
                conflict_message=conflict.message,
                yours=_yours(form.cleaned_data["status"], form.cleaned_data["reason"]),
                chosen=set(ids),
                whole_list=request.POST.get("whole_list") == "1",
            )
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("%(n)d contributions answered. The authors are told.") % {"n": len(written)},
            )
    return redirect(f"{reverse('staff:inbox', kwargs={'pk': process.pk})}?vis={show}")


@login_required
def contribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = staff_contribution(request, pk, Capability.RESPOND)
    response = accountability_queries.response_to(contribution)
    responding = request.POST.get("form") == "respond"
    respond_form = RespondForm(
        request.POST if responding else None,
        initial={"status": response.status, "reason": response.reason} if response else None,
    )
    moderate_form = ModerateForm(
        request.POST if request.POST.get("form") == "moderate" else None,
        initial={"state": contribution.moderation},
    )
    # The answer version the officer saw: the form carries it back, also through errors.
    version = response.version if response else 0
    if responding:
        version = _version(request.POST.get("version")) or 0
    conflict: dict[str, object] | None = None
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if responding and respond_form.is_valid():
                accountability.do_respond(
                    acting(request),
                    contribution.process,
                    [contribution.pk],
                    respond_form.cleaned_data["status"],
                    respond_form.cleaned_data["reason"],
                    versions={contribution.pk: version},
                )
                messages.success(request, _("The answer was saved. The author is told."))
                return redirect("staff:contribution", pk=contribution.pk)
            if request.POST.get("form") == "moderate" and moderate_form.is_valid():
                contributions.do_moderate(
                    acting(request),
                    contribution,
                    moderate_form.cleaned_data["state"],
                    moderate_form.cleaned_data["note"],
                )
                messages.success(request, _("Moderation saved."))
                return redirect("staff:contribution", pk=contribution.pk)
        except accountability.ResponseConflict as refused:
            # Nothing saved. Both texts are shown; the form keeps the officer's and now
            # carries the version saved, so sending it again replaces that one on purpose.
            response = accountability_queries.response_to(contribution)
            version = response.version if response else 0
            conflict = {
                "message": refused.message,
                "saved": response,
                "yours": _yours(
                    respond_form.cleaned_data["status"], respond_form.cleaned_data["reason"]
                ),
            }
            status = refused.status
        except ActionRefused as refused:
            messages.error(request, refused.message)
            status = refused.status
    return _private(
        render(
            request,
            "staff/contribution.html",
            {
                "contribution": contribution,
                "response": response,
                "respond_form": respond_form,
                "moderate_form": moderate_form,
                "version": version,
                "conflict": conflict,
            },
            status=status,
        )
    )


@login_required
def moderation_queue(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, Capability.MODERATE)
    if request.method == "POST":
        raw_id = request.POST.get("id", "")
        target = (
            contribution_queries.contribution_in(process, int(raw_id)) if raw_id.isdigit() else None
        )
        form = ModerateForm(request.POST)
        if target is None or not form.is_valid():
            messages.error(request, _("Choose an item and a decision."))
        else:
            try:
                contributions.do_moderate(
                    acting(request), target, form.cleaned_data["state"], form.cleaned_data["note"]
                )
            except ActionRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, _("Moderation saved."))
        return redirect("staff:moderation", pk=process.pk)
    held = contribution_queries.held_for_moderation(process)
    return render(request, "staff/moderation.html", {"process": process, "held": held})


@login_required
def register_offline(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, Capability.REGISTER_OFFLINE)
    form = OfflineForm(process, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        method = data["method"]
        draft = contributions.Draft(
            kind=contributions.OFFLINE_KIND,
            text=data["text"],
            channel=data["channel"],
            contact_email=data["contact_email"],
            author_name=data["author_name"],
            show_name=data["show_name"],
        )
        try:
            receipt = contributions.do_contribute(
                acting(request),
                method,
                "",
                draft,
                registered_by=acting(request),
            )
        except ActionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("The input was registered as number %(n)d.") % {"n": receipt.contribution.pk},
            )
            return redirect("staff:contribution", pk=receipt.contribution.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "staff/offline.html", {"process": process, "form": form}, status=status)
