"""Parallel requests for race tests: threads released at the same moment, each with its own
database connection (closed afterwards), so the database — not the test — decides who wins."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection


def in_parallel(work: Callable[[int], Any], n: int) -> list[Any]:
    """Run ``work(i)`` for i in 0..n-1 in ``n`` threads at once; their results, in order.

    Any exception in a thread fails the test (after every thread has ended).
    """
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread did not finish in 60 s"
    assert not errors, errors
    return results


def in_workers(work: Callable[[int], Any], jobs: int, threads: int) -> list[Any]:
    """Run ``work(i)`` for i in 0..jobs-1 on ``threads`` threads released at once (each
    takes every ``threads``-th job); the results, in order. More jobs than connections."""
    barrier = threading.Barrier(threads)
    results: list[Any] = [None] * jobs
    errors: list[BaseException] = []

    def run(first: int) -> None:
        try:
            barrier.wait(timeout=30)
            for i in range(first, jobs, threads):
                results[i] = work(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in pool), "a thread did not finish in 120 s"
    assert not errors, errors[:3]
    return results


def require_postgresql() -> None:
    """Skip a race test on SQLite (one writer at a time shows no race); in CI, where
    DATABASE_URL names PostgreSQL, running on anything else is a failure, not a skip."""
    if connection.vendor == "postgresql":
        return
    if os.environ.get("CI") == "true" and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.fail("DATABASE_URL names PostgreSQL, but the tests run on " + connection.vendor)
    pytest.skip(
        "needs PostgreSQL: SQLite runs one write at a time, so it cannot show a race "
        "(set DATABASE_URL=postgres://user@host:5432/name)"
    )
