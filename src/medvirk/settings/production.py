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
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
