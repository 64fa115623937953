"""The rules of an innbyggerforslag as plain functions: the threshold, month arithmetic for
the signing period and the council's deadline, and the valgperiode. No Django, no database:
``config.py`` feeds them the settings.

Kommuneloven § 12-1: a proposal signed by at least 2 % of the inhabitants, or 300 people
(500 in a fylkeskommune), must be taken up by the council within six months of delivery.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TypeVar

SHARE_PERCENT = 2
CAP_KOMMUNE = 300
CAP_FYLKE = 500

D = TypeVar("D", dt.date, dt.datetime)


def threshold(inhabitants: int, *, is_county: bool = False) -> int:
    """Signatures needed: ``min(ceil(2 % × inhabitants), 300)``, 500 in a fylkeskommune.

    Integer arithmetic (``ceil(2·n / 100)`` as ``(2·n + 99) // 100``), so no float rounding
    can move the count by one. At least one signature, even for an empty population figure.
    """
    if inhabitants < 0:
        raise ValueError("inhabitants cannot be negative")
    share = (SHARE_PERCENT * inhabitants + 99) // 100
    return max(1, min(share, CAP_FYLKE if is_county else CAP_KOMMUNE))


def add_months(moment: D, months: int) -> D:
    """The same day ``months`` later, or the month's last day when it has no such day
    (31 August + 6 months = 28 or 29 February). Times of day and time zones are kept."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def decision_deadline(delivered_on: dt.date, months: int = 6) -> dt.date:
    """The last day for the council to take a position: ``months`` after delivery."""
    return add_months(delivered_on, months)


def warning_day(deadline: dt.date, days_before: int) -> dt.date:
    """The day staff are warned that the deadline is near."""
    return deadline - dt.timedelta(days=days_before)


def valgperiode(
    day: dt.date,
    *,
    election_year: int = 2023,
    start_month: int = 10,
    start_day: int = 1,
    years: int = 4,
) -> tuple[dt.date, dt.date]:
    """The valgperiode ``day`` falls in, as [start, end): four-year periods that start on
    1 October of an election year (2023, 2027, … and back: 2019, 2015, …)."""
    start_this_year = dt.date(day.year, start_month, start_day)
    year = day.year if day >= start_this_year else day.year - 1
    first = year - (year - election_year) % years
    return dt.date(first, start_month, start_day), dt.date(first + years, start_month, start_day)


def percent(count: int, needed: int) -> int:
    """Progress towards the threshold in whole percent, at most 100 (rounded down, so 100
    means reached)."""
    if needed <= 0:
        return 100
    return min(100, count * 100 // needed)
