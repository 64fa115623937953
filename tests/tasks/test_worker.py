"""Production background work: a task queued in PostgreSQL is run by a real worker process.

Runs when the tests run on PostgreSQL (``DATABASE_URL=postgres://…``, as in CI's second
run); skipped on the embedded SQLite default, whose in-memory test database no second
process can see.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django_tasks import TaskResultStatus

from medvirk.core.tasks import ping

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
REPO_ROOT = Path(__file__).resolve().parents[2]


def _require_postgresql() -> None:
    if connection.vendor == "postgresql":
        return
    database_url = os.environ.get("DATABASE_URL", "")
    if os.environ.get("CI") == "true" and database_url.startswith("postgres"):
        pytest.fail(
            f"CI=true and DATABASE_URL names PostgreSQL, but the tests run on {connection.vendor}",
            pytrace=False,
        )
    pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name")


def _database_url(settings_dict: dict[str, Any]) -> str:
    """The URL of the database this test runs in (pytest-django's test_<name>)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


def _worker_command() -> list[str]:
    # The `medvirk` console script of the environment running the tests (what
    # `uv run medvirk manage db_worker` starts), without needing uv itself on PATH.
    script = Path(sys.executable).parent / "medvirk"
    launcher = [str(script)] if script.exists() else [sys.executable, "-m", "medvirk.cli"]
    return [*launcher, "manage", "db_worker", "--batch", "--no-startup-delay", "--interval=0"]


def test_worker_process_runs_a_task_queued_in_postgresql(settings: Any) -> None:
    _require_postgresql()
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}

    result = ping.enqueue("Lillevik")
    assert result.status == TaskResultStatus.READY

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "DJANGO_SETTINGS_MODULE": "medvirk.settings.test",
        "TASKS_BACKEND": DATABASE_BACKEND,
    }
    worker = subprocess.run(
        _worker_command(),
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert worker.returncode == 0, f"db_worker failed:\n{worker.stdout}\n{worker.stderr}"

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL, worker.stdout + worker.stderr
    assert result.return_value == "pong: Lillevik"
    assert result.worker_ids, "the result should name the worker that ran it"
    assert result.finished_at is not None
