"""Shared test set-up: the run's header says which database, cache and task backend it uses.

The same suite runs on the embedded default (SQLite, local-memory cache, tasks in-process)
and, in CI's second run, on PostgreSQL + Redis (``DATABASE_URL``, ``REDIS_URL``).
"""

from __future__ import annotations

import os

import pytest


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings

    database = settings.DATABASES["default"]
    engine = str(database["ENGINE"]).rsplit(".", 1)[-1]
    where = database.get("HOST") or database.get("NAME")
    cache = str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1]
    tasks = str(settings.TASKS["default"]["BACKEND"]).rsplit(".", 1)[-1]
    ci = os.environ.get("CI", "")
    return [f"medvirk: database={engine} ({where}) cache={cache} tasks={tasks} CI={ci or 'no'}"]
