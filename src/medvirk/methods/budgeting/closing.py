"""What the cron command does: close the votes that have ended, and queue missing counts.

Closing goes through ``staff_actions.do_close_vote`` as the system (audited as such); a
vote closed meanwhile by staff is simply skipped (the action refuses a second close).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from medvirk.core.errors import ActionRefused
from medvirk.processes.models import MethodInstance

from . import counting, staff_actions, tasks
from .actions import METHOD_KEY
from .models import Election


def _instances() -> list[MethodInstance]:
    return list(
        MethodInstance.objects.filter(method_key=METHOD_KEY).select_related(
            "process__municipality", "phase"
        )
    )


def close_due(now: dt.datetime | None = None, *, dry_run: bool = False) -> list[str]:
    """Close (and so count) every budget whose vote has ended; re-queue missing counts."""
    moment = now or timezone.now()
    done: list[str] = []
    for instance in _instances():
        if staff_actions.due_for_closing(instance, moment):
            if not dry_run:
                try:
                    staff_actions.do_close_vote(None, instance, now=moment)
                except ActionRefused:
                    continue
            done.append(f"budget {instance.pk} closed for counting")
    stuck = Election.objects.filter(closed_at__isnull=False, counted_at__isnull=True)
    for election in stuck.exclude(closed_at__gte=moment):
        if not dry_run:
            tasks.count_votes.enqueue(election.method_instance_id)
        done.append(f"budget {election.method_instance_id} queued for counting")
    return done


def verify_all() -> list[str]:
    problems: list[str] = []
    counted = set(
        Election.objects.filter(counted_at__isnull=False).values_list(
            "method_instance_id", flat=True
        )
    )
    for instance in _instances():
        if instance.pk in counted:
            problems += [f"budget {instance.pk}: {p}" for p in counting.verify(instance)]
    return problems
