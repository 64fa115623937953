"""Password logins under django-axes: lock an account, and an address, after failures.

Settings (``settings/base.py``, «abuse limits»): the failure limit, the first cool-off and
its ceiling. Every failure counts against the username (axes) *and* against the client's
address (:func:`medvirk.core.clientaddr.client_address`, the one the other limits use), so
guessing one account from many addresses and many accounts from one address are both
stopped. The address has its own, higher limit (``login_address``): a school or an office
shows many people as one address, and one person's typos must not lock the others out.
While an account is locked, each further attempt doubles the cool-off, up to the ceiling: an
attacker who keeps trying keeps the door shut, a person who waits the stated time gets in.
e-ID logins never go through a password and stay open.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.http import HttpRequest

from medvirk.core import ratelimit

USERNAME_PREFIX = "user:"


def cool_off_after(failures: int) -> timedelta:
    """The cool-off that follows failure number ``failures``: doubles past the limit."""
    base = timedelta(minutes=int(settings.MEDVIRK_LOGIN_COOLOFF_MINUTES))
    ceiling = timedelta(minutes=int(settings.MEDVIRK_LOGIN_COOLOFF_MAX_MINUTES))
    beyond = max(0, failures - int(settings.AXES_FAILURE_LIMIT))
    return min(base * 2 ** min(beyond, 20), ceiling)


def cool_off(request: HttpRequest | None) -> timedelta:
    """``AXES_COOLOFF_TIME``: axes asks before it counts the failure it is recording."""
    if request is None or request.method != "POST":
        return cool_off_after(0)
    return cool_off_after(AxesProxyHandler.get_failures(request) + 1)


def username_key(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """``AXES_USERNAME_CALLABLE``: the username, marked as one.

    axes keys its counters on the bare value, so without the mark a failed login *as the
    user* "203.0.113.5" would count against the *address* 203.0.113.5 and lock it out.
    """
    field = str(getattr(settings, "AXES_USERNAME_FORM_FIELD", "username"))
    username = credentials.get(field) if credentials else request.POST.get(field)
    return f"{USERNAME_PREFIX}{username or ''}"


def username_from_key(key: str | None) -> str:
    return (key or "").removeprefix(USERNAME_PREFIX)


class LoginLockoutBackend(AxesStandaloneBackend):
    """axes' gate, first in ``AUTHENTICATION_BACKENDS``; the model backend checks passwords.

    A call without a request is no web login (Django's test client ``login()``, a script):
    there is no client to count, so it passes to the next backend instead of failing.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        if ratelimit.over_limit(request, "login_address"):
            # As axes does for a locked account: its middleware answers with locked_out().
            request.axes_locked_out = True  # type: ignore[attr-defined]
            raise AxesBackendPermissionDenied("too many failed logins from this address")
        return super().authenticate(request, username=username, password=password, **kwargs)


def count_address_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """``user_login_failed``: one more failed password login from this client address."""
    if request is not None:
        ratelimit.allow_client(request, "login_address")
