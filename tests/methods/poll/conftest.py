"""Fixtures for the quick poll: a published case with a running phase and a published poll
with three options, built through the application's actions (tests/factories.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone, translation

from medvirk.identity.models import User
from medvirk.methods.poll import actions
from medvirk.methods.poll.models import PollOption
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, PhaseKind
from tests import factories
from tests.factories import DAY

OPTIONS = ["Safe route to school", "Good indoor air", "Big playground"]


@dataclass
class Poll:
    instance: MethodInstance
    options: list[PollOption]

    @property
    def url(self) -> str:
        return self.instance.get_absolute_url()

    @property
    def embed_url(self) -> str:
        return registry.get("poll").url(self.instance, "embed")

    @property
    def csv_url(self) -> str:
        return registry.get("poll").export_url(self.instance, "resultat-csv")


def make_poll(
    org: Municipality,
    *,
    settings: Mapping[str, Any] | None = None,
    end: dt.datetime | None = None,
    identity_levels: Mapping[str, int] | None = None,
    question: bool = True,
) -> Poll:
    now = timezone.now()
    proc = factories.process(org)
    ph = factories.phase(
        proc, start=now - 5 * DAY, end=end or now + 5 * DAY, kind=PhaseKind.INVESTIGATION
    )
    instance = factories.method(
        proc,
        ph,
        key="poll",
        title="Quick poll about the school",
        settings=settings,
        identity_levels=identity_levels,
    )
    if not question:
        return Poll(instance, [])
    saved = actions.do_save_poll(None, instance, "What matters most?", OPTIONS)
    return Poll(instance, list(saved.options.all()))


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def org() -> Municipality:
    return factories.municipality("Lillevik")


@pytest.fixture
def poll(org: Municipality) -> Poll:
    return make_poll(org)


@pytest.fixture
def officer(org: Municipality) -> User:
    return factories.staff(org, Role.CASE_OFFICER)
