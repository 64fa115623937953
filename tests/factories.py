"""Small builders for tests: a municipality with staff, a published process, phases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import count

from django.utils import timezone

from medvirk.identity.models import User
from medvirk.organisations.models import Malform, Membership, Municipality, Role
from medvirk.processes.models import MethodInstance, Phase, PhaseKind, Process, ProcessStatus

_seq = count(1)
DAY = dt.timedelta(days=1)


def municipality(name: str = "Testvik", **extra: object) -> Municipality:
    n = next(_seq)
    values = {
        "name": f"{name} {n}",
        "slug": f"{name.lower()}-{n}",
        "kommunenummer": f"{9000 + n:04d}",
        "inhabitants": 4000,
        "malform": Malform.NYNORSK,
    }
    values.update(extra)
    return Municipality.objects.create(**values)


def user(username: str | None = None, **extra: object) -> User:
    name = username or f"person{next(_seq)}"
    u = User(username=name, email=f"{name}@example.org", **extra)
    u.set_password("pw")
    u.save()
    return u


def staff(org: Municipality, role: str = Role.CASE_OFFICER, username: str | None = None) -> User:
    u = user(username)
    Membership.objects.create(user=u, municipality=org, role=role)
    return u


def process(
    org: Municipality, status: str = ProcessStatus.PUBLISHED, slug: str | None = None
) -> Process:
    n = next(_seq)
    return Process.objects.create(
        municipality=org,
        slug=slug or f"sak-{n}",
        title=f"Sak {n}",
        summary="Ei kort oppsummering.",
        open_to_influence="Kva alternativ vi vel.",
        decided_by="Kommunestyret",
        status=status,
    )


def phase(
    proc: Process,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    kind: str = PhaseKind.INVESTIGATION,
) -> Phase:
    now = timezone.now()
    return Phase.objects.create(
        process=proc,
        name=f"Fase {next(_seq)}",
        kind=kind,
        start=start or now - 10 * DAY,
        end=end or now + 10 * DAY,
    )


def method(
    proc: Process, ph: Phase, key: str = "information", published: bool = True, **extra: object
) -> MethodInstance:
    return MethodInstance.objects.create(
        process=proc,
        phase=ph,
        method_key=key,
        slug=f"metode-{next(_seq)}",
        title="Metode",
        is_published=published,
        **extra,
    )


@dataclass
class World:
    org: Municipality
    other_org: Municipality
    officer: User
    moderator: User
    admin: User
    other_officer: User
    resident: User
    process: Process
    phase: Phase
    method: MethodInstance


def world() -> World:
    org = municipality("Lillevik")
    other = municipality("Andrevik")
    proc = process(org)
    ph = phase(proc)
    return World(
        org=org,
        other_org=other,
        officer=staff(org, Role.CASE_OFFICER),
        moderator=staff(org, Role.MODERATOR),
        admin=staff(org, Role.ADMINISTRATOR),
        other_officer=staff(other, Role.CASE_OFFICER),
        resident=user(),
        process=proc,
        phase=ph,
        method=method(proc, ph),
    )
