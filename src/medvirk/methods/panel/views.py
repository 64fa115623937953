"""The panel's pages for residents: what the panel is, joining, the member's profile, leaving.

Thin views: reads through ``queries``, writes through ``actions``. Every page here shows or
takes a person's own data, so none is cached by anyone but the browser (private, no-store).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _

from medvirk.core.errors import ActionRefused
from medvirk.core.responses import private
from medvirk.organisations.types import Municipality
from medvirk.processes import permissions, registry
from medvirk.processes.types import MethodInstance

from . import actions, queries
from .draws import published_draws
from .forms import JoinForm, LeaveForm, ProfileForm
from .models import OrganStatus, PanelMember

# Published counts of people hide every group smaller than this (the open-data promise).
SUPPRESS_BELOW = 5


ALLOWED = {"Allow": "GET, HEAD, POST"}


def _url(instance: MethodInstance, name: str = "") -> str:
    return registry.get(instance.method_key).url(instance, name)


def _municipality(instance: MethodInstance) -> Municipality:
    return instance.process.municipality


def _base(request: HttpRequest, instance: MethodInstance) -> dict[str, object]:
    municipality = _municipality(instance)
    return {
        "instance": instance,
        "process": instance.process,
        "municipality": municipality,
        "min_age": queries.panel_settings(municipality).min_age,
        "panel_url": _url(instance),
        "join_url": _url(instance, "join"),
        "profile_url": _url(instance, "profile"),
        "leave_url": _url(instance, "leave"),
    }


def _join_state(
    request: HttpRequest, instance: MethodInstance, member: PanelMember | None
) -> tuple[str, str]:
    """("member" | "join" | "login" | "verify" | "closed", the reason when not allowed)."""
    if member is not None:
        return "member", ""
    if not request.user.is_authenticated:
        return "login", ""
    verdict = permissions.can_act(request.user, instance, actions.JOIN)
    if verdict:
        return "join", ""
    if verdict.needs_level is not None:
        return "verify", verdict.reason
    return "closed", verdict.reason


def page(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """What the panel is, how many are in it, the municipality's decision on its status,
    what is published, the published draws, and joining or the person's membership."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    municipality = _municipality(instance)
    settings = queries.panel_settings(municipality)
    count = queries.member_count(municipality)
    member = queries.membership(request.user, municipality)
    state, reason = _join_state(request, instance, member)
    context = {
        **_base(request, instance),
        "settings": settings,
        "is_organ": settings.organ_status == OrganStatus.ORGAN,
        "is_undecided": settings.organ_status == OrganStatus.UNDECIDED,
        "member_count": count if count == 0 or count >= SUPPRESS_BELOW else None,
        "suppress_below": SUPPRESS_BELOW,
        "state": state,
        "reason": reason,
        "member": member,
        "draws": published_draws(instance),
        "login_url": redirect_to_login(_url(instance, "join"))["Location"],
    }
    return private(render(request, "panel/page.html", context))


def _join_render(
    request: HttpRequest,
    instance: MethodInstance,
    form: JoinForm | None,
    *,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {**_base(request, instance), "form": form, "refusal": refusal}
    return private(render(request, "panel/join.html", context, status=status))


def join(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """GET shows the profile questions and the consent; POST joins (once per municipality)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers=ALLOWED)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    municipality = _municipality(instance)
    if queries.membership(request.user, municipality) is not None:
        messages.info(request, actions.AlreadyMember().message)
        return private(redirect(_url(instance, "profile")))
    try:
        actions.check_join(request.user, instance)
    except ActionRefused as refused:
        return _join_render(request, instance, None, refusal=refused.message, status=403)
    min_age = queries.panel_settings(municipality).min_age
    asked = queries.questions(municipality, min_age)
    if request.method != "POST":
        return _join_render(request, instance, JoinForm(questions=asked, min_age=min_age))
    form = JoinForm(request.POST, questions=asked, min_age=min_age)
    if not form.is_valid():
        return _join_render(request, instance, form, status=400)
    try:
        actions.do_join(
            request.user,
            instance,
            form.profile(),
            consent=bool(form.cleaned_data["consent"]),
            of_age=bool(form.cleaned_data["of_age"]),
        )
    except actions.AlreadyMember as already:
        # Joined meanwhile (a double click, another tab): that membership is the one.
        messages.info(request, already.message)
        return private(redirect(_url(instance, "profile")))
    except ActionRefused as refused:
        if refused.status == 400:
            form.add_error(None, refused.message)
            return _join_render(request, instance, form, status=400)
        return _join_render(request, instance, None, refusal=refused.message, status=refused.status)
    messages.success(
        request,
        _("Welcome to the residents' panel. You can change your answers or leave at any time."),
    )
    return private(redirect(_url(instance, "profile")))


def _not_member(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    messages.info(request, actions.NotMember().message)
    return private(redirect(_url(instance)))


def profile(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """The member's code, answers (to change), consent and invitations."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers=ALLOWED)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    municipality = _municipality(instance)
    member = queries.membership(request.user, municipality)
    if member is None:
        return _not_member(request, instance)
    min_age = queries.panel_settings(municipality).min_age
    asked = queries.questions(municipality, min_age)
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST, questions=asked)
        if form.is_valid():
            try:
                actions.do_update_profile(request.user, municipality, form.profile())
            except actions.NotMember:
                return _not_member(request, instance)
            except ActionRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                messages.success(request, _("Your answers are saved."))
                return private(redirect(_url(instance, "profile")))
        else:
            status = 400
    else:
        initial = {f"q-{key}": value for key, value in member.profile.items()}
        form = ProfileForm(questions=asked, initial=initial)
    context = {
        **_base(request, instance),
        "member": member,
        "form": form,
        "answers": queries.answers(member, asked),
        "invitations": queries.invitations(member),
    }
    return private(render(request, "panel/profile.html", context, status=status))


def leave(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """GET asks for confirmation; POST deletes the membership and the profile with it."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers=ALLOWED)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    municipality = _municipality(instance)
    member = queries.membership(request.user, municipality)
    if member is None:
        return _not_member(request, instance)
    if request.method == "POST" and LeaveForm(request.POST).is_valid():
        try:
            actions.do_leave(request.user, municipality)
        except actions.NotMember:
            return _not_member(request, instance)
        messages.success(
            request, _("You have left the residents' panel. Your answers have been erased.")
        )
        return private(redirect(_url(instance)))
    context = {**_base(request, instance), "member": member}
    return private(render(request, "panel/leave.html", context))


URLS: list[URLPattern | URLResolver] = [
    path("bli-med/", join, name="join"),
    path("profil/", profile, name="profile"),
    path("profil/forlat/", leave, name="leave"),
]
