"""Shared test set-up: the run's header says which database, cache and task backend it uses.

The same suite runs on the embedded default (SQLite, local-memory cache, tasks in-process)
and, in CI's second run, on PostgreSQL + Redis (``DATABASE_URL``, ``REDIS_URL``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.fixtures import clear_own_cache


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings

    database = settings.DATABASES["default"]
    engine = str(database["ENGINE"]).rsplit(".", 1)[-1]
    where = database.get("HOST") or database.get("NAME")
    cache = str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1]
    tasks = str(settings.TASKS["default"]["BACKEND"]).rsplit(".", 1)[-1]
    ci = os.environ.get("CI", "")
    return [f"medvirk: database={engine} ({where}) cache={cache} tasks={tasks} CI={ci or 'no'}"]


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Every test starts with an empty cache: rate-limit counts and login lockouts live there.

    On Redis only this process's keys go (settings/test.py gives each its own prefix), so
    parallel workers sharing one Redis never empty each other's.
    """
    clear_own_cache()
    yield
    clear_own_cache()
