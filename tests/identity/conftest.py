"""Fixtures for identity tests: people, municipalities, a case with input, a local OP.

Built with tests/factories.py, through the application's actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from medvirk.accountability.models import Notification, ResponseStatus
from medvirk.identity.models import User
from medvirk.identity.testing.op import LocalOpenIDProvider
from medvirk.organisations.models import Municipality, Role
from medvirk.processes.models import MethodInstance
from tests import factories
from tests.fixtures import clear_own_cache


@pytest.fixture
def client() -> Client:
    """English pages, so assertions on messages hold when translations arrive."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def lillevik(db: Any) -> Municipality:
    return factories.municipality(
        "Lillevik",
        numbered=False,
        kommunenummer="9901",
        inhabitants=5000,
        malform="nb",
        privacy_contact="personvern@lillevik.example",
    )


@pytest.fixture
def storby(db: Any) -> Municipality:
    return factories.municipality(
        "Storby", numbered=False, kommunenummer="9902", inhabitants=90000, malform="nb"
    )


@pytest.fixture
def resident(db: Any) -> User:
    return factories.user("resident", email="resident@example.org", password="pw-1234!x")


@pytest.fixture
def officer(lillevik: Municipality) -> User:
    return factories.staff(lillevik, Role.CASE_OFFICER, "officer", email="officer@lillevik.example")


@pytest.fixture
def other_officer(storby: Municipality) -> User:
    return factories.staff(storby, Role.CASE_OFFICER, "storbyofficer")


@pytest.fixture
def method(lillevik: Municipality) -> MethodInstance:
    process = factories.process(
        lillevik,
        slug="skolen",
        title="Lillevik skole",
        summary="Skolen er i dårlig stand.",
        open_to_influence="Alt",
    )
    now = timezone.now()
    phase = factories.phase(
        process,
        start=now - dt.timedelta(days=1),
        end=now + dt.timedelta(days=30),
        name="Utgreiing",
    )
    return factories.method(process, phase, slug="info", title="Informasjon")


@pytest.fixture
def with_input(method: MethodInstance, resident: User, officer: User) -> dict[str, Any]:
    mine = factories.contribution(
        method,
        resident,
        "Bygg ny skole ved fjorden.",
        author_name="Rita Resident",
        show_name=True,
        contact_email="resident@example.org",
    )
    factories.response(
        mine, ResponseStatus.PARTLY_ADOPTED, "Vi ser på tomta ved fjorden.", by=officer
    )
    theirs = factories.contribution(
        method, None, "Someone else's secret idea", author_name="Other Person"
    )
    # Notifications are written by the notification task, not by an action; these stand
    # for what it would have recorded (one in the account, e-mail copies by address).
    Notification.objects.create(
        user=resident, contribution=mine, subject="Svar på innspelet ditt", body="Sjå svaret."
    )
    Notification.objects.create(
        email="anon@example.org", contribution=mine, subject="E-post-kopi", body="Kopi"
    )
    Notification.objects.create(
        email="third@example.org", contribution=theirs, subject="Other's notice", body="x"
    )
    return {"mine": mine, "theirs": theirs}


@pytest.fixture
def op() -> Iterator[LocalOpenIDProvider]:
    clear_own_cache()
    with LocalOpenIDProvider() as provider:
        yield provider
    clear_own_cache()


@pytest.fixture
def idporten(op: LocalOpenIDProvider, settings: Any) -> LocalOpenIDProvider:
    """ID-porten's preset pointed at the local OP (override_settings via pytest-django)."""
    settings.MEDVIRK_IDENTITY_PROVIDERS = [
        {
            "preset": "idporten",
            "key": "idporten",
            "client_id": op.client_id,
            "client_secret": op.client_secret,
            "discovery_url": op.discovery_url,
        }
    ]
    return op
