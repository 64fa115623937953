"""The law's arithmetic: the threshold (kommuneloven § 12-1) with integer rounding, months
for the signing period and the council's deadline, and the valgperiode."""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

import pytest

from medvirk.methods.initiative import rules


@pytest.mark.parametrize(
    ("inhabitants", "kommune", "fylke"),
    [
        (0, 1, 1),  # no population figure: still at least one signature
        (1, 1, 1),
        (49, 1, 1),  # 0.98 → 1
        (50, 1, 1),  # exactly 1
        (51, 2, 2),  # 1.02 → 2
        (4012, 81, 81),  # Lillevik: 80.24 → 81
        (14_999, 300, 300),  # 299.98 → 300
        (15_000, 300, 300),  # exactly 300
        (15_001, 300, 301),  # 300.02 → 301, capped at 300 in a kommune
        (24_999, 300, 500),  # 499.98 → 500
        (25_000, 300, 500),
        (25_001, 300, 500),  # 500.02 → 501, capped at 500 in a fylke
        (30_000, 300, 500),
        (1_000_000, 300, 500),
    ],
)
def test_the_threshold_for_kommune_and_fylke(inhabitants: int, kommune: int, fylke: int) -> None:
    assert rules.threshold(inhabitants) == kommune
    assert rules.threshold(inhabitants, is_county=False) == kommune
    assert rules.threshold(inhabitants, is_county=True) == fylke


def test_the_threshold_is_the_exact_ceiling_of_two_percent() -> None:
    for inhabitants in range(0, 40_001):
        exact = math.ceil(Fraction(2 * inhabitants, 100))
        assert rules.threshold(inhabitants) == max(1, min(exact, 300)), inhabitants
        assert rules.threshold(inhabitants, is_county=True) == max(1, min(exact, 500)), inhabitants


def test_huge_populations_have_no_float_trouble() -> None:
    # Beyond 2**53 a float cannot hold the share exactly; integers can.
    assert rules.threshold(10**18 + 1) == 300
    assert rules.threshold(10**18 + 1, is_county=True) == 500


def test_negative_inhabitants_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        rules.threshold(-1)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2025, 1, 15), 12, dt.date(2026, 1, 15)),
        (dt.date(2025, 8, 31), 6, dt.date(2026, 2, 28)),  # no 31 February: the last day
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),  # leap year
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2025, 3, 31), 6, dt.date(2025, 9, 30)),
        (dt.date(2025, 7, 1), 6, dt.date(2026, 1, 1)),
        (dt.date(2025, 12, 10), 1, dt.date(2026, 1, 10)),
    ],
)
def test_months_are_calendar_months(start: dt.date, months: int, expected: dt.date) -> None:
    assert rules.add_months(start, months) == expected


def test_add_months_keeps_the_time_of_day_and_zone() -> None:
    moment = dt.datetime(2025, 5, 31, 14, 30, tzinfo=dt.UTC)
    assert rules.add_months(moment, 12) == dt.datetime(2026, 5, 31, 14, 30, tzinfo=dt.UTC)


def test_the_decision_deadline_is_six_months_after_delivery() -> None:
    assert rules.decision_deadline(dt.date(2026, 3, 10)) == dt.date(2026, 9, 10)
    assert rules.decision_deadline(dt.date(2026, 8, 31)) == dt.date(2027, 2, 28)
    assert rules.decision_deadline(dt.date(2026, 3, 10), months=3) == dt.date(2026, 6, 10)
    assert rules.warning_day(dt.date(2026, 9, 10), 30) == dt.date(2026, 8, 11)


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (dt.date(2023, 10, 1), dt.date(2023, 10, 1), dt.date(2027, 10, 1)),
        (dt.date(2023, 9, 30), dt.date(2019, 10, 1), dt.date(2023, 10, 1)),
        (dt.date(2026, 5, 17), dt.date(2023, 10, 1), dt.date(2027, 10, 1)),
        (dt.date(2027, 9, 30), dt.date(2023, 10, 1), dt.date(2027, 10, 1)),
        (dt.date(2027, 10, 1), dt.date(2027, 10, 1), dt.date(2031, 10, 1)),
        (dt.date(2016, 1, 1), dt.date(2015, 10, 1), dt.date(2019, 10, 1)),
    ],
)
def test_the_valgperiode(day: dt.date, start: dt.date, end: dt.date) -> None:
    assert rules.valgperiode(day) == (start, end)


def test_the_valgperiode_follows_its_settings() -> None:
    assert rules.valgperiode(dt.date(2026, 1, 1), election_year=2024, start_month=1) == (
        dt.date(2024, 1, 1),
        dt.date(2028, 1, 1),
    )


def test_percent_is_rounded_down_and_capped() -> None:
    assert rules.percent(0, 81) == 0
    assert rules.percent(80, 81) == 98
    assert rules.percent(81, 81) == 100
    assert rules.percent(200, 81) == 100
