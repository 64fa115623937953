"""Public pages of a process: the case page (Informere), its input and answers, methods."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medvirk.accountability.models import Decision
from medvirk.core import ratelimit
from medvirk.core.errors import ActionRefused
from medvirk.organisations.models import Municipality

from . import lookups, queries, registry
from .forms import SubscribeForm
from .models import Process
from .phases import active_phase, timing


def municipality(request: HttpRequest, municipality: str) -> HttpResponse:
    org = get_object_or_404(Municipality, slug=municipality)
    request.municipality = org  # type: ignore[attr-defined]
    processes = queries.public_processes().filter(municipality=org)
    return render(request, "processes/municipality.html", {"org": org, "processes": processes})


def detail(request: HttpRequest, municipality: str, slug: str) -> HttpResponse:
    try:
        process = queries.process_for_page(municipality, slug)
    except Process.DoesNotExist as exc:
        raise Http404 from exc
    lookups.public_process(request, municipality, slug)  # visibility + current municipality
    phases = list(process.phases.all())
    current = active_phase(phases)
    methods = [
        {"instance": m, "manifest": registry.get(m.method_key), "timing": timing(m.phase)}
        for m in process.methods.all()
    ]
    decisions = Decision.objects.filter(process=process)
    return render(
        request,
        "processes/detail.html",
        {
            "process": process,
            "phases": phases,
            "current_phase": current,
            "methods": methods,
            "decisions": decisions,
            "subscribe_form": SubscribeForm(),
        },
    )


def contributions(request: HttpRequest, municipality: str, slug: str) -> HttpResponse:
    process = lookups.public_process(request, municipality, slug)
    page = Paginator(queries.published_contributions(process), 25).get_page(request.GET.get("side"))
    return render(request, "processes/contributions.html", {"process": process, "page": page})


@require_POST
def subscribe(request: HttpRequest, municipality: str, slug: str) -> HttpResponse:
    from medvirk.accountability import subscriptions

    process = lookups.public_process(request, municipality, slug)
    form = SubscribeForm(request.POST)
    if not ratelimit.allow(request, "subscribe", limit=10, window_seconds=3600):
        messages.error(request, _("Too many attempts. Try again later."))
    elif form.is_valid():
        try:
            subscriptions.do_subscribe(process, form.cleaned_data["email"])
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("Check your e-mail and confirm to start following this case.")
            )
    else:
        messages.error(request, _("Enter a valid e-mail address."))
    return redirect(process.get_absolute_url())


def method(request: HttpRequest, municipality: str, slug: str, method: str) -> HttpResponse:
    instance = lookups.method_instance(request, municipality, slug, method)
    manifest = registry.get(instance.method_key)
    if manifest.page_view is None:
        raise Http404
    view = import_string(manifest.page_view)
    response: HttpResponse = view(request, instance)
    return response
