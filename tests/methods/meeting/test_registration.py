"""Registering for a meeting: with needs, by e-mail or as a logged-in person, the wait list
when it is full, the private link to see or cancel, and everything that is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from medvirk.identity.models import AssuranceLevel
from medvirk.methods.meeting import actions, links
from medvirk.methods.meeting.models import Format, Meeting, Registration
from tests import factories
from tests.methods.meeting.conftest import EN, Meetings, make_instance, make_meeting

pytestmark = pytest.mark.django_db

Status = Registration.Status


def form(**values: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name": "Kari Nordmann", "email": "kari@example.org"}
    data.update(values)
    return data


def register(client: Client, meetings: Meetings, meeting: Meeting, **values: Any) -> Any:
    return client.post(meetings.url("register", pk=meeting.pk), form(**values), **EN)


def test_the_form_asks_for_name_e_mail_and_needs(
    meetings: Meetings, meeting: Meeting, client: Client
) -> None:
    response = client.get(meetings.url("register", pk=meeting.pk), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "name",
        "email",
        "interpreter",
        "interpreter_language",
        "sign_language",
        "step_free",
        "hearing_loop",
        "childcare",
        "dietary",
        "other",
    ):
        assert f'name="{name}"' in html, name
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_resident_registers_with_needs_and_gets_the_link_and_calendar(
    meetings: Meetings,
    meeting: Meeting,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = register(
            client,
            meetings,
            meeting,
            interpreter="on",
            interpreter_language="Arabic",
            step_free="on",
            dietary="No nuts",
        )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == Status.REGISTERED
    assert registration.needs == {"interpreter": "Arabic", "step_free": True, "dietary": "No nuts"}
    assert registration.user is None
    assert registration.language == "en"
    assert response["Location"] == links.registration_path(registration)
    assert "/pamelding/" in response["Location"] and "?" not in response["Location"]
    [message] = mail.outbox
    assert message.to == ["kari@example.org"]
    assert message.subject == "You are registered: Public meeting about the school"
    assert links.registration_link(registration) in message.body
    assert "Interpreter: Arabic" in message.body
    [(name, content, mimetype)] = message.attachments
    assert name == "mote.ics"
    assert mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content
    page = client.get(response["Location"], **EN)
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    html = page.content.decode()
    assert "You have a place" in html
    assert "Interpreter: Arabic" in html


def test_a_logged_in_person_with_a_verified_address_is_not_asked_for_it(
    meetings: Meetings, meeting: Meeting
) -> None:
    person = factories.user(email="siri@example.org", email_verified=True, display_name="Siri")
    client = Client()
    client.force_login(person)
    page = client.get(meetings.url("register", pk=meeting.pk), **EN).content.decode()
    assert 'name="email"' not in page
    assert "s…i@example.org" in page
    assert 'value="Siri"' in page
    response = client.post(
        meetings.url("register", pk=meeting.pk),
        {"name": "Siri", "email": "someone.else@example.org"},
        **EN,
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.email == "siri@example.org"
    assert registration.user == person


def test_an_unverified_account_gives_its_address_in_the_form(
    meetings: Meetings, meeting: Meeting
) -> None:
    person = factories.user(email="new@example.org", email_verified=False)
    client = Client()
    client.force_login(person)
    assert 'name="email"' in client.get(meetings.url("register", pk=meeting.pk)).content.decode()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "\u200b\u200b"}, "name"),
        ({"email": "not-an-address"}, "email"),
        ({"email": ""}, "email"),
        ({"interpreter": "on", "interpreter_language": ""}, "interpreter_language"),
        ({"other": "x" * 501}, "other"),
        ({"dietary": "x" * 201}, "dietary"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(
    meetings: Meetings, meeting: Meeting, client: Client, values: dict[str, str], field: str
) -> None:
    response = register(client, meetings, meeting, **values)
    assert response.status_code == 400
    assert Registration.objects.count() == 0
    html = response.content.decode()
    assert 'id="error-summary"' in html
    if field != "name" or values["name"] == "":
        assert f'href="#id_{field}"' in html


def test_hostile_text_is_kept_as_text(meetings: Meetings, meeting: Meeting, client: Client) -> None:
    register(client, meetings, meeting, name="<script>alert(1)</script>", other="<b onmouseover=x>")
    registration = Registration.objects.get()
    assert registration.name == "<script>alert(1)</script>"
    page = client.get(links.registration_path(registration), **EN).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_when_the_meeting_is_full_the_next_goes_on_the_wait_list(
    meetings: Meetings, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting(meetings.instance, capacity=1)
    register(client, meetings, meeting, email="first@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, meetings, meeting, email="second@example.org")
    assert response.status_code == 302
    second = Registration.objects.get(email="second@example.org")
    assert second.status == Status.WAITING
    [message] = mail.outbox
    assert message.subject == "You are on the wait list: Public meeting about the school"
    assert "number 1" in message.body
    assert message.attachments == []  # no calendar entry without a place
    page = client.get(response["Location"], **EN).content.decode()
    assert "on the wait list" in page and "number 1" in page
    listing = client.get(meetings.url(), **EN).content.decode()
    assert "Join the wait list" in listing


def test_cancelling_moves_the_first_waiting_up_and_tells_them(
    meetings: Meetings, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting(meetings.instance, capacity=1)
    register(client, meetings, meeting, email="first@example.org")
    register(client, meetings, meeting, email="second@example.org")
    register(client, meetings, meeting, email="third@example.org")
    first = Registration.objects.get(email="first@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(links.registration_path(first), {"confirm": "on"}, **EN)
    assert response.status_code == 302
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {
        "first@example.org": Status.CANCELLED,
        "second@example.org": Status.REGISTERED,
        "third@example.org": Status.WAITING,
    }
    [message] = mail.outbox
    assert message.to == ["second@example.org"]
    assert message.subject == "You have a place: Public meeting about the school"
    assert message.attachments
    third = Registration.objects.get(email="third@example.org")
    assert "number 1" in client.get(links.registration_path(third), **EN).content.decode()


def test_cancelling_needs_the_tick_and_happens_once(
    meetings: Meetings, meeting: Meeting, client: Client
) -> None:
    register(client, meetings, meeting)
    registration = Registration.objects.get()
    url = links.registration_path(registration)
    assert client.post(url, {}, **EN).status_code == 400
    registration.refresh_from_db()
    assert registration.status == Status.REGISTERED
    assert client.post(url, {"confirm": "on"}, **EN).status_code == 302
    with pytest.raises(actions.ActionRefused) as refused:
        actions.do_cancel_registration(registration)
    assert refused.value.status == 409
    assert "cancelled" in client.get(url, **EN).content.decode()


def test_the_same_address_twice_is_refused_and_the_link_sent_again(
    meetings: Meetings,
    meeting: Meeting,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    register(client, meetings, meeting)
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, meetings, meeting, email="KARI@example.org")
    assert response.status_code == 409
    assert Registration.objects.count() == 1
    assert "already registered" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["kari@example.org"]
    assert links.registration_link(Registration.objects.get()) in message.body


def test_after_cancelling_the_address_may_register_again(
    meetings: Meetings, meeting: Meeting, client: Client
) -> None:
    register(client, meetings, meeting)
    actions.do_cancel_registration(Registration.objects.get())
    assert register(client, meetings, meeting).status_code == 302
    assert Registration.objects.filter(status=Status.REGISTERED).count() == 1


def test_a_wrong_or_other_token_opens_nothing(
    meetings: Meetings, meeting: Meeting, client: Client, org: Any
) -> None:
    register(client, meetings, meeting)
    registration = Registration.objects.get()
    token = links.registration_token(registration)
    base = meetings.url("registration", token=token)
    assert client.get(base).status_code == 200
    for bad in (f"{registration.pk}-x", f"{registration.pk}", "abc-def", token + "x", "-" * 90):
        assert client.get(base.replace(token, bad)).status_code == 404
    # A host token for the same number does not open the registration.
    assert (
        client.get(
            base.replace(token, f"{registration.pk}-{token.split('-')[1][::-1]}")
        ).status_code
        == 404
    )
    # Another instance's address does not open it either.
    other = make_instance(org)
    assert client.get(other.url("registration", token=token)).status_code == 404


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"registration_open": False}, "Registration for this meeting is closed."),
        ({"days": -1}, "This meeting has started or is over."),
        (
            {"format": Format.HOSTED, "host_email": "host@example.org"},
            "A gjestebod is by the host",
        ),
    ],
)
def test_registration_is_refused_when_not_offered(
    meetings: Meetings, client: Client, values: dict[str, Any], reason: str
) -> None:
    meeting = make_meeting(meetings.instance, **values)
    response = client.get(meetings.url("register", pk=meeting.pk), **EN)
    assert response.status_code == 403
    assert reason in response.content.decode()
    assert register(client, meetings, meeting).status_code == 403
    assert Registration.objects.count() == 0


def test_an_identity_level_set_by_staff_asks_to_log_in(org: Any, client: Client) -> None:
    meetings = make_instance(org, identity_levels={"register": int(AssuranceLevel.EMAIL)})
    meeting = make_meeting(meetings.instance)
    response = client.get(meetings.url("register", pk=meeting.pk), **EN)
    assert response.status_code == 403
    assert "/konto/logg-inn/" in response.content.decode()


def test_the_rate_limit_stops_one_client_registering_many(
    meetings: Meetings, meeting: Meeting, client: Client, settings: Any
) -> None:
    settings.MEDVIRK_RATE_LIMITS = {**settings.MEDVIRK_RATE_LIMITS, "input": "2/10m"}
    assert register(client, meetings, meeting, email="a@example.org").status_code == 302
    assert register(client, meetings, meeting, email="b@example.org").status_code == 302
    response = register(client, meetings, meeting, email="c@example.org")
    assert response.status_code == 429
    assert response["Retry-After"]
    assert 'value="c@example.org"' in response.content.decode()  # what was typed is kept
    assert Registration.objects.count() == 2


def test_confirmations_to_one_typed_address_are_limited(
    meetings: Meetings, client: Client, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.MEDVIRK_RATE_LIMITS = {**settings.MEDVIRK_RATE_LIMITS, "email_to": "1/h"}
    first = make_meeting(meetings.instance, title="One")
    second = make_meeting(meetings.instance, title="Two")
    with django_capture_on_commit_callbacks(execute=True):
        register(client, meetings, first, email="victim@example.org")
        register(client, meetings, second, email="victim@example.org")
    assert len(mail.outbox) == 1  # the second is registered, but not mailed
    assert Registration.objects.count() == 2


def test_the_list_shows_places_left_accessibility_and_links(
    meetings: Meetings, client: Client
) -> None:
    meeting = make_meeting(
        meetings.instance,
        capacity=10,
        accessibility="Lift to the second floor.",
        digital_link="https://example.org/live",
    )
    register(client, meetings, meeting)
    html = client.get(meetings.url(), **EN).content.decode()
    assert "Places left: 9 of 10" in html
    assert "Step-free access, Hearing loop." in html
    assert "Lift to the second floor." in html
    assert "https://example.org/live" in html
    assert meetings.url("register", pk=meeting.pk) in html
    assert meetings.url("meeting_ics", pk=meeting.pk) in html
    detail = client.get(meetings.url("meeting", pk=meeting.pk), **EN)
    assert detail.status_code == 200
    assert "An open meeting where the municipality presents the case" in detail.content.decode()


def test_the_list_is_a_fixed_number_of_queries(
    meetings: Meetings, client: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(3):
        make_meeting(meetings.instance, title=f"Meeting {n}", days=n + 1)
        make_meeting(meetings.instance, title=f"Held {n}", days=-(n + 1))
    client.get(meetings.url())
    with django_assert_max_num_queries(20) as few:
        client.get(meetings.url())
    for n in range(10):
        make_meeting(meetings.instance, title=f"More {n}", days=n + 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(meetings.url())
