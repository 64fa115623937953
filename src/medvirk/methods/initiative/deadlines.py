"""The council's six months: which proposals need a warning to staff today, queued once.

There is no scheduler in Medvirk: ``medvirk manage initiative_deadlines`` (daily, from
cron) calls :func:`queue_warnings`. Each warning is claimed by setting its time on the
proposal in the same UPDATE that checks it is unset, so running the command twice, or on
two machines at once, sends each warning once. The pages compute the deadline on read and
do not depend on the command.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone

from . import config, queries, rules, tasks
from .models import Initiative


@dataclass(frozen=True)
class Warning:
    initiative_id: int
    kind: str  # tasks.SOON or tasks.OVERDUE
    deadline: dt.date


def due(today: dt.date) -> list[Warning]:
    """The warnings that are due on ``today`` and not yet sent."""
    found = []
    for row in queries.awaiting_position():
        deadline = row.deadline
        assert deadline is not None
        initiative = row.initiative
        if today > deadline and initiative.overdue_warned_at is None:
            found.append(Warning(initiative.pk, tasks.OVERDUE, deadline))
        elif (
            today >= rules.warning_day(deadline, config.warning_days())
            and today <= deadline
            and initiative.deadline_warned_at is None
        ):
            found.append(Warning(initiative.pk, tasks.SOON, deadline))
    return found


def queue_warnings(today: dt.date | None = None, *, dry_run: bool = False) -> list[Warning]:
    """Claim and queue every warning due today; returns those queued (or due, when
    ``dry_run``)."""
    day = today or timezone.localdate()
    queued = []
    for warning in due(day):
        if dry_run:
            queued.append(warning)
            continue
        field = "overdue_warned_at" if warning.kind == tasks.OVERDUE else "deadline_warned_at"
        with transaction.atomic():
            claimed = Initiative.objects.filter(
                pk=warning.initiative_id, **{f"{field}__isnull": True}
            ).update(**{field: timezone.now()})
            if claimed:
                transaction.on_commit(
                    partial(tasks.warn_deadline.enqueue, warning.initiative_id, warning.kind)
                )
                queued.append(warning)
    return queued
