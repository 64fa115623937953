"""Staff sessions end after idle time and after an absolute limit; residents' do not.

A staff session left open on a shared office computer keeps every power of its roles, so
anyone with a staff role (a ``Membership``) or Django's ``is_staff`` is logged out after
``MEDVIRK_STAFF_SESSION_IDLE_MINUTES`` without a request and at the latest
``MEDVIRK_STAFF_SESSION_MAX_HOURS`` after logging in. Residents keep Django's normal session.

The middleware decides from the session alone (no query per request): logging in stamps
the session with the time and, for staff, a flag. A role granted while the person is
already logged in marks the session the first time one of its powers is asked for
(``capabilities.roles`` memoises the roles on the user), so a resident's session that
became staff is limited from then on. It lives in organisations because whether someone
is staff is a question about roles; core stays below.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.functional import empty
from django.utils.translation import ngettext

from medvirk.identity import session_keys

from . import capabilities

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

LOGIN_AT = "medvirk.login_at"  # seconds since the epoch, stamped at login (everyone)
SEEN_AT = "medvirk.seen_at"  # the last request that counted as activity
STAFF = session_keys.STAFF  # the session belongs to staff: the limits apply
# Activity is written to the session at most once a minute, so staff pages do not save the
# session on every request; the idle limit is therefore exact to within this.
TOUCH_EVERY = 60


@receiver(user_logged_in, dispatch_uid="organisations.stamp_session_at_login")
def stamp_session_at_login(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any
) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    if capabilities.is_staff_account(user):
        request.session[STAFF] = True
    else:
        request.session.pop(STAFF, None)


def _limits() -> tuple[int, int]:
    idle_minutes = int(settings.MEDVIRK_STAFF_SESSION_IDLE_MINUTES)
    max_hours = int(settings.MEDVIRK_STAFF_SESSION_MAX_HOURS)
    return idle_minutes, max_hours


def _ended(session: Any, now: int) -> str | None:
    """Why this staff session is over ("idle", "absolute"), or None while it lasts."""
    idle_minutes, max_hours = _limits()
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return "absolute"  # a session from before the limits: its age is unknown
    if now - login_at > max_hours * 3600:
        return "absolute"
    if now - seen_at > idle_minutes * 60:
        return "idle"
    return None


def _message(reason: str) -> str:
    idle_minutes, max_hours = _limits()
    if reason == "idle":
        return ngettext(
            "You were logged out after %(minutes)d minute without activity. Please log in again.",
            "You were logged out after %(minutes)d minutes without activity. Please log in again.",
            idle_minutes,
        ) % {"minutes": idle_minutes}
    return ngettext(
        "You were logged out because a staff session lasts at most %(hours)d hour. "
        "Please log in again.",
        "You were logged out because a staff session lasts at most %(hours)d hours. "
        "Please log in again.",
        max_hours,
    ) % {"hours": max_hours}


def _used_staff_powers(request: HttpRequest) -> bool:
    """Did this request find staff powers on the user it had already loaded?"""
    user = getattr(request, "user", None)
    loaded = getattr(user, "_wrapped", user)  # never load the user just for this
    if loaded is None or loaded is empty or not getattr(loaded, "is_authenticated", False):
        return False
    if getattr(loaded, "is_staff", False) or getattr(loaded, "is_superuser", False):
        return True
    memo: dict[int, set[str]] = getattr(loaded, "_medvirk_roles", {})
    return any(memo.values())


class StaffSessionMiddleware:
    """Place after AuthenticationMiddleware (it reads the session and the loaded user)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        session = request.session
        logged_in = auth.SESSION_KEY in session
        if logged_in and session.get(STAFF):
            now = int(time.time())
            reason = _ended(session, now)
            if reason is not None:
                return self._log_out(request, reason)
            if now - session[SEEN_AT] >= TOUCH_EVERY:
                session[SEEN_AT] = now
        response = self.get_response(request)
        if logged_in and not session.get(STAFF) and _used_staff_powers(request):
            session[STAFF] = True
            session[SEEN_AT] = int(time.time())
        return response

    def _log_out(self, request: HttpRequest, reason: str) -> HttpResponseBase:
        auth.logout(request)
        # MessageMiddleware comes later and never runs for this answer: store the message
        # the way it would, so the login page shows why.
        request._messages = default_storage(request)  # type: ignore[attr-defined]
        messages.info(request, _message(reason))
        safe_next = request.get_full_path() if request.method in ("GET", "HEAD") else request.path
        response: HttpResponseBase
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)  # htmx: load the login page as a whole
            response["HX-Redirect"] = redirect_to_login(safe_next)["Location"]
        else:
            response = redirect_to_login(safe_next)
        request._messages.update(response)  # type: ignore[attr-defined]
        return response
