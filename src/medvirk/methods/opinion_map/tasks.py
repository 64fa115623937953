"""Background work of the opinion map: drawing the map again after votes.

Votes never compute a map: the first vote after a map was started asks for one
(``actions.request_recompute``) and this task runs after the debounce. Production runs it
in the database queue's worker (``medvirk manage db_worker``); the demo and tests run it in
process (the immediate backend takes no delay, so there it runs at once).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from . import mapping


@task()
def recompute_map(instance_id: int) -> str:
    """Draw the conversation's map from the votes in the database; says what it did."""
    outcome = mapping.run(instance_id)
    if outcome == mapping.BUSY:
        # Another worker is drawing it now: come back once that one is likely done, so the
        # votes that came in meanwhile are drawn too (the request stays pending).
        enqueue(instance_id, mapping.RETRY)
    return outcome


def enqueue(instance_id: int, delay: dt.timedelta | None = None) -> None:
    """Queue :func:`recompute_map`, after ``delay`` where the backend can wait.

    A backend without deferred tasks (the in-process one of the demo and tests) runs it at
    once, except that a busy map is not retried there: the next vote asks again.
    """
    backend = recompute_map.get_backend()
    if delay and backend.supports_defer:
        recompute_map.using(run_after=timezone.now() + delay).enqueue(instance_id)
    elif delay != mapping.RETRY:
        recompute_map.enqueue(instance_id)
