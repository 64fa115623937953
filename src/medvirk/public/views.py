"""Public pages: home, a municipality's cases, the case page (Informere), its input and answers,
its open data, the private receipt, and every method instance at its own address.

Reads go through the core apps' ``queries``; writes through their ``actions``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import Resolver404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medvirk.accountability import contact, subscriptions
from medvirk.accountability import queries as accountability_queries
from medvirk.contributions import queries as contribution_queries
from medvirk.core import audit, ratelimit
from medvirk.core.errors import ActionRefused
from medvirk.organisations import capabilities
from medvirk.organisations import queries as organisation_queries
from medvirk.processes import lookups, registry
from medvirk.processes import queries as process_queries
from medvirk.processes.exports import open_data_for
from medvirk.processes.phases import active_phase, timing
from medvirk.vocabulary import Capability

from .forms import SubscribeForm


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {
            "municipalities": organisation_queries.municipalities(),
            "processes": process_queries.public_processes()[:20],
        },
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    municipality = organisation_queries.municipality_by_slug(request.GET.get("kommune", ""))
    request.municipality = municipality  # type: ignore[attr-defined]
    return render(request, "core/accessibility.html", {"municipality": municipality})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request, "core/privacy.html", {"municipalities": organisation_queries.municipalities()}
    )


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


def municipality(request: HttpRequest, municipality: str) -> HttpResponse:
    org = organisation_queries.municipality_by_slug(municipality)
    if org is None:
        raise Http404
    request.municipality = org  # type: ignore[attr-defined]
    processes = process_queries.public_processes().filter(municipality=org)
    return render(request, "processes/municipality.html", {"org": org, "processes": processes})


def detail(request: HttpRequest, municipality: str, slug: str) -> HttpResponse:
    lookups.public_process(request, municipality, slug)  # visibility + current municipality
    process = process_queries.process_for_page(municipality, slug)
    phases = list(process.phases.all())
    methods = [
        {"instance": m, "plugin": registry.get(m.method_key), "timing": timing(m.phase)}
        for m in process.methods.all()
    ]
    return render(
        request,
        "processes/detail.html",
        {
            "process": process,
            "phases": phases,
            "current_phase": active_phase(phases),
            "methods": methods,
            "published_count": contribution_queries.published_count(process),
            "decisions": accountability_queries.decisions(process),
            "has_open_data": bool(open_data_for(process)),
            "subscribe_form": SubscribeForm(),
        },
    )


def contributions(request: HttpRequest, municipality: str, slug: str) -> HttpResponse:
    process = lookups.public_process(request, municipality, slug)
    published = accountability_queries.published_input(process)
    page = Paginator(published, 25).get_page(request.GET.get("side"))
    return render(request, "processes/contributions.html", {"process": process, "page": page})


def open_data(request: HttpRequest, municipality: str, slug: str) -> HttpResponse:
    """Every public export the case's methods declare, with what each holds."""
    process = lookups.public_process(request, municipality, slug)
    return render(
        request, "processes/open_data.html", {"process": process, "rows": open_data_for(process)}
    )


@require_POST
def subscribe(request: HttpRequest, municipality: str, slug: str) -> HttpResponse:
    process = lookups.public_process(request, municipality, slug)
    own_address = contact.account_email(request.user)
    if own_address:
        # A verified account: one button, no address asked, nothing to confirm.
        subscriptions.do_follow_with_account(process, request.user)
        messages.success(
            request,
            _("You now follow this case. News goes to %(address)s (your account).")
            % {"address": contact.masked_email(own_address)},
        )
        return redirect(process.get_absolute_url())
    form = SubscribeForm(request.POST)
    if form.is_valid() and not ratelimit.allow_client(request, "email"):
        # Confirmation e-mails asked for per client are limited (per address: in the
        # action). A page of its own, 429, with the address kept for later.
        page = render(
            request,
            "processes/subscribe_limited.html",
            {"process": process, "form": form, "message": ratelimit.too_many_message()},
            status=429,
        )
        return ratelimit.retry_later(page, ratelimit.retry_after("email"))
    if form.is_valid():
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


def confirm_subscription(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    try:
        subscription = subscriptions.do_confirm(pk, token)
    except ActionRefused as refused:
        raise Http404 from refused
    messages.success(request, _("You now follow this case by e-mail."))
    return redirect(subscription.process.get_absolute_url())


def receipt(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    contribution = contribution_queries.contribution_by_receipt(pk, token)
    if contribution is None:
        raise Http404
    request.municipality = contribution.process.municipality  # type: ignore[attr-defined]
    response = accountability_queries.response_to(contribution)
    decisions = accountability_queries.decisions_explaining(response)
    page = render(
        request,
        "contributions/receipt.html",
        {"contribution": contribution, "response": response, "decisions": decisions},
    )
    # The address holds a private token: keep it out of caches and other sites' logs.
    # "same-origin", not "no-referrer": with no-referrer browsers send `Origin: null` on the
    # page's own forms (language, log out) and the CSRF check refuses them.
    page["Cache-Control"] = "private, no-store"
    page["Referrer-Policy"] = "same-origin"
    return page


# -- method instances ------------------------------------------------------------------


def method(
    request: HttpRequest, municipality: str, slug: str, method: str, rest: str = ""
) -> HttpResponseBase:
    """Dispatch ``/<kommune>/<sak>/<instance>/<rest>`` to the instance's own plug-in."""
    instance = lookups.method_instance(request, municipality, slug, method)
    plugin = registry.get(instance.method_key)
    if not rest:
        return plugin.page(request, instance)
    try:
        match = plugin.resolver.resolve(rest)
    except Resolver404 as exc:
        raise Http404 from exc
    response: HttpResponseBase = match.func(request, instance, *match.args, **match.kwargs)
    return response


def method_export(
    request: HttpRequest, municipality: str, slug: str, method: str, export: str
) -> HttpResponseBase:
    """A download the plug-in declares: public ones for all, staff ones with ``export``."""
    instance = lookups.method_instance(request, municipality, slug, method)
    plugin = registry.get(instance.method_key)
    try:
        declared = plugin.export(export)
    except KeyError as exc:
        raise Http404 from exc
    if declared.audience == "staff":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not capabilities.staff_can(
            request.user, Capability.EXPORT, instance.process.municipality_id
        ):
            raise PermissionDenied
    elif declared.available(instance):
        return declared.view(request, instance)  # open data: not audited
    elif not capabilities.staff_can(
        request.user, Capability.EXPORT, instance.process.municipality_id
    ):
        raise Http404  # e.g. results not made public: staff may still download them
    response = declared.view(request, instance)
    if response.status_code == 200:
        # Staff took a file the public cannot get: who, which instance, which export, when.
        audit.record(
            "export.downloaded",
            actor=request.user,
            obj=instance,
            municipality_id=instance.process.municipality_id,
            data={
                "export": declared.key,
                "audience": declared.audience,
                "process": instance.process_id,
                "method": instance.method_key,
            },
        )
    return response
