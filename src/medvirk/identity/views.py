"""Account pages: log in (password or e-ID), my page, my data, erase.

Staff check identities in person in the staff area (``staff.identity_checks``).
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medvirk.core import audit, ratelimit
from medvirk.core.errors import ActionRefused

from . import actions, lockout, queries, session_keys
from .forms import DisputeForm, EmailForm, EraseForm, SignupForm, TestLoginForm
from .models import AssuranceLevel, User
from .providers import (
    IdentityRefused,
    Provider,
    TestProvider,
    VerifiedIdentity,
    enabled_providers,
    get_provider,
)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _providers_context() -> dict[str, Any]:
    providers = list(enabled_providers().values())
    return {
        "eid_providers": [p for p in providers if not p.is_test],
        "test_provider": next((p for p in providers if p.is_test), None),
    }


class LoginView(auth_views.LoginView):
    """Username and password, plus a button for every enabled e-ID provider."""

    template_name = "identity/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_providers_context())
        return context

    def get_success_url(self) -> str:
        """Where the person asked to go; else staff land in the staff area, residents home."""
        asked = self.get_redirect_url()
        if asked:
            return asked
        if self.request.session.get(session_keys.STAFF):  # set at login for anyone with a role
            return reverse("staff:dashboard")
        return str(resolve_url(settings.LOGIN_REDIRECT_URL))


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the login page again, saying why and for how long (429).

    Serves ``/admin/login/`` too: one lockout, one explanation, and the e-ID buttons, which
    stay open while password logins are paused.
    """
    failures = getattr(request, "axes_failures_since_start", None)
    wait = lockout.cool_off_after(failures or int(settings.AXES_FAILURE_LIMIT))
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    message = ngettext(
        "Too many failed attempts to log in with this username or from your connection. "
        "For your safety, logging in with a password is paused for %(minutes)d minute.",
        "Too many failed attempts to log in with this username or from your connection. "
        "For your safety, logging in with a password is paused for %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    username = str(request.POST.get("username", ""))[:150]
    response = render(
        request,
        "identity/login.html",
        {
            "form": AuthenticationForm(request, initial={"username": username}),
            "next": _safe_next(request, request.POST.get("next")),
            "locked_out": message,
            **_providers_context(),
        },
        status=429,
    )
    response["Retry-After"] = str(int(wait.total_seconds()))
    return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("identity:account")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            # New accounts per client are limited: scripted sign-ups, and their e-mails.
            if not ratelimit.allow_client(request, "signup"):
                form.add_error(None, ratelimit.too_many_message())
                return ratelimit.retry_later(
                    render(request, "identity/signup.html", {"form": form}, status=429),
                    ratelimit.retry_after("signup"),
                )
            user = form.save()
            auth.login(request, user, backend=MODEL_BACKEND)
            if user.email:
                try:
                    actions.send_email_confirmation(user, user.email)
                except ActionRefused as refused:
                    messages.warning(
                        request,
                        _(
                            "Your account is ready, but we could not send a link to confirm "
                            "your e-mail now: %(reason)s You can ask for a new link below."
                        )
                        % {"reason": refused.message},
                    )
                else:
                    messages.success(
                        request,
                        _("Your account is ready. We have sent you a link to confirm your e-mail."),
                    )
            else:
                messages.success(request, _("Your account is ready."))
            return redirect("identity:account")
        return render(request, "identity/signup.html", {"form": form}, status=400)
    return render(request, "identity/signup.html", {"form": form})


# -- e-ID ---------------------------------------------------------------------------------


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(
        request,
        "identity/eid_refused.html",
        {"message": message, **_providers_context()},
        status=status,
    )


def _complete(
    request: HttpRequest, provider: Provider, identity: VerifiedIdentity, next_url: str
) -> HttpResponse:
    """The one path every provider ends in: check level, find the person, log in."""
    try:
        user = actions.do_login_verified(request.user, identity, provider)
    except (IdentityRefused, ActionRefused) as refused:
        return _refused(request, refused.message, refused.status)
    auth.login(request, user, backend=MODEL_BACKEND)
    messages.success(
        request, _("You are logged in with %(provider)s.") % {"provider": provider.label}
    )
    return redirect(_safe_next(request, next_url) or resolve_url("identity:account"))


@require_GET
def eid_start(request: HttpRequest, provider: str) -> HttpResponse:
    chosen = get_provider(provider)
    if chosen is None:
        raise Http404
    try:
        return chosen.start(request, _safe_next(request, request.GET.get("next")))
    except IdentityRefused as refused:
        return _refused(request, refused.message, 503)


@never_cache
@require_GET
def eid_callback(request: HttpRequest, provider: str) -> HttpResponse:
    chosen = get_provider(provider)
    if chosen is None or chosen.is_test:
        raise Http404
    try:
        identity, next_url = chosen.callback(request)
    except IdentityRefused as refused:
        return _refused(request, refused.message, refused.status)
    return _complete(request, chosen, identity, next_url)


@never_cache
@require_http_methods(["GET", "POST"])
def test_provider(request: HttpRequest) -> HttpResponse:
    """The clearly marked fake e-ID: only where settings enable it (never production)."""
    provider = get_provider("test")
    if not isinstance(provider, TestProvider):
        raise Http404
    if request.method == "POST":
        form = TestLoginForm(request.POST)
        if form.is_valid():
            try:
                identity, next_url = provider.callback(request)
            except IdentityRefused as refused:
                return _refused(request, refused.message, refused.status)
            return _complete(request, provider, identity, next_url)
        status = 400
    else:
        form = TestLoginForm(initial={"next": _safe_next(request, request.GET.get("next"))})
        status = 200
    return render(
        request, "identity/test_provider.html", {"form": form, "provider": provider}, status=status
    )


# -- my page -----------------------------------------------------------------------------


def _account_context(request: HttpRequest) -> dict[str, Any]:
    user: User = request.user  # type: ignore[assignment]
    # Input, answers and messages come from the apps that hold them (the template's
    # accountability tags): identity stands below them.
    return {
        "level": user.assurance_level,
        "levels": AssuranceLevel,
        "email_form": EmailForm(initial={"email": user.email}),
        "in_person_checks": queries.in_person_checks(user),
        **_providers_context(),
    }


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/account.html", _account_context(request))


@login_required
@require_POST
def email_send(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST)
    status, retry_after = 400, None
    if form.is_valid():
        try:
            # Per client here; per receiving address in the action.
            ratelimit.check_client(request, "email")
            actions.send_email_confirmation(
                request.user,  # type: ignore[arg-type]
                form.cleaned_data["email"],
            )
        except ActionRefused as refused:
            form.add_error("email", refused.message)
            status = refused.status
            retry_after = getattr(refused, "retry_after", None)
        else:
            messages.success(
                request,
                _("We have sent a link to %(email)s. Open it to confirm the address.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("identity:account")
    context = _account_context(request)
    context["email_form"] = form
    response = render(request, "identity/account.html", context, status=status)
    return ratelimit.retry_later(response, retry_after) if retry_after else response


@login_required
@require_http_methods(["GET", "POST"])
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link scanners must not confirm by just opening the link)."""
    if request.method == "POST":
        try:
            actions.do_confirm_email(request.user, token)  # type: ignore[arg-type]
        except ActionRefused as refused:
            return render(
                request,
                "identity/email_confirm.html",
                {"error": refused.message},
                status=refused.status,
            )
        messages.success(request, _("Your e-mail address is confirmed."))
        return redirect("identity:account")
    return render(request, "identity/email_confirm.html", {})


@never_cache
@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    data = queries.export_my_data(user)
    # The person's own copy is audited too: a stolen session downloading it leaves a trace.
    audit.record(
        "identity.data_exported",
        actor=user,
        obj=user,
        data={"sections": [key for key in data if key != "exported_at"]},
    )
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="medvirk-my-data-{stamp}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def dispute_check(request: HttpRequest, pk: int) -> HttpResponse:
    """«This was not me»: dispute an in-person identity check of one's own account."""
    user: User = request.user  # type: ignore[assignment]
    check = queries.own_in_person_check(user, pk)
    if check is None:
        raise Http404
    form = DisputeForm(request.POST or None)
    context = {"form": form, "check": check}
    if request.method != "POST":
        return render(request, "identity/dispute_check.html", context)
    if form.is_valid():
        try:
            actions.do_dispute_in_person_check(user, check.pk, form.cleaned_data["note"])
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            return render(request, "identity/dispute_check.html", context, status=refused.status)
        messages.success(
            request,
            _(
                "The check is disputed and no longer counts. The municipality's administrators "
                "have been told and will review it."
            ),
        )
        return redirect("identity:account")
    return render(request, "identity/dispute_check.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest) -> HttpResponse:
    form = EraseForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.do_erase_account(request.user)  # type: ignore[arg-type]
            except ActionRefused as refused:
                form.add_error(None, refused.message)
                return render(request, "identity/erase.html", {"form": form}, status=refused.status)
            auth.logout(request)
            messages.success(request, _("Your account has been erased."))
            return redirect(settings.LOGOUT_REDIRECT_URL)
        return render(request, "identity/erase.html", {"form": form}, status=400)
    return render(request, "identity/erase.html", {"form": form})
