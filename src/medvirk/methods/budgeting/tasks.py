"""Background work of participatory budgeting: counting a vote once it is closed.

Closing the vote (the staff's button, or ``medvirk manage budgeting_close`` from cron)
enqueues :func:`count_votes` after the commit. Production runs it in the database queue's
worker (``medvirk manage db_worker``); the demo and tests run it in process at once. It is
safe to run more than once: the count locks the election's row and counts a closed vote
only once.
"""

from __future__ import annotations

from django_tasks import task

from . import counting


@task()
def count_votes(instance_id: int) -> str:
    """Count the closed vote of this instance; says what it did."""
    return counting.count_instance(instance_id)
