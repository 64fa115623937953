"""Residents see the method's state in words: open until, opens, closed, not published."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone, translation

from medvirk.processes.models import ProcessStatus
from medvirk.processes.templatetags.method_state import state_of
from tests import factories

pytestmark = pytest.mark.django_db

OSLO = dt.timezone(dt.timedelta(hours=1))
NOW = dt.datetime(2027, 1, 10, 12, 0, tzinfo=OSLO)


def _instance(start: dt.datetime, end: dt.datetime, **extra: object):  # type: ignore[no-untyped-def]
    org = factories.municipality()
    process = factories.process(org)
    phase = factories.phase(process, start, end)
    return factories.method(process, phase, **extra)


def _state(instance, now: dt.datetime = NOW, lang: str = "en") -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with translation.override(lang), timezone.override("Europe/Oslo"):
        state = state_of(instance, now)
    return state.key, str(state)


def test_open_until_the_last_day() -> None:
    # The phase ends at midnight starting 3 February: open all of 2 February.
    instance = _instance(dt.datetime(2027, 1, 1, tzinfo=OSLO), dt.datetime(2027, 2, 3, tzinfo=OSLO))
    assert _state(instance) == ("open", "Open until 2 February")
    assert _state(instance, lang="nb") == ("open", "Åpent til 2. februar")
    assert _state(instance, lang="nn")[1].endswith("2. februar")


def test_another_year_is_named() -> None:
    instance = _instance(
        dt.datetime(2027, 1, 1, tzinfo=OSLO), dt.datetime(2028, 3, 5, 16, tzinfo=OSLO)
    )
    assert _state(instance) == ("open", "Open until 5 March 2028")


def test_opens_later() -> None:
    instance = _instance(
        dt.datetime(2027, 3, 5, 9, tzinfo=OSLO), dt.datetime(2027, 4, 1, tzinfo=OSLO)
    )
    assert _state(instance) == ("upcoming", "Opens 5 March")


def test_closed_after_the_phase_when_closed_or_decided() -> None:
    past = _instance(dt.datetime(2026, 11, 1, tzinfo=OSLO), dt.datetime(2026, 12, 1, tzinfo=OSLO))
    assert _state(past) == ("closed", "Closed")
    running = _instance(dt.datetime(2027, 1, 1, tzinfo=OSLO), dt.datetime(2027, 2, 1, tzinfo=OSLO))
    running.closed_at = NOW
    assert _state(running) == ("closed", "Closed")
    running.closed_at = None
    running.process.status = ProcessStatus.DECIDED
    assert _state(running) == ("closed", "Closed")


def test_not_published() -> None:
    instance = _instance(
        dt.datetime(2027, 1, 1, tzinfo=OSLO), dt.datetime(2027, 2, 1, tzinfo=OSLO), published=False
    )
    assert _state(instance) == ("draft", "Not published")


@pytest.mark.parametrize(
    "lang, words", [("nb", "Åpent til"), ("nn", "Ope til"), ("en", "Open until")]
)
def test_case_page_and_method_pages_say_it(lang: str, words: str) -> None:
    w = factories.world()  # its phase runs from ten days ago to ten days ahead
    survey = factories.method(w.process, w.phase, key="survey")
    client = Client()
    case = client.get(w.process.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert case.count('class="ds-paragraph method-state" data-size="sm" data-state="open"') == 2
    assert words in case
    for instance in (w.method, survey):
        page = client.get(instance.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        assert 'data-state="open"' in page and words in page
