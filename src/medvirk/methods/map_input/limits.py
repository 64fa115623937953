"""The map's own limits, counted like ``core.ratelimit`` (fixed windows in the shared cache,
keys hashed) with rates of their own, because a class shares one school address:

- ``join_failures`` (``10/10m``): wrong class codes per connection. Only failures count, so
  a whole class joining from one address is never stopped; guessing is.
- ``pupil_marks`` (``40/10m``): marks per pupil (per joined browser).
- ``class_marks`` (``800/h``): marks per class, whoever in it.

Set them in ``MEDVIRK_MAP_LIMITS`` (e.g. ``{"join_failures": "5/10m"}``); residents outside
a class are limited by the core's ``input`` limit per connection.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from medvirk.core import ratelimit
from medvirk.core.clientaddr import client_bucket
from medvirk.core.errors import ActionRefused

DEFAULTS = {"join_failures": "10/10m", "pupil_marks": "40/10m", "class_marks": "800/h"}


def rate(name: str) -> ratelimit.Rate:
    configured = getattr(settings, "MEDVIRK_MAP_LIMITS", {}) or {}
    return ratelimit.parse_rate(str(configured.get(name, DEFAULTS[name])))


def _key(name: str, *parts: str | int) -> str:
    return ratelimit.cache_key(f"map_{name}", *parts)


def hit(name: str, *parts: str | int) -> bool:
    """Count one event; True while within the limit (as ``ratelimit.hit``)."""
    if not ratelimit.enabled():
        return True
    limit = rate(name)
    key = _key(name, *parts)
    if cache.add(key, 1, timeout=limit.seconds):
        return limit.count >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=limit.seconds)
        return limit.count >= 1
    if count == 1:
        cache.touch(key, timeout=limit.seconds)
    return count <= limit.count


def used_up(name: str, *parts: str | int) -> bool:
    """Has the limit been reached? (Looks only.)"""
    if not ratelimit.enabled():
        return False
    return int(cache.get(_key(name, *parts), 0)) >= rate(name).count


class Limited(ratelimit.Limited):
    """The core's 429 refusal, with the window of one of the map's own limits."""

    def __init__(self, message: str, name: str) -> None:
        ActionRefused.__init__(self, message, status=429)
        self.retry_after = rate(name).seconds


def join_blocked(request: HttpRequest) -> bool:
    return used_up("join_failures", client_bucket(request))


def count_join_failure(request: HttpRequest) -> None:
    hit("join_failures", client_bucket(request))


def check_pupil(class_pk: int, pupil: str) -> None:
    """Raise :class:`Limited` when this pupil or the whole class has marked too fast."""
    if not hit("pupil_marks", class_pk, pupil) or not hit("class_marks", class_pk):
        raise Limited(ratelimit.too_many_message(), "pupil_marks")
