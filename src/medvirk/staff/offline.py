"""Registering input given offline: at a meeting, by letter, e-mail or phone, with its files.

The input records the day and place it was given (a meeting's date, not the day it was
typed in) and belongs to one method instance or to the case as a whole. Its attachments
are stored with it or not at all, and only staff who answer or register input download
them: never the public.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from medvirk.contributions import actions as contributions
from medvirk.contributions import attachments
from medvirk.contributions import queries as contribution_queries
from medvirk.core import uploads
from medvirk.core.errors import ActionRefused
from medvirk.organisations import capabilities
from medvirk.vocabulary import Capability

from .access import acting, staff_process
from .offline_forms import OfflineForm

# Who may open a contribution's files: those who answer it and those who register input.
ATTACHMENT_READERS = (Capability.RESPOND, Capability.REGISTER_OFFLINE)


@login_required
def register_offline(request: HttpRequest, pk: int) -> HttpResponse:
    process = staff_process(request, pk, Capability.REGISTER_OFFLINE)
    posted = request.method == "POST"
    form = OfflineForm(process, request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data
        draft = contributions.Draft(
            kind=contributions.OFFLINE_KIND,
            text=data["text"],
            channel=data["channel"],
            contact_email=data["contact_email"],
            author_name=data["author_name"],
            show_name=data["show_name"],
            given_on=data["given_on"],
            given_at_place=data["given_at_place"],
        )
        try:
            receipt = attachments.do_contribute_with_attachments(
                acting(request),
                data["method"],
                "",
                draft,
                data["attachments"],
                registered_by=acting(request),
                process=process,
            )
        except ActionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("The input was registered as number %(n)d.") % {"n": receipt.contribution.pk},
            )
            return redirect("staff:contribution", pk=receipt.contribution.pk)
    return render(
        request,
        "staff/offline.html",
        {"process": process, "form": form, "max_attachments": attachments.MAX_ATTACHMENTS},
        status=400 if posted else 200,
    )


@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """One file given with a contribution, as a download for the staff who handle it."""
    contribution = contribution_queries.contribution_by_pk(pk)
    if contribution is None or not any(
        capabilities.staff_can(request.user, c, contribution.process.municipality_id)
        for c in ATTACHMENT_READERS
    ):
        raise Http404
    found = attachments.attachment_of(contribution, attachment_pk)
    if found is None:
        raise Http404
    return uploads.download_response(found.file, found.name, found.content_type, personal=True)
