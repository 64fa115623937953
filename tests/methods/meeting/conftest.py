"""Fixtures for the meeting method: a published case with a running phase and a published
meeting instance, and builders for meetings through the staff action (as the staff page
saves them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from medvirk.identity.models import User
from medvirk.methods.meeting import staff_actions
from medvirk.methods.meeting.models import Format, Meeting
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, PhaseKind
from tests import factories
from tests.factories import DAY
from tests.fixtures import media  # noqa: F401 - autouse: uploads go to a temporary MEDIA_ROOT

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@dataclass
class Meetings:
    """A meeting instance and the addresses of its pages."""

    instance: MethodInstance

    def url(self, name: str = "", **kwargs: Any) -> str:
        if not name:
            return self.instance.get_absolute_url()
        return registry.get("meeting").url(self.instance, name, **kwargs)

    def export_url(self, key: str) -> str:
        return registry.get("meeting").export_url(self.instance, key)


def make_instance(
    org: Municipality,
    *,
    settings: Mapping[str, Any] | None = None,
    identity_levels: Mapping[str, int] | None = None,
) -> Meetings:
    now = timezone.now()
    proc = factories.process(org)
    ph = factories.phase(
        proc, start=now - 30 * DAY, end=now + 30 * DAY, kind=PhaseKind.INVESTIGATION
    )
    instance = factories.method(
        proc,
        ph,
        key="meeting",
        title="Meetings about the school",
        settings=settings,
        identity_levels=identity_levels,
    )
    return Meetings(instance)


def at(days: float, hour: int = 18) -> dt.datetime:
    """A local time ``days`` from today at ``hour``."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def make_meeting(
    instance: MethodInstance,
    *,
    staff: User | None = None,
    days: float = 7,
    hours: int = 2,
    **values: Any,
) -> Meeting:
    """A meeting saved through the staff action; by default a folkemøte in a week."""
    starts = values.pop("starts_at", at(days))
    fields: dict[str, Any] = {
        "format": Format.TOWN_MEETING,
        "title": "Public meeting about the school",
        "starts_at": starts,
        "ends_at": values.pop("ends_at", starts + dt.timedelta(hours=hours)),
        "description": "What should happen to the school?",
        "place_name": "Lillevik community hall",
        "address": "Storvegen 12, Lillevik",
        "step_free": True,
        "hearing_loop": True,
    }
    fields.update(values)
    return staff_actions.do_save_meeting(staff, instance, staff_actions.MeetingData(**fields))


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def org() -> Municipality:
    return factories.municipality("Lillevik")


@pytest.fixture
def officer(org: Municipality) -> User:
    return factories.staff(org, Role.CASE_OFFICER)


@pytest.fixture
def moderator(org: Municipality) -> User:
    return factories.staff(org, Role.MODERATOR)


@pytest.fixture
def meetings(org: Municipality) -> Meetings:
    return make_instance(org)


@pytest.fixture
def meeting(meetings: Meetings) -> Meeting:
    """An upcoming folkemøte in a week, with no limit on places."""
    return make_meeting(meetings.instance)


@pytest.fixture
def staff_client(officer: User) -> Client:
    client = Client(**EN)
    client.force_login(officer)
    return client
