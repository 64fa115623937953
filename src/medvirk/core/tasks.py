"""Tasks of the shared kernel."""

from __future__ import annotations

from django_tasks import task


@task()
def ping(value: str) -> str:
    """Answer with what it was given: proves a worker picks up and runs queued work.

    ``medvirk manage shell -c "from medvirk.core.tasks import ping; print(ping.enqueue('x').id)"``
    then ``medvirk manage db_worker --batch`` is the smallest end-to-end check of a deployment.
    """
    return f"pong: {value}"
