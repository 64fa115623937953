"""A method's state in words for residents: "Open until 2 January", "Opens 5 March", "Closed".

    {% load method_state %}
    {{ instance|method_state }}                       the sentence
    {% with state=instance|method_state %}{{ state.key }}{% endwith %}
                                                      "open", "upcoming", "closed" or "draft"

One place decides it, from the phase's dates, the method's ``closed_at`` and the case's
status, so the case page and every method's own page say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from .. import registry
from ..models import MethodInstance, ProcessStatus
from ..phases import Timing, timing

register = template.Library()

FINISHED = frozenset({ProcessStatus.CLOSED, ProcessStatus.DECIDED})


@dataclass(frozen=True)
class MethodState:
    key: str  # open | upcoming | closed | draft
    text: str

    def __str__(self) -> str:
        return self.text


def _day(moment: dt.datetime, now: dt.datetime, *, last_day: bool = False) -> str:
    """The local date in words, without the year when it is this year's."""
    local = timezone.localtime(moment)
    if last_day and local.time() == dt.time(0, 0):
        # A phase that ends at midnight is open all of the day before.
        local -= dt.timedelta(minutes=1)
    this_year = local.year == timezone.localtime(now).year
    return format_date(local, get_format("MONTH_DAY_FORMAT" if this_year else "DATE_FORMAT"))


def state_of(instance: MethodInstance, now: dt.datetime | None = None) -> MethodState:
    now = now or timezone.now()
    if not instance.is_published:
        return MethodState("draft", gettext("Not published"))
    if instance.closed_at is not None or instance.process.status in FINISHED:
        return MethodState("closed", gettext("Closed"))
    own = registry.get(instance.method_key).status(instance, now)
    if own is not None:
        return MethodState(own.key, own.text)
    where = timing(instance.phase, now)
    if where == Timing.BEFORE:
        return MethodState(
            "upcoming", gettext("Opens %(date)s") % {"date": _day(instance.phase.start, now)}
        )
    if where == Timing.DURING:
        return MethodState(
            "open",
            gettext("Open until %(date)s") % {"date": _day(instance.phase.end, now, last_day=True)},
        )
    return MethodState("closed", gettext("Closed"))


@register.filter
def method_state(instance: MethodInstance) -> MethodState:
    return state_of(instance)


@register.filter
def case_card(instance: MethodInstance) -> SafeString:
    """What the method itself shows on its card on the case page (already escaped by it)."""
    if not instance.is_published:
        return SafeString("")
    # The plug-in renders it from its own template, so it is escaped there.
    return registry.get(instance.method_key).case_card(instance)


@register.filter
def primary_action(instance: MethodInstance) -> registry.PrimaryAction | None:
    """The method's button on the case page, only while the instance takes input."""
    if state_of(instance).key in {"draft", "closed"}:
        return None
    return registry.get(instance.method_key).primary_action(instance)
