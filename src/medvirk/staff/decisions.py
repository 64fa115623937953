"""Decisions (vedtak) on a process, linked to the answers they explain.

Saving a decision as made the first time tells everyone who took part (see
``accountability.actions.do_decide``); the page says so before and after.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from medvirk.accountability import actions
from medvirk.accountability import queries as accountability_queries
from medvirk.accountability.types import Decision
from medvirk.vocabulary import Capability

from .access import acting, owned_by, staff_process
from .decision_forms import DecisionForm
from .flow import form_page, submitted


@login_required
def decisions(request: HttpRequest, pk: int, decision_pk: int | None = None) -> HttpResponse:
    process = staff_process(request, pk, Capability.DECIDE)
    decision = owned_by(accountability_queries.decision_of, decision_pk, process)
    initial = (
        {
            "body": decision.body,
            "date": decision.date,
            "text": decision.text,
            "is_pending": decision.is_pending,
            "case_number": decision.case_number,
            "meeting_record_url": decision.meeting_record_url,
        }
        if decision
        else {"is_pending": True}
    )
    form = DecisionForm(request.POST or None, initial=initial)
    was_announced = decision is not None and decision.announced_at is not None
    saved: list[Decision] = []

    def save() -> object:
        data = form.cleaned_data
        saved.append(
            actions.do_decide(
                acting(request),
                process,
                body=data["body"],
                text=data["text"],
                date=data["date"],
                pending=data["is_pending"],
                link_statuses=data["link_status"],
                decision=decision,
                case_number=data["case_number"],
                meeting_record_url=data["meeting_record_url"],
            )
        )
        return saved[0]

    if submitted(request, form, save, _("The decision was saved.")):
        if saved and saved[0].announced_at is not None and not was_announced:
            messages.info(
                request,
                _(
                    "The case is now decided and its methods are closed. Everyone who gave "
                    "input and every follower is being told by e-mail, once."
                ),
            )
        return redirect("staff:decisions", pk=process.pk)
    return form_page(
        request,
        "staff/decisions.html",
        {
            "process": process,
            "form": form,
            "decisions": accountability_queries.decisions(process),
            "decision": decision,
        },
    )
