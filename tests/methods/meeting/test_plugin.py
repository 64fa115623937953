"""What the core reads from the plug-in: the case page's state (the next meeting) and its
button ("Register"), the host link for the contract test, the demo, and the kit."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from medvirk.contributions.models import Channel, Contribution
from medvirk.methods.meeting.models import Format, Meeting, Registration
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from medvirk.processes.templatetags.method_state import state_of
from tests import factories
from tests.methods.meeting.conftest import EN, Meetings, make_instance, make_meeting

pytestmark = pytest.mark.django_db

PLUGIN = registry.get("meeting")


def case_page(client: Client, meetings: Meetings) -> str:
    response = client.get(meetings.instance.process.get_absolute_url(), **EN)
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_page_says_the_next_meeting_and_offers_registration(
    meetings: Meetings, client: Client
) -> None:
    make_meeting(meetings.instance, days=-5, title="Held")
    upcoming = make_meeting(meetings.instance, days=3)
    state = state_of(meetings.instance)
    assert state.key == "open"
    assert state.text.startswith("Next meeting: ")
    assert " at 18:00" in state.text
    html = case_page(client, meetings)
    assert state.text in html
    assert meetings.url("register", pk=upcoming.pk) in html


def test_no_button_without_a_meeting_that_takes_registrations(
    meetings: Meetings, client: Client
) -> None:
    closed = make_meeting(meetings.instance, registration_open=False)
    make_meeting(meetings.instance, format=Format.HOSTED, host_email="h@example.org", days=2)
    assert PLUGIN.primary_action(meetings.instance) is None
    assert meetings.url("register", pk=closed.pk) not in case_page(client, meetings)


def test_without_meetings_the_phase_decides(meetings: Meetings) -> None:
    assert PLUGIN.status(meetings.instance, meetings.instance.phase.start) is None
    assert state_of(meetings.instance).text.startswith("Open until")


def test_a_meeting_going_on_now(meetings: Meetings) -> None:
    now = timezone.now()
    make_meeting(
        meetings.instance,
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=1),
    )
    assert state_of(meetings.instance).text == "A meeting is going on now"


def test_the_kind_url_is_a_host_link_when_there_is_one(meetings: Meetings) -> None:
    [kind] = PLUGIN.contribution_kinds
    assert PLUGIN.kind_url(meetings.instance, kind) == meetings.url()
    hosted = make_meeting(
        meetings.instance, format=Format.HOSTED, host_email="host@example.org", days=-1
    )
    url = PLUGIN.kind_url(meetings.instance, kind)
    assert "/vert/" in url
    assert Client().get(url).status_code == 200
    assert hosted.host_nonce


def test_the_demo_has_the_workshop_the_folkemote_and_the_gjestebod(
    org: Municipality, django_capture_on_commit_callbacks: Any
) -> None:
    factories.staff(org)
    meetings = make_instance(org)
    with django_capture_on_commit_callbacks(execute=True):
        made = PLUGIN.demo_seed(meetings.instance, random.Random(7))
    assert made == 23
    workshop = Meeting.objects.get(format=Format.FUTURE_WORKSHOP)
    assert workshop.attendance == 23
    results = Contribution.objects.filter(data__meeting=workshop.pk)
    stages = [r.data["stage"] for r in results]
    for stage in ("kritikk", "fantasi", "realisering"):
        assert 6 <= stages.count(stage) <= 9
    assert all(r.channel == Channel.MEETING for r in results)
    assert results.filter(response__isnull=False).count() >= 3
    folkemote = Meeting.objects.get(format=Format.TOWN_MEETING)
    assert folkemote.registrations.count() >= 6
    assert any(r.needs for r in folkemote.registrations.all())
    gjestebod = Meeting.objects.get(format=Format.HOSTED)
    assert Contribution.objects.filter(data__meeting=gjestebod.pk).count() == 3
    assert gjestebod.host_nonce
    # The seed runs once.
    assert PLUGIN.demo_seed(meetings.instance, random.Random(7)) == 0
    # The demo's e-mail went to example.org only.
    assert all(a.endswith("@example.org") for m in mail.outbox for a in m.to)
    assert Registration.objects.count() == 8


def test_the_kit_page_and_the_question_sheet(meetings: Meetings, client: Client) -> None:
    page = client.get(meetings.url("kit"), **EN)
    assert page.status_code == 200
    html = page.content.decode()
    assert "What works well today?" in html  # the standard questions
    assert "How to hold a gjestebod" in html
    response = client.get(meetings.url("kit_pdf"), **EN)
    assert response.status_code == 200
    if response["Content-Type"] == "application/pdf":
        assert response.content.startswith(b"%PDF")
        assert "attachment" in response["Content-Disposition"]


def test_the_kit_uses_the_instances_own_questions(org: Municipality, client: Client) -> None:
    meetings = make_instance(
        org, settings={"host_questions": "Where do children play?\n\n  What is missing?  "}
    )
    html = client.get(meetings.url("kit"), **EN).content.decode()
    assert "Where do children play?" in html
    assert "What is missing?" in html
    assert "What works well today?" not in html


def test_the_settings_refuse_too_long_questions() -> None:
    with pytest.raises(registry.SettingsInvalid):
        PLUGIN.validate_settings({"host_questions": "x" * 2001})
