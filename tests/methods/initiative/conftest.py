"""Fixtures for innbyggerforslag: Lillevik (kommune 9901, 4 012 inhabitants: 81 signatures
needed), a published case with a running phase and a published initiative instance, people
with a verified identity (keyed hashes of made-up numbers), and builders that go through the
method's own actions.
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
from medvirk.methods.initiative import actions, staff_actions
from medvirk.methods.initiative.models import Initiative
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, PhaseKind
from tests import factories
from tests.factories import DAY
from tests.fixtures import media  # noqa: F401 - autouse: uploads go to a temporary MEDIA_ROOT

EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}
DECLARED = "medvirk.identity.residence.DeclaredResidence"
TEST_RESIDENCE = "medvirk.identity.residence.TestResidence"
LAMPS_TEXT = (
    "Vegen frå Nordbygda til skulen er mørk om vinteren. Kommunen bør setje opp gatelys "
    "langs heile skulevegen, så borna kan gå trygt."
)
_people = count(1)


@dataclass
class Initiatives:
    """An initiative instance and the addresses of its pages."""

    instance: MethodInstance

    def url(self, name: str = "", **kwargs: Any) -> str:
        if not name:
            return self.instance.get_absolute_url()
        return registry.get("initiative").url(self.instance, name, **kwargs)

    def export_url(self, key: str) -> str:
        return registry.get("initiative").export_url(self.instance, key)


def make_instance(
    org: Municipality,
    *,
    settings: Mapping[str, Any] | None = None,
    identity_levels: Mapping[str, int] | None = None,
) -> Initiatives:
    now = timezone.now()
    proc = factories.process(org)
    ph = factories.phase(
        proc, start=now - 30 * DAY, end=now + 60 * DAY, kind=PhaseKind.INVESTIGATION
    )
    instance = factories.method(
        proc,
        ph,
        key="initiative",
        title="Innbyggjarforslag",
        settings=settings,
        identity_levels=identity_levels,
    )
    return Initiatives(instance)


def resident(*, number: str | None = None, **extra: Any) -> User:
    """A person logged in with e-ID: a verified account with the keyed hash of a number."""
    n = next(_people)
    person = factories.user(
        f"innbyggjar{n}",
        national_id_hash=hashing.national_id_hash(number or f"{n:011d}"),
        verified_at=timezone.now(),
        verified_via="test",
        **extra,
    )
    return person


def propose(
    instance: MethodInstance,
    author: User | None = None,
    *,
    title: str = "Gatelys langs skulevegen",
    text: str = LAMPS_TEXT,
    **values: Any,
) -> Initiative:
    return actions.do_propose(
        author or resident(), instance, title=title, text=text, **values
    ).initiative


def collecting(
    instance: MethodInstance, officer: User, author: User | None = None, **values: Any
) -> Initiative:
    """A proposal checked by staff: signing is open."""
    initiative = propose(instance, author, **values)
    if initiative.signing_opens_at is None:
        staff_actions.do_check(officer, initiative, approve=True)
    initiative.refresh_from_db()
    return initiative


def sign_many(instance: MethodInstance, initiative: Initiative, n: int) -> list[User]:
    people = [resident() for _ in range(n)]
    for person in people:
        actions.do_sign(person, instance, initiative, address="Skulevegen 1", lives_here=True)
    return people


def at_days(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


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
def moderator(org: Municipality) -> User:
    return factories.staff(org, Role.MODERATOR)


@pytest.fixture
def initiatives(org: Municipality) -> Initiatives:
    return make_instance(org)


@pytest.fixture
def staff_client(officer: User) -> Client:
    client = Client(**EN)
    client.force_login(officer)
    return client
