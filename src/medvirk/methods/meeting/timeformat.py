"""A meeting's day and time in words, in the active language: "torsdag 3. desember 2026,
18:00–20:00" (no US dates: the formats come from ``medvirk/formats``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def day(moment: dt.datetime, *, year: bool = True) -> str:
    local = timezone.localtime(moment)
    english = translation.get_language() == "en"
    if year:
        return date_format(local, "l j F Y" if english else "l j. F Y")
    return date_format(local, "l j F" if english else "l j. F")


def when(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """The day and the times; both days when it lasts past midnight."""
    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at)
    if start.date() == end.date():
        return f"{day(start)}, {start:%H:%M}–{end:%H:%M}"
    return f"{day(start)}, {start:%H:%M} – {day(end)}, {end:%H:%M}"


def starts(moment: dt.datetime) -> str:
    """The start as "torsdag 3. desember kl. 18:00" (with the year when not this year's)."""
    local = timezone.localtime(moment)
    this_year = local.year == timezone.localdate().year
    return _("%(day)s at %(time)s") % {
        "day": day(local, year=not this_year),
        "time": f"{local:%H:%M}",
    }
