"""Pages every installation carries: home, accessibility statement, privacy, errors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from medvirk.organisations.models import Municipality
from medvirk.processes import queries as process_queries


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {
            "municipalities": Municipality.objects.all(),
            "processes": process_queries.public_processes()[:20],
        },
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    municipality = Municipality.objects.filter(slug=request.GET.get("kommune", "")).first()
    request.municipality = municipality  # type: ignore[attr-defined]
    return render(request, "core/accessibility.html", {"municipality": municipality})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html", {"municipalities": Municipality.objects.all()})


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


def _error(request: HttpRequest, status: int, template: str) -> HttpResponse:
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "core/400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "core/403.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "core/404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "core/500.html")
