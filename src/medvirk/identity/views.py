"""Account pages: my page (my input, answers, notifications)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    contributions = user.contributions.select_related(  # type: ignore[union-attr]
        "process__municipality", "response"
    ).order_by("-created_at")[:100]
    notifications = user.notifications.all()[:50]  # type: ignore[union-attr]
    return render(
        request,
        "identity/account.html",
        {"contributions": contributions, "notifications": notifications},
    )
