"""The case page reads the høyring's own period (not the phase's): the state in words with
the days left, and the "Send a submission" button only while submissions are taken."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from medvirk.organisations.models import Municipality
from medvirk.processes.templatetags.method_state import state_of

from .conftest import make_hearing

pytestmark = pytest.mark.django_db


def _case_page(client: Client, case_url: str) -> str:
    response = client.get(case_url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_open_hearing_shows_days_left_and_the_button(org: Municipality, client: Client) -> None:
    today = timezone.localdate()
    case = make_hearing(org, starts_on=today - dt.timedelta(days=3), ends_on=today)
    html = _case_page(client, case.instance.process.get_absolute_url())
    assert "1 day left" in html
    assert case.url("submit") in html
    assert state_of(case.instance).key == "open"


def test_upcoming_hearing_shows_the_period_and_no_button(org: Municipality, client: Client) -> None:
    today = timezone.localdate()
    case = make_hearing(
        org, starts_on=today + dt.timedelta(days=2), ends_on=today + dt.timedelta(days=50)
    )
    html = _case_page(client, case.instance.process.get_absolute_url())
    assert "On consultation from" in html
    assert case.url("submit") not in html
    assert state_of(case.instance).key == "upcoming"


def test_after_the_deadline_late_submissions_are_still_offered(
    org: Municipality, client: Client
) -> None:
    today = timezone.localdate()
    case = make_hearing(
        org, starts_on=today - dt.timedelta(days=50), ends_on=today - dt.timedelta(days=1)
    )
    html = _case_page(client, case.instance.process.get_absolute_url())
    assert "Late submissions are received and marked late" in html
    assert case.url("submit") in html


def test_without_submissions_the_hearing_closes_at_the_deadline(
    org: Municipality, client: Client
) -> None:
    today = timezone.localdate()
    case = make_hearing(
        org,
        starts_on=today - dt.timedelta(days=50),
        ends_on=today - dt.timedelta(days=1),
        settings={"submissions": False},
    )
    html = _case_page(client, case.instance.process.get_absolute_url())
    assert case.url("submit") not in html
    assert state_of(case.instance).key == "closed"


def test_a_closed_instance_offers_nothing(org: Municipality, client: Client) -> None:
    case = make_hearing(org)
    case.instance.closed_at = timezone.now()
    case.instance.save(update_fields=["closed_at"])
    html = _case_page(client, case.instance.process.get_absolute_url())
    assert case.url("submit") not in html
    assert state_of(case.instance).key == "closed"


def test_without_a_hearing_row_the_phase_dates_are_the_period(
    org: Municipality, client: Client
) -> None:
    """An instance made from the planner has no period yet: it runs with its phase's."""
    case = make_hearing(org, with_row=False)
    html = _case_page(client, case.instance.process.get_absolute_url())
    assert "days left" in html
