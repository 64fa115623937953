"""The staff pages: adding, changing and cancelling meetings, the gjestebod host's link,
registrations with their needs counted, attendance, and who may do what."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import Client
from django.utils import timezone

from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.meeting import actions, links, staff_actions
from medvirk.methods.meeting.models import Format, Meeting, Registration
from medvirk.organisations.models import Municipality, Role
from tests import factories
from tests.methods.meeting.conftest import EN, Meetings, at, make_instance, make_meeting

pytestmark = pytest.mark.django_db

Status = Registration.Status


def meeting_form(**values: Any) -> dict[str, Any]:
    day = timezone.localdate() + dt.timedelta(days=14)
    data: dict[str, Any] = {
        "meeting-format": Format.TOWN_MEETING,
        "meeting-title": "Folkemøte om skulen",
        "meeting-description": "Alternativa for skulen.",
        "meeting-day": day.isoformat(),
        "meeting-starts": "18:00",
        "meeting-ends": "20:00",
        "meeting-place_name": "Samfunnshuset",
        "meeting-address": "Storvegen 12",
        "meeting-step_free": "on",
        "meeting-accessibility": "Ramp at the door.",
        "meeting-capacity": "50",
        "meeting-registration_open": "on",
    }
    data.update(values)
    return data


def anyone_registers(meetings: Meetings, meeting: Meeting, n: int, **needs: Any) -> None:
    for i in range(n):
        actions.do_register(
            AnonymousUser(),
            meetings.instance,
            meeting,
            name=f"Person {i}",
            email=f"person{i}-{meeting.pk}@example.org",
            needs=needs,
            language="en",  # registered on the English page: e-mails come in English
        )


# -- the list and who may see the staff pages -----------------------------------------------


def test_the_editor_lists_meetings_with_their_numbers(
    meetings: Meetings, staff_client: Client
) -> None:
    meeting = make_meeting(meetings.instance, capacity=5)
    anyone_registers(meetings, meeting, 2)
    url = f"/stab/sak/{meetings.instance.process_id}/metode/{meetings.instance.pk}/innhald/"
    response = staff_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert meeting.title in html
    assert "2 / 5" in html
    assert meetings.url("staff_new") in html
    assert "How to hold it" in html  # the guides
    assert "Three phases: critique" in html


@pytest.mark.parametrize(
    "name", ["staff_new", "staff_meeting", "staff_registrations", "staff_results"]
)
def test_staff_pages_need_a_login_and_the_role(
    meetings: Meetings, meeting: Meeting, org: Municipality, name: str
) -> None:
    url = meetings.url(name) if name == "staff_new" else meetings.url(name, pk=meeting.pk)
    anonymous = Client().get(url, **EN)
    assert anonymous.status_code == 302
    assert "/konto/logg-inn/" in anonymous["Location"]
    resident = Client()
    resident.force_login(factories.user())
    refused = resident.get(url, **EN)
    assert refused.status_code == 403
    assert "Your role in" in refused.content.decode()
    moderator = Client()
    moderator.force_login(factories.staff(org, Role.MODERATOR))
    assert moderator.get(url, **EN).status_code == 403


def test_staff_of_another_municipality_are_refused(meetings: Meetings, meeting: Meeting) -> None:
    other = factories.staff(factories.municipality("Annanvik"), Role.ADMINISTRATOR)
    client = Client()
    client.force_login(other)
    assert client.get(meetings.url("staff_meeting", pk=meeting.pk), **EN).status_code == 403


# -- adding and changing -------------------------------------------------------------------


def test_staff_add_a_meeting_and_it_is_audited(meetings: Meetings, staff_client: Client) -> None:
    mark = factories.audit_mark()
    response = staff_client.post(meetings.url("staff_new"), meeting_form())
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert response["Location"] == meetings.url("staff_meeting", pk=meeting.pk)
    assert meeting.title == "Folkemøte om skulen"
    assert meeting.capacity == 50
    assert meeting.step_free and not meeting.hearing_loop
    local = timezone.localtime(meeting.starts_at)
    assert (local.hour, local.minute) == (18, 0)
    assert meeting.ends_at - meeting.starts_at == dt.timedelta(hours=2)
    [entry] = factories.audited_since(mark)
    assert entry.action == "meeting.saved"
    assert entry.data["new"] is True


def test_a_meeting_over_several_days(meetings: Meetings, staff_client: Client) -> None:
    day = timezone.localdate() + dt.timedelta(days=10)
    staff_client.post(
        meetings.url("staff_new"),
        meeting_form(
            **{
                "meeting-format": Format.PLAN_WORKSHOP,
                "meeting-day": day.isoformat(),
                "meeting-end_day": (day + dt.timedelta(days=2)).isoformat(),
                "meeting-starts": "09:00",
                "meeting-ends": "16:00",
            }
        ),
    )
    meeting = Meeting.objects.get()
    assert timezone.localtime(meeting.ends_at).date() == day + dt.timedelta(days=2)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"meeting-ends": "17:00"}, "meeting-ends"),
        ({"meeting-title": ""}, "meeting-title"),
        ({"meeting-day": "31.02.2027"}, "meeting-day"),
        ({"meeting-capacity": "0"}, "meeting-capacity"),
        ({"meeting-digital_link": "javascript:alert(1)"}, "meeting-digital_link"),
        ({"meeting-format": "rave"}, "meeting-format"),
        ({"meeting-end_day": "2020-01-01"}, "meeting-end_day"),
        (
            {"meeting-format": Format.HOSTED, "meeting-host_name": "Hilde"},
            "meeting-host_email",
        ),
    ],
)
def test_a_bad_meeting_is_refused_with_the_field_named(
    meetings: Meetings, staff_client: Client, values: dict[str, str], field: str
) -> None:
    response = staff_client.post(meetings.url("staff_new"), meeting_form(**values))
    assert response.status_code == 400
    assert Meeting.objects.count() == 0
    assert f'href="#id_{field}"' in response.content.decode()


def test_the_action_refuses_what_the_form_would(meetings: Meetings) -> None:
    data = staff_actions.MeetingData(
        format=Format.TOWN_MEETING, title="x", starts_at=at(3), ends_at=at(3)
    )
    with pytest.raises(actions.ActionRefused, match="end after it starts"):
        staff_actions.do_save_meeting(None, meetings.instance, data)
    data.ends_at = at(20)
    with pytest.raises(actions.ActionRefused, match="at most 7 days"):
        staff_actions.do_save_meeting(None, meetings.instance, data)
    data.ends_at = at(3) + dt.timedelta(hours=1)
    data.digital_link = "ftp://example.org/x"
    with pytest.raises(actions.ActionRefused, match="web address"):
        staff_actions.do_save_meeting(None, meetings.instance, data)


def test_a_resident_cannot_save_through_the_action(meetings: Meetings) -> None:
    data = staff_actions.MeetingData(
        format=Format.TOWN_MEETING,
        title="x",
        starts_at=at(3),
        ends_at=at(3) + dt.timedelta(hours=1),
    )
    with pytest.raises(actions.ActionRefused) as refused:
        staff_actions.do_save_meeting(factories.user(), meetings.instance, data)
    assert refused.value.status == 403


def test_more_places_move_people_up_from_the_wait_list(
    meetings: Meetings, staff_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting(meetings.instance, capacity=1)
    anyone_registers(meetings, meeting, 3)
    assert Registration.objects.filter(status=Status.WAITING).count() == 2
    form = {f"meeting-{k}": v for k, v in _current(meeting).items()}
    form.update({"meeting-capacity": "2", "action": "save"})
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(meetings.url("staff_meeting", pk=meeting.pk), form)
    assert response.status_code == 302
    assert Registration.objects.filter(status=Status.REGISTERED).count() == 2
    [message] = mail.outbox
    assert message.subject.startswith("You have a place")


def _current(meeting: Meeting) -> dict[str, Any]:
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    values = {
        "format": meeting.format,
        "title": meeting.title,
        "description": meeting.description,
        "day": start.date().isoformat(),
        "starts": start.strftime("%H:%M"),
        "ends": end.strftime("%H:%M"),
        "place_name": meeting.place_name,
        "address": meeting.address,
        "capacity": meeting.capacity or "",
        "host_name": meeting.host_name,
        "host_email": meeting.host_email,
    }
    for flag in ("step_free", "hearing_loop", "accessible_toilet", "registration_open"):
        if getattr(meeting, flag):
            values[flag] = "on"
    return values


def test_a_new_time_is_e_mailed_to_everyone_registered(
    meetings: Meetings, staff_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting(meetings.instance, capacity=2)
    anyone_registers(meetings, meeting, 3)
    form = {f"meeting-{k}": v for k, v in _current(meeting).items()}
    form.update({"meeting-starts": "17:00", "action": "save"})
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(meetings.url("staff_meeting", pk=meeting.pk), form)
    assert len(mail.outbox) == 2  # those with a place, not the wait list
    assert all(m.subject.startswith("Changed time or place") for m in mail.outbox)
    assert all(m.attachments for m in mail.outbox)
    mail.outbox.clear()
    form["meeting-title"] = "A new title only"
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(meetings.url("staff_meeting", pk=meeting.pk), form)
    assert mail.outbox == []


def test_an_unknown_post_is_refused(
    meetings: Meetings, meeting: Meeting, staff_client: Client
) -> None:
    response = staff_client.post(
        meetings.url("staff_meeting", pk=meeting.pk), {"action": "explode"}
    )
    assert response.status_code == 400
    assert 'id="page-error"' in response.content.decode()


def test_another_instances_meeting_is_not_found(
    meetings: Meetings, org: Municipality, staff_client: Client
) -> None:
    other = make_instance(org)
    foreign = make_meeting(other.instance)
    for name in ("staff_meeting", "staff_registrations", "staff_results", "meeting", "register"):
        assert staff_client.get(meetings.url(name, pk=foreign.pk)).status_code == 404


# -- the gjestebod host ----------------------------------------------------------------


def test_a_gjestebod_host_gets_a_private_link_by_e_mail(
    meetings: Meetings, staff_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    form = meeting_form(
        **{
            "meeting-format": Format.HOSTED,
            "meeting-title": "Gjestebod i Nordbygda",
            "meeting-host_name": "Aslaug",
            "meeting-host_email": "aslaug@example.org",
            "meeting-place_name": "Nordbygda",
            "meeting-address": "",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(meetings.url("staff_new"), form)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.host_nonce
    assert meeting.registration_open is False  # the host invites
    [message] = mail.outbox
    assert message.to == ["aslaug@example.org"]
    assert links.host_link(meeting) in message.body
    assert "/vert/" in links.host_link(meeting)
    page = staff_client.get(meetings.url("staff_meeting", pk=meeting.pk)).content.decode()
    assert links.host_path(meeting) in page
    # The public pages never show the host.
    public = Client().get(meetings.url("meeting", pk=meeting.pk), **EN).content.decode()
    assert "Aslaug" not in public and "aslaug@example.org" not in public


def test_a_new_link_revokes_the_old_one(
    meetings: Meetings, staff_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting(
        meetings.instance, format=Format.HOSTED, host_email="host@example.org", days=-2
    )
    old = links.host_path(meeting)
    assert Client().get(old).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            meetings.url("staff_meeting", pk=meeting.pk), {"action": "new_host_link"}
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert Client().get(old).status_code == 404
    assert Client().get(links.host_path(meeting)).status_code == 200
    assert links.host_link(meeting) in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(meetings.url("staff_meeting", pk=meeting.pk), {"action": "host_link"})
    assert links.host_link(meeting) in mail.outbox[-1].body  # the same link again


def test_removing_the_host_address_revokes_the_link(meetings: Meetings) -> None:
    meeting = make_meeting(meetings.instance, format=Format.HOSTED, host_email="host@example.org")
    old = links.host_path(meeting)
    staff_actions.do_save_meeting(
        None,
        meetings.instance,
        staff_actions.MeetingData(
            format=Format.HOSTED,
            title=meeting.title,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
        ),
        meeting,
    )
    meeting.refresh_from_db()
    assert meeting.host_nonce == ""
    assert Client().get(old).status_code == 404


# -- cancelling ----------------------------------------------------------------------------


def test_cancelling_tells_everyone_and_marks_the_meeting_cancelled(
    meetings: Meetings, staff_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting(meetings.instance, capacity=1)
    anyone_registers(meetings, meeting, 2)
    mark = factories.audit_mark()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            meetings.url("staff_meeting", pk=meeting.pk),
            {"action": "cancel", "cancel-message": "The hall is flooded.", "cancel-confirm": "on"},
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.cancelled_at is not None and not meeting.registration_open
    assert meeting.cancel_reason == "The hall is flooded."
    assert Registration.objects.count() == 0  # told, then deleted: they were for planning
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.subject == f"Cancelled: {meeting.title}"
        assert "The hall is flooded." in message.body
        [(_name, content, mimetype)] = message.attachments
        assert "method=CANCEL" in mimetype
        assert "STATUS:CANCELLED" in content
    assert [e.action for e in factories.audited_since(mark)] == ["meeting.cancelled"]


def test_a_cancelled_meeting_stays_on_the_page_and_takes_no_registrations(
    meetings: Meetings, staff_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting(meetings.instance, title="Folkemøte i hallen")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            meetings.url("staff_meeting", pk=meeting.pk),
            {"action": "cancel", "cancel-message": "The hall is flooded.", "cancel-confirm": "on"},
        )
    public = Client()
    for url in (meetings.url(), meetings.url("meeting", pk=meeting.pk)):
        page = public.get(url, **EN).content.decode()
        assert "Folkemøte i hallen" in page
        assert "Cancelled." in page and "The hall is flooded." in page
        assert meetings.url("register", pk=meeting.pk) not in page
    refused = public.post(
        meetings.url("register", pk=meeting.pk),
        {"name": "Kari", "email": "kari@example.org"},
        **EN,
    )
    assert refused.status_code in (403, 404)
    assert Registration.objects.count() == 0
    feed = public.get(meetings.url("meeting_ics", pk=meeting.pk)).content.decode()
    assert "STATUS:CANCELLED" in feed
    # Cancelling twice changes nothing and says why.
    again = staff_client.post(
        meetings.url("staff_meeting", pk=meeting.pk),
        {"action": "cancel", "cancel-confirm": "on"},
    )
    assert again.status_code == 409
    with pytest.raises(ActionRefused):
        staff_actions.do_cancel_meeting(None, meeting)


def test_cancelling_needs_the_tick(
    meetings: Meetings, meeting: Meeting, staff_client: Client
) -> None:
    response = staff_client.post(meetings.url("staff_meeting", pk=meeting.pk), {"action": "cancel"})
    assert response.status_code == 400
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_a_held_meeting_cannot_be_cancelled(meetings: Meetings, staff_client: Client) -> None:
    meeting = make_meeting(meetings.instance, days=-2)
    response = staff_client.post(
        meetings.url("staff_meeting", pk=meeting.pk), {"action": "cancel", "cancel-confirm": "on"}
    )
    assert response.status_code == 409
    assert "has been held" in response.content.decode()
    assert Meeting.objects.filter(pk=meeting.pk).exists()


# -- registrations and attendance ------------------------------------------------------


def test_registrations_with_their_needs_counted(
    meetings: Meetings, meeting: Meeting, staff_client: Client
) -> None:
    anonymous = AnonymousUser()
    people = [
        ("Ahmad", {"interpreter": "Dari", "childcare": True}),
        ("Saba", {"interpreter": "Tigrinja"}),
        ("Hamid", {"interpreter": "dari"}),
        ("Olav", {"hearing_loop": True, "step_free": True}),
        ("Nina", {"sign_language": True, "other": "Seat near the front"}),
        ("Marit", {}),
    ]
    for name, need in people:
        actions.do_register(
            anonymous,
            meetings.instance,
            meeting,
            name=name,
            email=f"{name}@example.org",
            needs=need,
        )
    response = staff_client.get(meetings.url("staff_registrations", pk=meeting.pk))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert "Interpreter: 3" in html
    assert "Dari (2)" in html and "Tigrinja (1)" in html
    assert "Step-free access: 1" in html
    assert "Hearing loop: 1" in html
    assert "Sign language interpreter: 1" in html
    assert "Childcare during the meeting: 1" in html
    assert "Seat near the front (1)" in html
    for name, _need in people:
        assert name in html


def test_attendance_is_saved_after_the_meeting(meetings: Meetings, staff_client: Client) -> None:
    upcoming = make_meeting(meetings.instance)
    response = staff_client.get(meetings.url("staff_registrations", pk=upcoming.pk))
    assert 'id="attendance-form"' not in response.content.decode()
    held = make_meeting(meetings.instance, days=-1)
    url = meetings.url("staff_registrations", pk=held.pk)
    assert staff_client.post(url, {"attendance-attendance": "-3"}).status_code == 400
    assert staff_client.post(url, {"attendance-attendance": "23"}).status_code == 302
    held.refresh_from_db()
    assert held.attendance == 23
    with pytest.raises(actions.ActionRefused):
        staff_actions.do_set_attendance(None, upcoming, 5)


def test_the_registrations_csv_is_for_staff_who_export(
    meetings: Meetings, meeting: Meeting, staff_client: Client, org: Municipality
) -> None:
    actions.do_register(
        AnonymousUser(),
        meetings.instance,
        meeting,
        name='=HYPERLINK("x")',
        email="csv@example.org",
        needs={"interpreter": "Somali", "step_free": True},
    )
    url = meetings.export_url("paameldte-csv")
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:5] == ["Meeting", "Starts", "Status", "Name", "E-mail"]
    assert rows[1][3].startswith("'=")  # no formula
    assert rows[1][4] == "csv@example.org"
    assert rows[1][5] == "Somali"
    assert Client().get(url).status_code == 302
    resident = Client()
    resident.force_login(factories.user())
    assert resident.get(url).status_code == 403


def test_the_staff_pages_pass_for_an_officer(
    meetings: Meetings, officer: User, staff_client: Client
) -> None:
    meeting = make_meeting(meetings.instance)
    for url in (
        meetings.url("staff_new"),
        meetings.url("staff_meeting", pk=meeting.pk),
        meetings.url("staff_registrations", pk=meeting.pk),
        meetings.url("staff_results", pk=meeting.pk),
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store"


def test_after_the_meeting_staff_delete_the_registrations(
    meetings: Meetings, staff_client: Client
) -> None:
    upcoming = make_meeting(meetings.instance)
    anyone_registers(meetings, upcoming, 2)
    refused = staff_client.post(
        meetings.url("staff_registrations", pk=upcoming.pk), {"action": "delete_registrations"}
    )
    assert refused.status_code == 409
    assert Registration.objects.count() == 2
    Meeting.objects.filter(pk=upcoming.pk).update(
        starts_at=at(-3), ends_at=at(-3) + dt.timedelta(hours=2), attendance=12
    )
    page = staff_client.get(meetings.url("staff_registrations", pk=upcoming.pk))
    assert 'id="delete-registrations"' in page.content.decode()
    mark = factories.audit_mark()
    response = staff_client.post(
        meetings.url("staff_registrations", pk=upcoming.pk), {"action": "delete_registrations"}
    )
    assert response.status_code == 302
    assert Registration.objects.count() == 0
    upcoming.refresh_from_db()
    assert upcoming.attendance == 12
    assert [e.action for e in factories.audited_since(mark)] == ["meeting.registrations_deleted"]
