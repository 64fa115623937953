"""Staff area."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from medvirk.processes.models import Process


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    municipality_ids = request.user.memberships.values_list(  # type: ignore[union-attr]
        "municipality_id", flat=True
    )
    processes = Process.objects.filter(municipality_id__in=municipality_ids).select_related(
        "municipality"
    )
    return render(request, "staff/dashboard.html", {"processes": processes})
