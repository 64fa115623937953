"""The installation's settings for innbyggerforslag, with their defaults (see
docs/methods/initiative.md). Each is read when used, so a test can change it.

- ``MEDVIRK_INITIATIVE_SIGNING_MONTHS`` (12): the longest a proposal may collect
  signatures; an instance may choose fewer.
- ``MEDVIRK_INITIATIVE_DECISION_MONTHS`` (6): the council's deadline after delivery.
- ``MEDVIRK_INITIATIVE_WARNING_DAYS`` (30): staff are warned this many days before it.
- ``MEDVIRK_INITIATIVE_ELECTION_YEAR`` (2023) and ``MEDVIRK_INITIATIVE_TERM_START``
  ("10-01"): a valgperiode starts on this day of an election year, every four years.
- ``MEDVIRK_INITIATIVE_SIMILARITY_MIN`` (0.25): the least similarity score for an earlier
  proposal to be shown to staff as possibly the same content.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import rules


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = getattr(settings, name, default)
    try:
        value = int(raw)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number.") from exc
    if not low <= value <= high:
        raise ImproperlyConfigured(f"{name} must be from {low} to {high}.")
    return value


def signing_months() -> int:
    return _int("MEDVIRK_INITIATIVE_SIGNING_MONTHS", 12, 1, 36)


def decision_months() -> int:
    return _int("MEDVIRK_INITIATIVE_DECISION_MONTHS", 6, 1, 24)


def warning_days() -> int:
    return _int("MEDVIRK_INITIATIVE_WARNING_DAYS", 30, 0, 180)


def similarity_min() -> float:
    raw = getattr(settings, "MEDVIRK_INITIATIVE_SIMILARITY_MIN", 0.25)
    try:
        value = float(raw)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured("MEDVIRK_INITIATIVE_SIMILARITY_MIN must be a number.") from exc
    if not 0 <= value <= 1:
        raise ImproperlyConfigured("MEDVIRK_INITIATIVE_SIMILARITY_MIN must be from 0 to 1.")
    return value


def term_start() -> tuple[int, int]:
    """(month, day) on which a valgperiode starts."""
    raw = str(getattr(settings, "MEDVIRK_INITIATIVE_TERM_START", "10-01"))
    try:
        month, day = (int(part) for part in raw.split("-"))
        dt.date(2000, month, day)  # a real day (2000 is a leap year: 02-29 is allowed)
    except ValueError as exc:
        raise ImproperlyConfigured("MEDVIRK_INITIATIVE_TERM_START must be MM-DD.") from exc
    return month, day


def valgperiode(day: dt.date) -> tuple[dt.date, dt.date]:
    month, start_day = term_start()
    return rules.valgperiode(
        day,
        election_year=_int("MEDVIRK_INITIATIVE_ELECTION_YEAR", 2023, 1900, 2200),
        start_month=month,
        start_day=start_day,
    )
