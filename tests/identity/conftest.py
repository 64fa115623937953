"""Fixtures for identity tests: people, municipalities, a case with input, a local OP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from medvirk.accountability.models import Notification, Response, ResponseStatus
from medvirk.contributions.models import Contribution
from medvirk.identity.models import User
from medvirk.identity.testing.op import LocalOpenIDProvider
from medvirk.organisations.models import Membership, Municipality, Role
from medvirk.processes.models import MethodInstance, Phase, PhaseKind, Process, ProcessStatus


@pytest.fixture
def client() -> Client:
    """English pages, so assertions on messages hold when translations arrive."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def lillevik(db: Any) -> Municipality:
    return Municipality.objects.create(
        name="Lillevik",
        slug="lillevik",
        kommunenummer="9901",
        inhabitants=5000,
        malform="nb",
        privacy_contact="personvern@lillevik.example",
    )


@pytest.fixture
def storby(db: Any) -> Municipality:
    return Municipality.objects.create(
        name="Storby", slug="storby", kommunenummer="9902", inhabitants=90000, malform="nb"
    )


@pytest.fixture
def resident(db: Any) -> User:
    return User.objects.create_user("resident", email="resident@example.org", password="pw-1234!x")


@pytest.fixture
def officer(lillevik: Municipality) -> User:
    user = User.objects.create_user("officer", email="officer@lillevik.example", password="pw")
    Membership.objects.create(user=user, municipality=lillevik, role=Role.CASE_OFFICER)
    return user


@pytest.fixture
def other_officer(storby: Municipality) -> User:
    user = User.objects.create_user("storbyofficer", password="pw")
    Membership.objects.create(user=user, municipality=storby, role=Role.CASE_OFFICER)
    return user


@pytest.fixture
def method(lillevik: Municipality) -> MethodInstance:
    process = Process.objects.create(
        municipality=lillevik,
        slug="skolen",
        title="Lillevik skole",
        summary="Skolen er i dårlig stand.",
        open_to_influence="Alt",
        decided_by="Kommunestyret",
        status=ProcessStatus.PUBLISHED,
    )
    now = timezone.now()
    phase = Phase.objects.create(
        process=process,
        name="Utgreiing",
        kind=PhaseKind.INVESTIGATION,
        start=now - dt.timedelta(days=1),
        end=now + dt.timedelta(days=30),
    )
    return MethodInstance.objects.create(
        process=process, phase=phase, method_key="information", slug="info", title="Informasjon"
    )


def make_contribution(
    method: MethodInstance, author: User | None, text: str, **kw: Any
) -> Contribution:
    return Contribution.objects.create(
        method_instance=method,
        process=method.process,
        kind="comment",
        author=author,
        text=text,
        receipt_nonce="n" * 32,
        **kw,
    )


@pytest.fixture
def with_input(method: MethodInstance, resident: User, officer: User) -> dict[str, Any]:
    mine = make_contribution(
        method,
        resident,
        "Bygg ny skole ved fjorden.",
        author_name="Rita Resident",
        show_name=True,
        contact_email="resident@example.org",
    )
    Response.objects.create(
        contribution=mine,
        status=ResponseStatus.PARTLY_ADOPTED,
        reason="Vi ser på tomta ved fjorden.",
        responded_by=officer,
    )
    theirs = make_contribution(
        method, None, "Someone else's secret idea", author_name="Other Person"
    )
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
    cache.clear()
    with LocalOpenIDProvider() as provider:
        yield provider
    cache.clear()


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
