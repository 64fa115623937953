"""Staff inbox: every contribution of a process, answered one by one or many at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
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
from medvirk.vocabulary import Capability

from .access import acting, staff_contribution, staff_process
from .forms import BulkRespondForm, ModerateForm, OfflineForm, RespondForm

PAGE_SIZE = 100


@login_required
def inbox(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, Capability.RESPOND)
    show = accountability_queries.inbox_filter(request.GET.get("vis"))
    page = Paginator(accountability_queries.inbox(process, show), PAGE_SIZE).get_page(
        request.GET.get("side")
    )
    form = BulkRespondForm([c.pk for c in page.object_list])
    return render(
        request,
        "staff/inbox.html",
        {
            "process": process,
            "page": page,
            "show": show,
            "form": form,
            "statuses": ResponseStatus.choices,
        },
    )


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
        try:
            written = accountability.do_respond(
                acting(request),
                process,
                form.cleaned_data["ids"],
                form.cleaned_data["status"],
                form.cleaned_data["reason"],
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
    respond_form = RespondForm(
        request.POST if request.POST.get("form") == "respond" else None,
        initial={"status": response.status, "reason": response.reason} if response else None,
    )
    moderate_form = ModerateForm(
        request.POST if request.POST.get("form") == "moderate" else None,
        initial={"state": contribution.moderation},
    )
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if request.POST.get("form") == "respond" and respond_form.is_valid():
                accountability.do_respond(
                    acting(request),
                    contribution.process,
                    [contribution.pk],
                    respond_form.cleaned_data["status"],
                    respond_form.cleaned_data["reason"],
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
        except ActionRefused as refused:
            messages.error(request, refused.message)
            status = refused.status
    return render(
        request,
        "staff/contribution.html",
        {
            "contribution": contribution,
            "response": response,
            "respond_form": respond_form,
            "moderate_form": moderate_form,
        },
        status=status,
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
