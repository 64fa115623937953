"""Decisions (vedtak) on a process, linked to the answers they explain."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from medvirk.accountability import actions
from medvirk.accountability import queries as accountability_queries
from medvirk.vocabulary import Capability

from .access import acting, owned_by, staff_process
from .flow import form_page, submitted
from .forms import DecisionForm


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
        }
        if decision
        else {"is_pending": True}
    )
    form = DecisionForm(request.POST or None, initial=initial)

    def save() -> object:
        data = form.cleaned_data
        return actions.do_decide(
            acting(request),
            process,
            body=data["body"],
            text=data["text"],
            date=data["date"],
            pending=data["is_pending"],
            link_statuses=data["link_status"],
            decision=decision,
        )

    if submitted(request, form, save, _("The decision was saved.")):
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
