"""The consultation period: the six-week rule for plan cases, days left, and lateness.

Dates are Norwegian calendar days (the project's TIME_ZONE, Europe/Oslo): input given on
the deadline day is on time, input given the day after is late — received, kept, answered
and marked late, never refused for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.core.errors import ActionRefused
from medvirk.processes.models import MethodInstance

from .models import Hearing, PlanStage

# Plan- og bygningsloven: at least six weeks on consultation (NORWAY.md, "Planning").
LAW_SECTIONS: dict[str, str] = {
    PlanStage.PLANNING_PROGRAMME: "plan- og bygningsloven § 4-1 (jf. §§ 11-13 og 12-9)",
    PlanStage.MUNICIPAL_PLAN: "plan- og bygningsloven § 11-14",
    PlanStage.ZONING_PLAN: "plan- og bygningsloven § 12-10",
}


def minimum_days(stage: str) -> int:
    """Days the period must span at least (0: no statutory minimum)."""
    if stage in LAW_SECTIONS:
        return int(settings.MEDVIRK_PLAN_MIN_DAYS)
    return 0


def check_period(stage: str, starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    """Raise :class:`ActionRefused` with the reason and the section of law."""
    if starts_on is None or ends_on is None:
        raise ActionRefused(_("Give both the first day and the deadline."))
    if stage not in PlanStage.values:
        raise ActionRefused(_("Choose what is on consultation."))
    if ends_on < starts_on:
        raise ActionRefused(_("The deadline cannot be before the first day."))
    needed = minimum_days(stage)
    span = (ends_on - starts_on).days
    if span < needed:
        raise ActionRefused(
            _(
                "A plan case must be on consultation for at least six weeks (%(days)d days): "
                "%(section)s. This period is %(span)d days. Only a notice of start without a "
                "planning programme may be shorter."
            )
            % {"days": needed, "section": LAW_SECTIONS[stage], "span": span}
        )


@dataclass(frozen=True)
class Period:
    starts_on: dt.date
    ends_on: dt.date
    stage: str = PlanStage.NOT_PLAN

    def days_left(self, today: dt.date) -> int:
        """Whole days left including today (the deadline day counts as 1); 0 after it."""
        return max(0, (self.ends_on - today).days + 1)

    def has_started(self, today: dt.date) -> bool:
        return today >= self.starts_on

    def is_late(self, today: dt.date) -> bool:
        return today > self.ends_on


def today() -> dt.date:
    return timezone.localdate()


def _local_day(moment: dt.datetime, *, last: bool = False) -> dt.date:
    local = timezone.localtime(moment)
    if last and local.time() == dt.time(0, 0):
        local -= dt.timedelta(minutes=1)  # a phase ending at midnight includes the day before
    return local.date()


def period_of(instance: MethodInstance, hearing: Hearing | None) -> Period:
    """The hearing's own period, or the phase's dates until staff set one."""
    if hearing is not None:
        return Period(hearing.starts_on, hearing.ends_on, hearing.plan_stage)
    return Period(_local_day(instance.phase.start), _local_day(instance.phase.end, last=True))


def period_for(instance: MethodInstance) -> Period:
    """The period of an instance, reading its hearing row (one query)."""
    return period_of(instance, Hearing.objects.filter(method_instance=instance).first())
