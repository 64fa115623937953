"""The meeting's ``participants`` hook: one participant per place taken at a meeting that
was held, consented demographics only, and the rest of those counted as unknown."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from medvirk.algorithms.representation import Participant
from medvirk.identity.models import User
from medvirk.methods.meeting import actions, staff_actions
from medvirk.methods.meeting.actions import ResultRow
from medvirk.methods.meeting.demographics import Demographics
from medvirk.methods.meeting.guides import ResultType
from medvirk.methods.meeting.models import Format, Meeting, Registration
from medvirk.processes import registry
from tests import factories
from tests.methods.meeting.conftest import Meetings, make_instance, make_meeting

pytestmark = pytest.mark.django_db

PLUGIN = registry.get("meeting")
_n = iter(range(10_000))


def register(
    meetings: Meetings,
    meeting: Meeting,
    *,
    person: User | None = None,
    told: Demographics | None = None,
) -> Registration:
    n = next(_n)
    return actions.do_register(
        person or AnonymousUser(),
        meetings.instance,
        meeting,
        name=f"Person {n}",
        email="" if person is not None else f"p{n}@example.org",
        needs={},
        demographics=told,
    ).registration


def hold(meeting: Meeting, days_ago: float = 2) -> None:
    """Move the meeting into the past (registration is only open before it)."""
    starts = timezone.now() - dt.timedelta(days=days_ago)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
    )
    meeting.refresh_from_db()


def test_places_taken_at_a_held_meeting_count_with_what_was_consented(
    meetings: Meetings,
) -> None:
    meeting = make_meeting(meetings.instance, capacity=4)
    person = factories.user(email_verified=True)
    register(
        meetings,
        meeting,
        person=person,
        told=Demographics(age_band="18-34", sex="female", district="Nordvik"),
    )
    register(meetings, meeting)  # told nothing
    cancelled = register(meetings, meeting, told=Demographics(age_band="67+"))
    register(meetings, meeting, told=Demographics(sex="male"))
    waiting = register(meetings, meeting, told=Demographics(district="Sør"))  # full: waits
    assert waiting.status == Registration.Status.WAITING
    actions.do_cancel_registration(cancelled)  # the waiting one moves up
    late = register(meetings, meeting)  # now on the wait list: no place, not counted
    assert Registration.objects.get(pk=late.pk).status == Registration.Status.WAITING
    assert list(PLUGIN.participants(meetings.instance)) == []  # not held yet
    hold(meeting)
    found = list(PLUGIN.participants(meetings.instance))
    assert found == [
        Participant("meeting", 18, 34, "female", "Nordvik", person=f"user:{person.pk}"),
        Participant("meeting"),
        Participant("meeting", sex="male"),
        Participant("meeting", district="Sør"),
    ]


def test_a_larger_count_adds_people_of_whom_nothing_is_known(meetings: Meetings) -> None:
    counted = make_meeting(meetings.instance, title="Counted")
    fewer = make_meeting(meetings.instance, title="Fewer came")
    for _ in range(2):
        register(meetings, counted)
    for _ in range(3):
        register(meetings, fewer)
    hold(counted, 3)
    hold(fewer, 2)
    staff_actions.do_set_attendance(None, counted, 6)
    staff_actions.do_set_attendance(None, fewer, 1)  # never fewer than the registrations
    found = list(PLUGIN.participants(meetings.instance))
    assert len(found) == 2 + 3 + (6 - 2)
    assert found[5:] == [Participant("meeting")] * 4


def test_a_gjestebod_counts_its_guests(meetings: Meetings) -> None:
    meeting = make_meeting(
        meetings.instance, format=Format.HOSTED, days=-1, registration_open=False
    )
    actions.do_report_results(
        meeting, [ResultRow(type=ResultType.NOTE, text="Good talk")], guests=7
    )
    assert list(PLUGIN.participants(meetings.instance)) == [Participant("meeting")] * 7


def test_a_cancelled_meeting_counts_no_one(meetings: Meetings) -> None:
    meeting = make_meeting(meetings.instance)
    register(meetings, meeting, told=Demographics(sex="female"))
    staff_actions.do_cancel_meeting(None, meeting, "The hall is flooded.")
    hold(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(attendance=12)
    assert list(PLUGIN.participants(meetings.instance)) == []


def test_another_instances_meetings_are_not_counted(meetings: Meetings, org: Any) -> None:
    other = make_instance(org)
    meeting = make_meeting(other.instance)
    register(other, meeting)
    hold(meeting)
    assert list(PLUGIN.participants(meetings.instance)) == []
    assert len(list(PLUGIN.participants(other.instance))) == 1


@pytest.mark.parametrize("size", [3, 30])
def test_a_fixed_number_of_queries(
    meetings: Meetings, size: int, django_assert_num_queries: Any
) -> None:
    for n in range(3):
        meeting = make_meeting(meetings.instance, title=f"Meeting {n}")
        for _ in range(size // 3):
            register(meetings, meeting, told=Demographics(age_band="35-66"))
        hold(meeting, n + 1)
        staff_actions.do_set_attendance(None, meeting, size)
    with django_assert_num_queries(2):
        found = list(PLUGIN.participants(meetings.instance))
    assert len(found) == 3 * size
