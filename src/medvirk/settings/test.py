"""Tests: like dev, plus fast hashing and Django's in-memory outbox."""

from __future__ import annotations

from .dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDVIRK_TEST_IDENTITY_PROVIDER = True
LANGUAGE_CODE = "nb"
