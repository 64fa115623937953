"""A small fixed-window rate limit on the shared cache (Redis in production).

Used on anonymous write endpoints so one address cannot flood a process with input.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_key(request: HttpRequest) -> str:
    # Behind a proxy, REMOTE_ADDR is set from X-Forwarded-For by the proxy config; hash it
    # so the cache never holds raw addresses.
    addr = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(f"{settings.SECRET_KEY}:{addr}".encode()).hexdigest()[:32]


def allow(request: HttpRequest, scope: str, limit: int, window_seconds: int) -> bool:
    """True while this client has made at most ``limit`` calls in the current window."""
    if getattr(settings, "MEDVIRK_RATE_LIMITS_DISABLED", False):
        return True
    key = f"rl:{scope}:{client_key(request)}"
    if cache.add(key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return True
    return count <= limit
