"""The link at the foot of every e-mail about a case: stop e-mail about it.

GET shows what the link would do and asks to confirm (mail scanners open links; they must
not unsubscribe anyone); POST records it. A forged, changed or too old link is a 404 page
that says so, never an error.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from medvirk.accountability import unsubscribe as optout
from medvirk.core.errors import ActionRefused


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    found = optout.read_token(token)
    if found is None:
        return _private(render(request, "processes/unsubscribe_invalid.html", status=404))
    request.municipality = found.process.municipality  # type: ignore[attr-defined]
    done = False
    if request.method == "POST":
        try:
            optout.do_unsubscribe(token)
        except ActionRefused:
            return _private(render(request, "processes/unsubscribe_invalid.html", status=404))
        done = True
    return _private(
        render(
            request,
            "processes/unsubscribe.html",
            {"process": found.process, "token": token, "done": done},
        )
    )


def _private(response: HttpResponse) -> HttpResponse:
    """The address holds a token that acts for one person: keep it out of caches and logs."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response
