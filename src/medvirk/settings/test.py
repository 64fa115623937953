"""Tests: like dev, plus fast hashing and Django's in-memory outbox."""

from __future__ import annotations

import os

from .dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDVIRK_TEST_IDENTITY_PROVIDER = True
# Tests change phases and ballots between requests in one process: nothing cached there
# (tests/methods/budgeting turns it on where it tests the cache).
MEDVIRK_BUDGET_CACHE_SECONDS = 0.0
LANGUAGE_CODE = "nb"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: parallel-request tests need real SQLite locking
    # (WAL + busy timeout), which in-memory shared cache does not provide.
    # One file per test run (pid), so concurrent runs on one machine never share it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test-medvirk-{os.getpid()}.sqlite3")  # noqa: F405
    }

if REDIS_URL:  # noqa: F405
    # Rate-limit counters and lockouts live in the cache: one key space per test process,
    # so parallel workers (and runs) on one Redis never count each other's requests.
    # tests/conftest.py empties it before every test.
    CACHES["default"]["KEY_PREFIX"] = f"medvirk-test-{os.getpid()}"  # noqa: F405
