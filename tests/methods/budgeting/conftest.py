"""Fixtures for participatory budgeting: Lillevik (kommune 9901), a published case with a
running phase (kind "utgreiing": the ideas stage) and a published budget instance, staff,
and builders that go through the method's own actions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from medvirk.identity.models import User
from medvirk.identity.providers import TEST_PEOPLE
from medvirk.methods.budgeting import staff_actions
from medvirk.methods.budgeting.models import Project, VotingCode
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, PhaseKind
from tests import factories
from tests.factories import DAY
from tests.fixtures import media  # noqa: F401 - autouse: uploads go to a temporary MEDIA_ROOT

EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}
DECLARED = "medvirk.identity.residence.DeclaredResidence"
TEST_RESIDENCE = "medvirk.identity.residence.TestResidence"


@dataclass
class Budget:
    instance: MethodInstance

    def url(self, name: str = "", **kwargs: Any) -> str:
        if not name:
            return self.instance.get_absolute_url()
        return registry.get("budgeting").url(self.instance, name, **kwargs)

    def export_url(self, key: str) -> str:
        return registry.get("budgeting").export_url(self.instance, key)

    def refresh(self) -> MethodInstance:
        self.instance = MethodInstance.objects.select_related("process__municipality", "phase").get(
            pk=self.instance.pk
        )
        return self.instance


def make_budget(
    org: Municipality,
    *,
    settings: Mapping[str, Any] | None = None,
    kind: str = PhaseKind.INVESTIGATION,
    identity_levels: Mapping[str, int] | None = None,
) -> Budget:
    now = timezone.now()
    proc = factories.process(org)
    ph = factories.phase(proc, start=now - 10 * DAY, end=now + 20 * DAY, kind=kind)
    instance = factories.method(
        proc,
        ph,
        key="budgeting",
        title="Budsjett for nærmiljøet",
        settings=settings,
        identity_levels=identity_levels,
    )
    return Budget(instance)


def add(budget: Budget, officer: User, title: str, cost: int, district: str = "") -> Project:
    return staff_actions.do_add_project(
        officer,
        budget.instance,
        staff_actions.Ballotline(title, f"Skildring av {title.lower()}.", cost, district),
    )


def open_vote(budget: Budget, officer: User, days: int = 3) -> None:
    staff_actions.do_open_vote(officer, budget.instance, timezone.now() + dt.timedelta(days=days))


def make_codes(budget: Budget, officer: User, n: int, district: str = "") -> list[str]:
    batch = staff_actions.do_make_codes(
        officer, budget.instance, label="7A, Lillevik skule", count=n, district=district
    )
    return list(
        VotingCode.objects.filter(batch=batch).order_by("pk").values_list("code", flat=True)
    )


def person(name: str, **extra: Any) -> User:
    """A test e-ID person (providers.TEST_PEOPLE) logged in with e-ID."""
    found = next(p for p in TEST_PEOPLE if p.key == name)
    return factories.verified(f"eid-{name}", national_id=found.national_id, **extra)


def at(days: float) -> dt.datetime:
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
def staff_client(officer: User) -> Client:
    client = Client(**EN)
    client.force_login(officer)
    return client


@pytest.fixture
def codes_budget(org: Municipality) -> Budget:
    """Codes, knapsack, 200 000 kr, equal shares: the demo's kind of budget."""
    return make_budget(org, settings={"voters": "codes", "budget": 200_000, "ballot": "knapsack"})
