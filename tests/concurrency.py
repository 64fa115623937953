"""Parallel requests for race tests: threads released at the same moment, each with its own
database connection (closed afterwards), so the database — not the test — decides who wins."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

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
