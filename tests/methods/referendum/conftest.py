"""Fixtures for the advisory referendum: Lillevik (kommune 9901), a published case with a
running phase and a published referendum instance; the test e-ID's people (kari, ola,
aisha, nora) as verified accounts; and builders that go through the method's own actions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import count
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from medvirk.identity import hashing
from medvirk.identity.models import User
from medvirk.identity.providers import TEST_PEOPLE
from medvirk.methods.referendum import actions, staff_actions
from medvirk.methods.referendum.forms import District, Place
from medvirk.methods.referendum.models import Referendum
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, PhaseKind
from tests import factories
from tests.factories import DAY

EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}
DECLARED = "medvirk.identity.residence.DeclaredResidence"
TEST_RESIDENCE = "medvirk.identity.residence.TestResidence"
PEOPLE = {p.key: p for p in TEST_PEOPLE}
_people = count(1)


@dataclass
class Vote:
    """A referendum instance and the addresses of its pages."""

    instance: MethodInstance

    def url(self, name: str = "", **kwargs: Any) -> str:
        if not name:
            return self.instance.get_absolute_url()
        return registry.get("referendum").url(self.instance, name, **kwargs)

    def export_url(self, key: str) -> str:
        return registry.get("referendum").export_url(self.instance, key)

    @property
    def referendum(self) -> Referendum:
        return Referendum.objects.get(method_instance=self.instance)

    @property
    def editor_url(self) -> str:
        return f"/stab/sak/{self.instance.process_id}/metode/{self.instance.pk}/innhald/"


def make_instance(
    org: Municipality, *, settings: Mapping[str, Any] | None = None, slug: str | None = None
) -> Vote:
    now = timezone.now()
    proc = factories.process(org)
    ph = factories.phase(proc, start=now - 30 * DAY, end=now + 60 * DAY, kind=PhaseKind.DECISION)
    instance = factories.method(
        proc, ph, key="referendum", title="Folkerøysting", settings=settings, slug=slug
    )
    return Vote(instance)


def prepare(
    vote: Vote,
    officer: User,
    *,
    opens: dt.datetime | None = None,
    closes: dt.datetime | None = None,
    roll_size: int | None = 880,
    places: bool = False,
    options: tuple[str, ...] = ("Ja", "Nei"),
) -> Referendum:
    now = timezone.now()
    details = staff_actions.Details(
        question="Skal Lillevik ha eigen skule i bygda?",
        options=options,
        council_reference="Kommunestyret 12.2.2026, sak 14/26",
        opens_at=opens or now - DAY,
        closes_at=closes or now + 7 * DAY,
        roll_size=roll_size,
        districts=[District("Sentrum", 420), District("Kaia", 310), District("Nordbygda", 150)],
        polling_places=[
            Place("lillevik-skule", "Lillevik skule", "Sentrum"),
            Place("grendehus", "Nordbygda grendehus", "Nordbygda"),
        ]
        if places
        else [],
    )
    return staff_actions.do_save(officer, vote.instance, details)


def announce(vote: Vote, officer: User, **kwargs: Any) -> Referendum:
    prepare(vote, officer, **kwargs)
    return staff_actions.do_open(officer, vote.instance, now=timezone.now() - 2 * DAY)


def person(key: str) -> User:
    """One of the test e-ID's people, as a verified account (kari 1990, ola 1965, aisha
    2005 in Oslo, nora 2012)."""
    found = PEOPLE[key]
    return factories.verified(f"{key}-{next(_people)}", national_id=found.national_id)


def voter(birth_year: int = 1980, *, username: str | None = None) -> User:
    """A verified person with a made-up number (no residence in the test register)."""
    n = next(_people)
    return factories.user(
        username or f"veljar-{n}",
        national_id_hash=hashing.national_id_hash(f"made-up-{n}"),
        birth_year=birth_year,
        verified_at=timezone.now(),
        verified_via="test",
    )


def vote_as(vote: Vote, user: User, choice: str | int = "", **kwargs: Any) -> actions.Voted:
    if choice == "":
        choice = actions.options_of(vote.referendum)[0].pk
    kwargs.setdefault("lives_here", True)
    kwargs.setdefault("district", "Sentrum")
    return actions.do_vote(user, vote.instance, choice=str(choice), **kwargs)


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    settings.MEDVIRK_RESIDENCE_PROVIDER = DECLARED
    with translation.override("en"):
        yield


@pytest.fixture
def org() -> Municipality:
    return factories.municipality("Lillevik", kommunenummer="9901", inhabitants=4012)


@pytest.fixture
def officer(org: Municipality) -> User:
    return factories.staff(org, Role.CASE_OFFICER)


@pytest.fixture
def second(org: Municipality) -> User:
    return factories.staff(org, Role.CASE_OFFICER)


@pytest.fixture
def vote(org: Municipality) -> Vote:
    return make_instance(org)


@pytest.fixture
def staff_client(officer: User) -> Client:
    client = Client(**EN)
    client.force_login(officer)
    return client


def client_for(user: User) -> Client:
    client = Client(**EN)
    client.force_login(user)
    return client
