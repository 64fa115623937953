"""The audit log for administrators, with the chain's verification result."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from medvirk.core import audit
from medvirk.core.models import AuditEntry
from medvirk.processes import permissions

from .access import staff_municipality_ids


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    ids = [
        m
        for m in staff_municipality_ids(request.user)
        if permissions.staff_can(request.user, "view_audit", m)
    ]
    if not ids:
        raise Http404
    entries = AuditEntry.objects.filter(municipality_id_ref__in=ids).order_by("-seq")
    page = Paginator(entries, 50).get_page(request.GET.get("side"))
    problems = audit.verify() if request.GET.get("verify") == "1" else None
    return render(request, "staff/audit.html", {"page": page, "problems": problems})
