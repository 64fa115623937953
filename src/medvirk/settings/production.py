"""Production: secrets and hosts from the environment, secure cookies, HSTS, database queue."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool

DEBUG = False
if SECRET_KEY.startswith("medvirk-insecure"):
    raise ImproperlyConfigured("Set SECRET_KEY in the environment for production.")
if env_bool("MEDVIRK_TEST_IDENTITY_PROVIDER", False):
    raise ImproperlyConfigured(
        "The test identity provider is for demos and tests only; production refuses it."
    )
MEDVIRK_TEST_IDENTITY_PROVIDER = False
if os.environ.get("MEDVIRK_IDENTITY_PEPPER", "") in ("", SECRET_KEY):
    raise ImproperlyConfigured("Set MEDVIRK_IDENTITY_PEPPER (its own long random secret).")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading HSTS is a commitment for the whole domain (often the kommune's), so it is the
# operator's choice (SECURE_HSTS_PRELOAD=true); without it, the deploy check need not warn.
SILENCED_SYSTEM_CHECKS = ["axes.W006"] + ([] if SECURE_HSTS_PRELOAD else ["security.W021"])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- audit chain (issue 15) ---
# The audit key must be its own secret: a leaked SECRET_KEY or pepper must not also let
# someone rewrite the log.
_audit_key = os.environ.get("MEDVIRK_AUDIT_KEY", "")
if len(_audit_key) < 32 or _audit_key in (SECRET_KEY, os.environ.get("MEDVIRK_IDENTITY_PEPPER")):
    raise ImproperlyConfigured(
        "Set MEDVIRK_AUDIT_KEY (its own long random secret, at least 32 characters, different "
        "from SECRET_KEY and MEDVIRK_IDENTITY_PEPPER)."
    )

# --- abuse limits (issue 15) ---
# Rate limits and login lockouts count in the cache: with several processes a per-process
# cache would give every process (and so every attacker) its own fresh count.
if not os.environ.get("REDIS_URL") and not env_bool("MEDVIRK_SINGLE_PROCESS", False):
    raise ImproperlyConfigured(
        "Set REDIS_URL: rate limits and login lockouts must be shared by every process. "
        "An install that runs exactly one process may set MEDVIRK_SINGLE_PROCESS=true instead."
    )
if env_bool("MEDVIRK_SINGLE_PROCESS", False) and os.environ.get("WEB_CONCURRENCY", "1") != "1":
    raise ImproperlyConfigured(
        "MEDVIRK_SINGLE_PROCESS=true needs WEB_CONCURRENCY=1 (one gunicorn worker); with more, "
        "set REDIS_URL instead."
    )
if env_bool("MEDVIRK_RATE_LIMITS_DISABLED", False):
    raise ImproperlyConfigured("Rate limits cannot be switched off in production.")
if not os.environ.get("REDIS_URL"):
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "axes.W001"]  # one process: exact
