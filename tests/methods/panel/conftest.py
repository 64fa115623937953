"""Fixtures for the residents' panel: a published case with a running phase and a
published panel instance in it, built through the application's actions (tests/factories.py).

Shared by the member side (joining, profile, leaving) and the draw side (population,
draws, invitations) of the panel's tests.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from django.utils import timezone, translation

from medvirk.identity.models import User
from medvirk.methods.panel import actions
from medvirk.methods.panel.models import PanelMember
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, PhaseKind
from tests import factories
from tests.factories import DAY


def make_panel(org: Municipality, *, title: str = "Innbyggarpanelet") -> MethodInstance:
    """A published panel instance in a new published case with a running phase."""
    now = timezone.now()
    proc = factories.process(org)
    ph = factories.phase(proc, start=now - 5 * DAY, end=now + 5 * DAY, kind=PhaseKind.INVESTIGATION)
    return factories.method(proc, ph, key="panel", title=title)


def resident(username: str | None = None, *, verified: bool = True) -> User:
    """A resident's account; ``verified`` gives the e-mail level joining needs."""
    return factories.user(username, email_verified=verified)


def join(
    instance: MethodInstance,
    user: User | None = None,
    profile: Mapping[str, str] | None = None,
) -> PanelMember:
    """``user`` (a new verified resident if None) joins through ``do_join`` with consent."""
    return actions.do_join(user or resident(), instance, profile or {}, consent=True)


def panel_url(instance: MethodInstance, name: str = "", **kwargs: Any) -> str:
    """The panel page (``name=""``) or one of its member pages by URL name."""
    if not name:
        return instance.get_absolute_url()
    return registry.get("panel").url(instance, name, **kwargs)


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def org() -> Municipality:
    return factories.municipality("Lillevik")


@pytest.fixture
def officer(org: Municipality) -> User:
    return factories.staff(org, Role.CASE_OFFICER)


@pytest.fixture
def panel_instance(org: Municipality) -> MethodInstance:
    return make_panel(org)
