"""The audit log for administrators, with the chain's verification result."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from medvirk.core import audit, audit_labels
from medvirk.organisations import queries as organisation_queries
from medvirk.vocabulary import Capability


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    ids = list(
        organisation_queries.municipalities_where(request.user, Capability.VIEW_AUDIT).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        raise Http404
    entries = audit.entries_for(ids)
    page = Paginator(entries, 50).get_page(request.GET.get("side"))
    # Codes and model names become words in the reader's language (core/audit_labels.py).
    rows = [audit_labels.row(entry) for entry in page.object_list]
    problems = audit.verify() if request.GET.get("verify") == "1" else None
    return render(request, "staff/audit.html", {"page": page, "rows": rows, "problems": problems})
