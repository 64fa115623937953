"""The one-time link in an invitation e-mail: ``invitasjon/<token>/``.

It needs the invited member's own account. A visitor who is not logged in is sent to log
in and then back here: the token waits in their session meanwhile, so it never travels in
a query string (``invitasjon/`` picks it up after the login). The first use is recorded and
leads straight on to the survey or dialogue; a later use says the link was used and still
links there. A wrong token, another person's, or one of another panel: 404.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path

from medvirk.core.errors import ActionRefused
from medvirk.core.responses import private
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance

from . import invites

SESSION_KEY = "medvirk.panel.invitation"
ALLOWED = {"Allow": "GET, HEAD"}


def invitation(request: HttpRequest, instance: MethodInstance, token: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers=ALLOWED)
    found = invites.find(instance, token)
    if found is None:
        raise Http404
    if not request.user.is_authenticated:
        request.session[SESSION_KEY] = {"instance": instance.pk, "token": token}
        resume = registry.get(instance.method_key).url(instance, "invitation_resume")
        return private(redirect_to_login(resume))
    try:
        first = invites.do_open(request.user, found)
    except ActionRefused as refused:
        raise Http404 from refused
    target = found.draw.target
    if first:
        return private(HttpResponseRedirect(target.get_absolute_url()))
    context = {
        "instance": instance,
        "process": instance.process,
        "target": target,
        "opened_at": found.opened_at,
        "answered": found.responded_at is not None,
    }
    return private(render(request, "panel/invitation_used.html", context))


def resume(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """After the login: on to the link that sent the person there, or the panel's page."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers=ALLOWED)
    waiting = request.session.get(SESSION_KEY)
    if not isinstance(waiting, dict) or waiting.get("instance") != instance.pk:
        return private(HttpResponseRedirect(instance.get_absolute_url()))
    token = str(waiting.get("token") or "")
    if not request.user.is_authenticated:
        return private(redirect_to_login(request.path))
    del request.session[SESSION_KEY]
    plugin = registry.get(instance.method_key)
    return private(HttpResponseRedirect(plugin.url(instance, "invitation", token=token)))


URLS: list[URLPattern | URLResolver] = [
    path("invitasjon/", resume, name="invitation_resume"),
    path("invitasjon/<str:token>/", invitation, name="invitation"),
]
