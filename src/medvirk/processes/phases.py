"""The one place that says which phase is active and where a moment falls in a phase."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from django.utils import timezone

from .models import Phase


class Timing(StrEnum):
    """Where *now* falls relative to a phase; manifests grant actions per timing."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def timing(phase: Phase, now: dt.datetime | None = None) -> Timing:
    moment = _now(now)
    if moment < phase.start:
        return Timing.BEFORE
    if moment >= phase.end:
        return Timing.AFTER
    return Timing.DURING


def active_phase(phases: Iterable[Phase], now: dt.datetime | None = None) -> Phase | None:
    """The phase running now; phases of a process never overlap, so there is at most one."""
    moment = _now(now)
    for phase in phases:
        if phase.start <= moment < phase.end:
            return phase
    return None


def overlapping(
    phases: Iterable[Phase], start: dt.datetime, end: dt.datetime, exclude_pk: int | None = None
) -> list[Phase]:
    """Phases that share any moment with [start, end)."""
    return [p for p in phases if p.pk != exclude_pk and p.start < end and start < p.end]
