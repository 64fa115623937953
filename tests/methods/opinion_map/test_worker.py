"""The map's task on PostgreSQL through the real worker: votes queue ONE recompute in the
database queue, and a ``medvirk manage db_worker`` process draws the map from the votes.

Runs when the tests run on PostgreSQL (``DATABASE_URL=postgres://…``, as in CI's second
run); skipped on the embedded SQLite default, whose test database no second process sees.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from medvirk.methods.opinion_map import actions, tasks
from medvirk.methods.opinion_map.models import OpinionMap, Participant
from medvirk.organisations.models import Municipality
from tests.tasks.test_worker import (
    DATABASE_BACKEND,
    REPO_ROOT,
    _database_url,
    _require_postgresql,
    _worker_command,
)

from .conftest import make_conversation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_worker_draws_the_map_from_postgresql(settings: Any, org: Municipality) -> None:
    _require_postgresql()
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}
    conversation = make_conversation(org)
    instance = conversation.instance
    rng = random.Random(5)
    for n in range(30):
        camp = n % 2
        votes = {
            s.pk: (1 if (i + camp) % 2 else -1) if rng.random() > 0.05 else 0
            for i, s in enumerate(conversation.statements)
        }
        # Every vote asks; only the first queues a task (the rest find it pending).
        for statement_id, value in votes.items():
            actions.do_vote(
                AnonymousUser(), instance, statement_id, value, session_key=f"browser-{n}"
            )
    queued = DBTaskResult.objects.filter(task_path=tasks.recompute_map.module_path)
    assert queued.count() == 1
    row = OpinionMap.objects.get(method_instance=instance)
    assert row.requested_at is not None and row.computed_at is None
    # The debounce holds it back; make it due now, as time passing would.
    queued.update(run_after=timezone.now() - dt.timedelta(seconds=1))

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "DJANGO_SETTINGS_MODULE": "medvirk.settings.test",
        "TASKS_BACKEND": DATABASE_BACKEND,
        "OPENBLAS_NUM_THREADS": "1",
    }
    worker = subprocess.run(
        _worker_command(),
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert worker.returncode == 0, f"db_worker failed:\n{worker.stdout}\n{worker.stderr}"
    result = queued.get()
    assert result.status == TaskResultStatus.SUCCESSFUL, worker.stdout + worker.stderr
    assert result.return_value == "computed"
    row.refresh_from_db()
    assert row.computed_at is not None and row.requested_at is None and row.running_since is None
    assert row.votes_seen == 300 and row.participants_seen == 30
    assert [g["size"] for g in row.result["groups"]] == [15, 15]
    assert not Participant.objects.filter(method_instance=instance, group=None).exists()
