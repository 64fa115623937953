"""Fixed-window counters on the shared cache (Redis whenever more than one process runs).

Used on everything anonymous that writes or sends e-mail: answer sets and questions,
sign-ups, confirmation e-mails, following a case. The limits are named settings
(``MEDVIRK_RATE_LIMITS``: ``"10/10m"`` = ten per ten minutes); a window starts at the first
event and the count is kept in the cache under a keyed hash, so the cache never holds a raw
address or e-mail address. Clients are counted by :func:`medvirk.core.clientaddr.client_bucket`,
the same address the login lockout uses.

Password logins are limited by django-axes instead (see ``identity/lockout.py``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .clientaddr import client_bucket
from .errors import ActionRefused

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd]?)\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """``"10/10m"``, ``"5/h"``, ``"3/2d"``, ``"7/90"`` (seconds) → :class:`Rate`."""
    match = _RATE.match(text)
    if not match or not (match.group(2) or match.group(3)):
        raise ValueError(f"Not a rate: {text!r} (write it as e.g. '10/10m', '5/h').")
    count, number, unit = match.groups()
    seconds = int(number or 1) * UNITS[unit or "s"]
    if seconds <= 0:
        raise ValueError(f"Not a rate: {text!r} (the period must be longer than zero).")
    return Rate(int(count), seconds)


def rate(name: str) -> Rate:
    return parse_rate(str(settings.MEDVIRK_RATE_LIMITS[name]))


def enabled() -> bool:
    return not getattr(settings, "MEDVIRK_RATE_LIMITS_DISABLED", False)


def cache_key(name: str, *parts: str | int) -> str:
    # Keyed, so a copy of the cache cannot be turned back into addresses by guessing.
    material = "\x1f".join([name, *(str(p) for p in parts)]).encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), material, hashlib.sha256).hexdigest()
    return f"medvirk:rl:{name}:{digest[:32]}"


def hit(name: str, *parts: str | int) -> bool:
    """Count one event under the limit ``name`` for ``parts``; True while within the limit."""
    if not enabled():
        return True
    limit = rate(name)
    key = cache_key(name, *parts)
    if cache.add(key, 1, timeout=limit.seconds):
        return limit.count >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr: this is a new one
        cache.add(key, 1, timeout=limit.seconds)
        return limit.count >= 1
    if count == 1:
        # Redis recreated an expired key without a lifetime: give it one again.
        cache.touch(key, timeout=limit.seconds)
    return count <= limit.count


def over_limit(request: HttpRequest, name: str, *scope: str | int) -> bool:
    """Has this client already used up ``name``? (Looks only; counts nothing.)"""
    if not enabled():
        return False
    count = cache.get(cache_key(name, client_bucket(request), *scope), 0)
    return int(count) >= rate(name).count


def allow_client(request: HttpRequest, name: str, *scope: str | int) -> bool:
    """Count one event for this client (behind the trusted proxy) under ``name``."""
    return hit(name, client_bucket(request), *scope)


def retry_after(name: str) -> int:
    """Seconds after which a refused client may try again at the latest (one window)."""
    return rate(name).seconds


def retry_later(response: HttpResponse, seconds: int) -> HttpResponse:
    """Mark a refusal (429) with when to come back."""
    response["Retry-After"] = str(seconds)
    return response


def too_many_message() -> str:
    return _(
        "Too many attempts from your connection in a short time. Wait a few minutes and try again."
    )


def too_many_emails_message() -> str:
    return _("Too many e-mails have been sent to this address in a short time. Try again later.")


class Limited(ActionRefused):
    """A limit refused the request: HTTP 429 with a message the person can read."""

    def __init__(self, message: str, name: str) -> None:
        super().__init__(message, status=429)
        self.retry_after = retry_after(name)


def check_client(request: HttpRequest, name: str, *scope: str | int) -> None:
    """Like :func:`allow_client`, raising :class:`Limited` when the client is over."""
    if not allow_client(request, name, *scope):
        raise Limited(too_many_message(), name)
