"""Two people taking the last place at the same moment: one gets it, the other is put on
the wait list (the meeting's row is locked while a place is counted and taken)."""

from __future__ import annotations

import pytest
from django.test import Client

from medvirk.methods.meeting.models import Registration
from medvirk.organisations.models import Municipality
from tests.concurrency import in_parallel
from tests.methods.meeting.conftest import EN, make_instance, make_meeting

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_last_place_taken_by_two_at_once_gives_one_place_and_one_wait(
    org: Municipality,
) -> None:
    meetings = make_instance(org)
    meeting = make_meeting(meetings.instance, capacity=3)
    url = meetings.url("register", pk=meeting.pk)
    for n in range(2):
        Client().post(url, {"name": f"Early {n}", "email": f"early{n}@example.org"}, **EN)

    def take(i: int) -> int:
        response = Client().post(url, {"name": f"Late {i}", "email": f"late{i}@example.org"}, **EN)
        return int(response.status_code)

    assert in_parallel(take, 2) == [302, 302]
    late = dict(
        Registration.objects.filter(email__startswith="late").values_list("email", "status")
    )
    assert sorted(late.values()) == [Registration.Status.REGISTERED, Registration.Status.WAITING]
    assert Registration.objects.filter(status=Registration.Status.REGISTERED).count() == 3


def test_many_at_once_never_overfill_the_meeting(org: Municipality) -> None:
    meetings = make_instance(org)
    meeting = make_meeting(meetings.instance, capacity=2)
    url = meetings.url("register", pk=meeting.pk)

    def take(i: int) -> int:
        response = Client().post(url, {"name": f"P {i}", "email": f"p{i}@example.org"}, **EN)
        return int(response.status_code)

    assert in_parallel(take, 6) == [302] * 6
    assert Registration.objects.filter(status=Registration.Status.REGISTERED).count() == 2
    assert Registration.objects.filter(status=Registration.Status.WAITING).count() == 4


def test_one_address_sent_twice_at_once_is_registered_once(org: Municipality) -> None:
    meetings = make_instance(org)
    meeting = make_meeting(meetings.instance)
    url = meetings.url("register", pk=meeting.pk)

    def take(_i: int) -> int:
        response = Client().post(url, {"name": "Same", "email": "same@example.org"}, **EN)
        return int(response.status_code)

    assert sorted(in_parallel(take, 4)) == [302, 409, 409, 409]
    assert Registration.objects.count() == 1
