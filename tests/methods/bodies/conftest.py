"""Fixtures for councils and committees: Lillevik with a case officer, a published case with
a running phase and a published "statements" instance, and builders for bodies, members,
meetings and requests that go through the method's own staff actions.
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
from medvirk.methods.bodies import staff_actions
from medvirk.methods.bodies.models import (
    Body,
    BodyKind,
    BodyMeeting,
    BodyMember,
    MeetingStatus,
    MemberRole,
    StatementRequest,
)
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, PhaseKind
from tests import factories
from tests.factories import DAY
from tests.fixtures import media  # noqa: F401 - autouse: uploads go to a temporary MEDIA_ROOT

EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}


@dataclass
class Statements:
    """A statements instance and the addresses of its pages."""

    instance: MethodInstance

    def url(self, name: str = "", **kwargs: Any) -> str:
        if not name:
            return self.instance.get_absolute_url()
        return registry.get("bodies").url(self.instance, name, **kwargs)

    def export_url(self, key: str) -> str:
        return registry.get("bodies").export_url(self.instance, key)


def make_instance(org: Municipality, *, settings: Mapping[str, Any] | None = None) -> Statements:
    now = timezone.now()
    proc = factories.process(org, title="Framtida for skulen")
    ph = factories.phase(
        proc, start=now - 30 * DAY, end=now + 30 * DAY, kind=PhaseKind.INVESTIGATION
    )
    instance = factories.method(
        proc, ph, key="bodies", title="Uttale frå råd og utval", settings=settings
    )
    return Statements(instance)


def make_body(
    org: Municipality,
    name: str = "Lillevik ungdomsråd",
    kind: str = BodyKind.YOUTH_COUNCIL,
    *,
    published: bool = True,
    **values: Any,
) -> Body:
    return staff_actions.do_save_body(
        None,
        org,
        staff_actions.BodyData(
            kind=kind,
            name=name,
            mandate=values.pop("mandate", "Ungdomsrådet er stemma til ungdommen."),
            delegation=values.pop("delegation", "Fordeler ungdomspotten."),
            contact_email=values.pop("contact_email", "rad@example.org"),
            is_published=published,
            **values,
        ),
    )


def make_member(
    body: Body,
    name: str = "Emma Haugland",
    role: str = MemberRole.MEMBER,
    *,
    user: User | None = None,
    days_ago: int = 100,
    term_days: int | None = 600,
    **values: Any,
) -> BodyMember:
    start = timezone.localdate() - dt.timedelta(days=days_ago)
    return staff_actions.do_save_member(
        None,
        body,
        staff_actions.MemberData(
            name=name,
            role=role,
            term_from=start,
            term_to=start + dt.timedelta(days=term_days) if term_days is not None else None,
            account=user.username if user else "",
            **values,
        ),
    )


def make_meeting(
    body: Body,
    *,
    days: int = -7,
    place: str = "Ungdomshuset",
    status: str | None = None,
    items: tuple[tuple[str, str], ...] = (("US 7/26", "Framtida for skulen – uttale"),),
) -> BodyMeeting:
    day = timezone.localdate() + dt.timedelta(days=days)
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(17, 0)))
    if status is None:
        status = MeetingStatus.HELD if days < 0 else MeetingStatus.PLANNED
    meeting = staff_actions.do_save_meeting(
        None, body, staff_actions.MeetingData(starts_at=starts, place=place, status=status)
    )
    for reference, title in items:
        staff_actions.do_add_agenda_item(None, meeting, title, reference)
    return meeting


def ask(statements: Statements, body: Body, days: int = 14) -> StatementRequest:
    return staff_actions.do_ask_body(
        None,
        statements.instance,
        body,
        timezone.localdate() + dt.timedelta(days=days),
        "Kva meiner rådet?",
    )


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
def statements(org: Municipality) -> Statements:
    return make_instance(org)


@pytest.fixture
def youth(org: Municipality) -> Body:
    return make_body(org)


@pytest.fixture
def held(youth: Body) -> BodyMeeting:
    return make_meeting(youth)


@pytest.fixture
def secretary(youth: Body) -> User:
    """An account linked to the ungdomsråd's secretary in the current term."""
    person = factories.user("sekretaer")
    make_member(youth, "Sigrid Vik", MemberRole.SECRETARY, user=person, term_days=None)
    return person


@pytest.fixture
def asked(statements: Statements, youth: Body) -> StatementRequest:
    return ask(statements, youth)


def client_for(user: User | None = None) -> Client:
    client = Client(**EN)
    if user is not None:
        client.force_login(user)
    return client
