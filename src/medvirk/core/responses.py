"""Small response and request helpers every app's views share.

- ``private(response)``: a page with a person's own text, receipt link or choices stays out
  of shared caches and other sites' Referer logs. "same-origin", not "no-referrer": with
  "no-referrer" browsers post forms with ``Origin: null`` and Django's CSRF check refuses.
- ``not_allowed("GET, POST")``: 405 with the Allow header.
- ``page_number(request)``: the ``?side=`` of a paged list; anything odd is page 1.
- ``session_key(request)``: the browser's session key, starting a session if there is none
  (anonymous input counted once per browser).
"""

from __future__ import annotations

from typing import TypeVar

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

R = TypeVar("R", bound=HttpResponseBase)

# Written to start a session for a visitor who has none (its value means nothing).
SESSION_MARK = "medvirk.form_session"


def private(response: R) -> R:
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def not_allowed(allowed: str) -> HttpResponse:
    return HttpResponse(status=405, headers={"Allow": allowed})


def page_number(request: HttpRequest, param: str = "side") -> int:
    raw = str(request.GET.get(param, "1"))
    return int(raw) if raw.isdigit() and len(raw) < 6 else 1


def start_session(request: HttpRequest) -> None:
    if not request.session.session_key:
        request.session[SESSION_MARK] = True


def session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        start_session(request)
        request.session.save()
    return str(request.session.session_key)
