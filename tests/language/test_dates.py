"""Dates follow the language: Norwegian forms in nb and nn, day-month or ISO in English,
never the American month/day order, for dates and for times of day."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation

from tests import factories

OSLO = dt.timezone(dt.timedelta(hours=1))  # Europe/Oslo in January
MOMENT = dt.datetime(2027, 1, 2, 14, 30, tzinfo=OSLO)
US = re.compile(
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.? \d"
)

EXPECTED = {
    # DATE_FORMAT, SHORT_DATE_FORMAT, DATETIME_FORMAT, SHORT_DATETIME_FORMAT, MONTH_DAY_FORMAT
    "nb": (
        "2. januar 2027",
        "02.01.2027",
        "2. januar 2027 kl. 14:30",
        "02.01.2027 14:30",
        "2. januar",
    ),
    "nn": (
        "2. januar 2027",
        "02.01.2027",
        "2. januar 2027 kl. 14:30",
        "02.01.2027 14:30",
        "2. januar",
    ),
    "en": (
        "2 January 2027",
        "2027-01-02",
        "2 January 2027, 14:30",
        "2027-01-02 14:30",
        "2 January",
    ),
}
FORMATS = (
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "MONTH_DAY_FORMAT",
)


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_each_format_in_each_language(lang: str) -> None:
    source = " | ".join(f'{{{{ m|date:"{name}" }}}}' for name in FORMATS)
    with translation.override(lang), timezone.override("Europe/Oslo"):
        rendered = Template(source).render(Context({"m": MOMENT}))
        plain = Template("{{ m }}").render(Context({"m": MOMENT}))
    assert rendered.split(" | ") == list(EXPECTED[lang])
    assert not US.search(rendered) and not US.search(plain), plain


@pytest.mark.django_db
@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_the_case_page_dates_follow_the_language(lang: str) -> None:
    org = factories.municipality()
    process = factories.process(org, decision_expected=dt.date(2027, 1, 2))
    start = dt.datetime(2027, 1, 2, 9, 0, tzinfo=OSLO)
    factories.phase(process, start, start + dt.timedelta(days=30))
    html = Client().get(process.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    long_date, short_date = EXPECTED[lang][0], EXPECTED[lang][1]
    assert long_date in html  # "expected 2. januar 2027" / "expected 2 January 2027"
    assert short_date in html  # the timeline
    assert not US.search(html)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_times_of_day_on_a_staff_page_follow_the_language(lang: str) -> None:
    w = factories.world()
    client = Client()
    client.force_login(w.admin)
    html = client.get("/stab/logg/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    short = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}" if lang == "en" else r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}"
    assert re.search(short, html), html[:2000]
    assert not US.search(html)
    assert "a.m." not in html and "p.m." not in html
