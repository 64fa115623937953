"""Age group, sex and district when registering: optional, kept only with an explicit tick,
shown to the person, in «Mine data», gone with erasure, never in the staff export."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from medvirk.algorithms.representation import AGE_BANDS
from medvirk.core.errors import ActionRefused
from medvirk.identity import actions as identity_actions
from medvirk.identity.queries import export_my_data
from medvirk.methods.meeting import actions, exports
from medvirk.methods.meeting.demographics import Demographics
from medvirk.methods.meeting.models import AgeBand, Meeting, Registration
from tests import factories
from tests.methods.meeting.conftest import EN, Meetings, make_instance, make_meeting

pytestmark = pytest.mark.django_db

ABOUT = {"age_band": "18-34", "sex": "female", "district": "  Nordvik  sentrum "}


def register(client: Client, meetings: Meetings, meeting: Meeting, **values: Any) -> Any:
    data: dict[str, Any] = {"name": "Kari Nordmann", "email": "kari@example.org", **values}
    return client.post(meetings.url("register", pk=meeting.pk), data, **EN)


def test_the_age_groups_are_the_reporting_bands() -> None:
    assert AgeBand.values == [key for key, _low, _high in AGE_BANDS]


def test_the_form_asks_why_and_the_consent_box_starts_unticked(
    meetings: Meetings, meeting: Meeting, client: Client
) -> None:
    html = client.get(meetings.url("register", pk=meeting.pk), **EN).content.decode()
    for name in ("age_band", "sex", "district", "demographics_consent"):
        assert f'name="{name}"' in html, name
    assert "Why we ask: to see who was heard." in html
    box = html[html.index('name="demographics_consent"') :].split(">", 1)[0]
    assert "checked" not in box
    assert 'aria-describedby="about-you-help"' in html


def test_without_the_tick_nothing_of_the_three_is_stored(
    meetings: Meetings, meeting: Meeting, client: Client
) -> None:
    response = register(client, meetings, meeting, **ABOUT)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.age_band, registration.sex, registration.district) == ("", "", "")
    assert registration.demographics_consent_at is None


def test_with_the_tick_they_are_stored_and_shown_to_the_person(
    meetings: Meetings, meeting: Meeting, client: Client
) -> None:
    response = register(client, meetings, meeting, demographics_consent="on", **ABOUT)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.age_band == "18-34"
    assert registration.sex == "female"
    assert registration.district == "Nordvik sentrum"
    assert registration.demographics_consent_at is not None
    page = client.get(response["Location"], **EN).content.decode()
    assert "18–34" in page and "Woman" in page and "Nordvik sentrum" in page
    assert 'id="told-note"' in page


def test_a_tick_with_nothing_given_stores_no_consent(
    meetings: Meetings, meeting: Meeting, client: Client
) -> None:
    assert register(client, meetings, meeting, demographics_consent="on").status_code == 302
    assert Registration.objects.get().demographics_consent_at is None


def test_the_instances_districts_are_a_list_and_others_are_refused(
    org: Any, client: Client
) -> None:
    meetings = make_instance(org, settings={"districts": "Nordvik\n\nSørbygda\nnordvik\n"})
    meeting = make_meeting(meetings.instance)
    html = client.get(meetings.url("register", pk=meeting.pk), **EN).content.decode()
    assert '<select name="district"' in html
    assert html.count('value="Nordvik"') == 1 and 'value="Sørbygda"' in html
    refused = register(client, meetings, meeting, demographics_consent="on", district="Atlantis")
    assert refused.status_code == 400
    assert not Registration.objects.exists()
    # The action checks again, and keeps the list's spelling.
    with pytest.raises(ActionRefused, match="from the list"):
        actions.do_register(
            AnonymousUser(),
            meetings.instance,
            meeting,
            name="Per",
            email="per@example.org",
            needs={},
            demographics=Demographics(district="Atlantis"),
        )
    done = actions.do_register(
        AnonymousUser(),
        meetings.instance,
        meeting,
        name="Per",
        email="per@example.org",
        needs={},
        demographics=Demographics(district="SØRBYGDA"),
    )
    assert done.registration.district == "Sørbygda"


def test_the_action_refuses_values_not_offered(meetings: Meetings, meeting: Meeting) -> None:
    for bad in (
        Demographics(age_band="18-30"),
        Demographics(sex="x"),
        Demographics(district="x" * 101),
    ):
        with pytest.raises(ActionRefused):
            actions.do_register(
                AnonymousUser(),
                meetings.instance,
                meeting,
                name="Per",
                email="per@example.org",
                needs={},
                demographics=bad,
            )
    assert not Registration.objects.exists()


def test_the_database_keeps_nothing_of_the_three_without_consent(
    meetings: Meetings, meeting: Meeting
) -> None:
    done = actions.do_register(
        AnonymousUser(), meetings.instance, meeting, name="Per", email="p@example.org", needs={}
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=done.registration.pk).update(sex="male")


def test_mine_data_has_them_and_erasure_removes_them(meetings: Meetings) -> None:
    person = factories.user(email="kari@example.org", email_verified=True)
    held = make_meeting(meetings.instance, title="Held")
    upcoming = make_meeting(meetings.instance, title="Upcoming")
    for meeting in (held, upcoming):
        actions.do_register(
            person,
            meetings.instance,
            meeting,
            name="Kari",
            email="",
            needs={},
            demographics=Demographics(age_band="67+", sex="female", district="Nordvik"),
        )
    past = timezone.now() - dt.timedelta(days=3)
    Meeting.objects.filter(pk=held.pk).update(starts_at=past, ends_at=past + dt.timedelta(hours=2))
    rows = export_my_data(person)["meeting_registrations"]
    assert [(r["age_group"], r["sex"], r["district"]) for r in rows] == [
        ("67+", "female", "Nordvik"),
        ("67+", "female", "Nordvik"),
    ]
    assert all(r["consent_to_count_at"] for r in rows)
    identity_actions.do_erase_account(person)
    assert not Registration.objects.filter(district="Nordvik").exists()
    assert not Registration.objects.exclude(demographics_consent_at=None).exists()


def test_the_staff_export_never_has_them(meetings: Meetings, meeting: Meeting) -> None:
    actions.do_register(
        AnonymousUser(),
        meetings.instance,
        meeting,
        name="Kari",
        email="kari@example.org",
        needs={},
        demographics=Demographics(age_band="35-66", sex="female", district="Nordvik"),
    )
    rows = list(exports.registration_rows(meetings.instance))
    assert len(rows) == 2
    assert not any("Nordvik" in str(cell) or "35-66" in str(cell) for row in rows for cell in row)
