"""Staff sessions end after idle time and after an absolute limit (issue 15).

Before the fix a staff member's session lasted as long as Django's cookie (two weeks), on a
shared office computer too. The clock is controlled by moving the session's stored
timestamps back (no sleeps): ``medvirk.login_at`` (when the person logged in) and
``medvirk.seen_at`` (the last request that counted as activity), both seconds since the epoch.
"""

from __future__ import annotations

import time

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from medvirk.organisations.actions import do_grant_role
from medvirk.organisations.models import Role
from tests import factories

LOGIN_AT = "medvirk.login_at"
SEEN_AT = "medvirk.seen_at"
MINUTE = 60
HOUR = 60 * MINUTE
DASHBOARD = "/stab/"


@pytest.fixture
def w(db: None) -> factories.World:
    return factories.world()


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def _shift(client: Client, **ago: int) -> None:
    """Move the session's stored times back by the given seconds (``login_at=…``, ``seen_at=…``)."""
    session = client.session
    now = int(time.time())
    if "login_at" in ago:
        session[LOGIN_AT] = now - ago["login_at"]
    if "seen_at" in ago:
        session[SEEN_AT] = now - ago["seen_at"]
    session.save()


def _is_login_redirect(response: object) -> bool:
    location = getattr(response, "headers", {}).get("Location", "")
    return getattr(response, "status_code", 0) == 302 and location.startswith(
        reverse("identity:login")
    )


def test_staff_session_ends_after_thirty_idle_minutes_with_a_message(
    w: factories.World, client: Client
) -> None:
    client.force_login(w.officer)
    assert client.get(DASHBOARD).status_code == 200
    _shift(client, seen_at=31 * MINUTE)
    response = client.get(DASHBOARD)
    assert _is_login_redirect(response)
    assert "next=/stab/" in response["Location"]
    login_page = client.get(response["Location"])
    assert "You were logged out after 30 minutes without activity" in login_page.content.decode()
    # Logged out for real: the next staff page asks for a login again.
    assert _is_login_redirect(client.get(DASHBOARD))
    assert "_auth_user_id" not in client.session


def test_staff_session_within_the_idle_time_continues_and_counts_as_activity(
    w: factories.World, client: Client
) -> None:
    client.force_login(w.officer)
    _shift(client, seen_at=29 * MINUTE)
    assert client.get(DASHBOARD).status_code == 200
    assert client.session[SEEN_AT] >= int(time.time()) - 5
    # Twenty-nine more minutes later the session is still alive: activity moved the clock.
    _shift(client, seen_at=29 * MINUTE)
    assert client.get(DASHBOARD).status_code == 200


def test_staff_session_ends_after_twelve_hours_however_active(
    w: factories.World, client: Client
) -> None:
    client.force_login(w.admin)
    _shift(client, login_at=12 * HOUR + MINUTE, seen_at=10)
    response = client.get(DASHBOARD)
    assert _is_login_redirect(response)
    page = client.get(response["Location"]).content.decode()
    assert "You were logged out because a staff session lasts at most 12 hours" in page
    assert "_auth_user_id" not in client.session


def test_staff_session_just_under_twelve_hours_continues(
    w: factories.World, client: Client
) -> None:
    client.force_login(w.admin)
    _shift(client, login_at=12 * HOUR - MINUTE, seen_at=MINUTE)
    assert client.get(DASHBOARD).status_code == 200


def test_resident_sessions_keep_djangos_normal_lifetime(w: factories.World, client: Client) -> None:
    client.force_login(w.resident)
    _shift(client, login_at=3 * 24 * HOUR, seen_at=2 * 24 * HOUR)
    response = client.get(reverse("identity:account"))
    assert response.status_code == 200
    assert client.session["_auth_user_id"] == str(w.resident.pk)


def test_django_is_staff_without_a_role_is_limited_too(db: None, client: Client) -> None:
    operator = factories.user("operator", is_staff=True)
    client.force_login(operator)
    _shift(client, seen_at=31 * MINUTE)
    assert _is_login_redirect(client.get(reverse("identity:account")))


def test_idle_and_absolute_limits_are_settings(w: factories.World, client: Client) -> None:
    with override_settings(MEDVIRK_STAFF_SESSION_IDLE_MINUTES=5):
        client.force_login(w.officer)
        _shift(client, seen_at=6 * MINUTE)
        response = client.get(DASHBOARD)
        assert _is_login_redirect(response)
        assert (
            "after 5 minutes without activity" in client.get(response["Location"]).content.decode()
        )
    with override_settings(MEDVIRK_STAFF_SESSION_MAX_HOURS=1):
        client.force_login(w.officer)
        _shift(client, login_at=HOUR + MINUTE, seen_at=0)
        assert _is_login_redirect(client.get(DASHBOARD))


def test_role_granted_during_a_session_is_limited_from_its_first_use(
    w: factories.World, client: Client
) -> None:
    client.force_login(w.resident)
    # An administrator gives the logged-in resident a role; the session was a resident's.
    do_grant_role(w.admin, w.org, w.resident, Role.CASE_OFFICER)
    assert client.get(reverse("staff:process", args=[w.process.pk])).status_code == 200
    _shift(client, seen_at=31 * MINUTE)
    assert _is_login_redirect(client.get(DASHBOARD))


def test_staff_session_without_a_login_time_is_ended(w: factories.World, client: Client) -> None:
    # Sessions from before this change carry no login time: a staff one ends at once.
    client.force_login(w.officer)
    session = client.session
    session.pop(LOGIN_AT, None)
    session.pop(SEEN_AT, None)
    session.save()
    assert _is_login_redirect(client.get(DASHBOARD))


def test_logging_in_again_after_a_timeout_works(w: factories.World, client: Client) -> None:
    w.officer.set_password("pw-1234!x")
    w.officer.save()
    client.force_login(w.officer)
    _shift(client, seen_at=31 * MINUTE)
    assert _is_login_redirect(client.get(DASHBOARD))
    response = client.post(
        reverse("identity:login"), {"username": w.officer.username, "password": "pw-1234!x"}
    )
    assert response.status_code == 302
    assert client.get(DASHBOARD).status_code == 200
