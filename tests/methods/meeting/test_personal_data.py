"""«Mine data» and erasure: a person's registrations (with needs) and the gjestebod they
host, found by their account or its verified address."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from medvirk.identity import actions as identity_actions
from medvirk.identity.queries import export_my_data
from medvirk.methods.meeting import actions, links
from medvirk.methods.meeting.models import Format, Meeting, Registration
from tests import factories
from tests.methods.meeting.conftest import Meetings, make_meeting

pytestmark = pytest.mark.django_db

Status = Registration.Status


def test_export_has_the_registrations_by_account_and_verified_address(
    meetings: Meetings,
) -> None:
    person = factories.user(email="kari@example.org", email_verified=True)
    first = make_meeting(meetings.instance, title="First")
    second = make_meeting(meetings.instance, title="Second")
    actions.do_register(
        person, meetings.instance, first, name="Kari", email="", needs={"step_free": True}
    )
    # The same address typed without logging in is hers too (it is her verified address).
    actions.do_register(
        AnonymousUser(),
        meetings.instance,
        second,
        name="Kari N",
        email="kari@example.org",
        needs={},
    )
    actions.do_register(
        AnonymousUser(),
        meetings.instance,
        second,
        name="Other",
        email="other@example.org",
        needs={},
    )
    data = export_my_data(person)
    json.dumps(data)
    rows = data["meeting_registrations"]
    assert [r["meeting"] for r in rows] == ["First", "Second"]
    assert rows[0]["needs"] == ["Step-free access"]
    assert {r["email"] for r in rows} == {"kari@example.org"}


def test_an_unverified_address_proves_nothing(meetings: Meetings) -> None:
    person = factories.user(email="kari@example.org", email_verified=False)
    meeting = make_meeting(meetings.instance)
    actions.do_register(
        AnonymousUser(), meetings.instance, meeting, name="Kari", email="kari@example.org", needs={}
    )
    assert export_my_data(person)["meeting_registrations"] == []


def test_the_host_sees_and_erasure_removes_the_hosts_name_and_link(meetings: Meetings) -> None:
    person = factories.user(email="aslaug@example.org", email_verified=True)
    meeting = make_meeting(
        meetings.instance,
        format=Format.HOSTED,
        host_name="Aslaug",
        host_email="aslaug@example.org",
        days=-2,
    )
    old = links.host_path(meeting)
    [hosted] = export_my_data(person)["meeting_hosts"]
    assert hosted["host_name"] == "Aslaug" and hosted["meeting"] == meeting.title
    identity_actions.do_erase_account(person)
    meeting.refresh_from_db()
    assert (meeting.host_name, meeting.host_email, meeting.host_nonce) == ("", "", "")
    assert Client().get(old).status_code == 404


def test_erasure_gives_the_place_to_the_first_waiting_and_deletes_the_rows(
    meetings: Meetings, django_capture_on_commit_callbacks: Any
) -> None:
    person = factories.user(email="kari@example.org", email_verified=True)
    meeting = make_meeting(meetings.instance, capacity=1)
    actions.do_register(person, meetings.instance, meeting, name="Kari", email="", needs={})
    actions.do_register(
        AnonymousUser(), meetings.instance, meeting, name="Next", email="next@example.org", needs={}
    )
    with django_capture_on_commit_callbacks(execute=True):
        identity_actions.do_erase_account(person)
    assert list(Registration.objects.values_list("email", "status")) == [
        ("next@example.org", Status.REGISTERED)
    ]
    assert Meeting.objects.filter(pk=meeting.pk).exists()
