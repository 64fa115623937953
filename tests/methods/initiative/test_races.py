"""Signatures under concurrency, on PostgreSQL: threads with their own database connections
sign at the same moment, and the database — the row lock on the proposal and the unique
keyed identity hash — decides.

- one person sending 50 signatures at once gets exactly one;
- 1 000 people signing at once give exactly 1 000;
- many signing across the threshold deliver the proposal exactly once, at the threshold.

Skipped on SQLite, which runs one write at a time and so cannot show a race; CI's second
run is on PostgreSQL (``DATABASE_URL=postgres://…``).
"""

from __future__ import annotations

import time

import pytest

from medvirk.core.errors import ActionRefused
from medvirk.core.models import AuditEntry
from medvirk.identity import hashing
from medvirk.identity.models import User
from medvirk.methods.initiative import actions
from medvirk.methods.initiative.models import Initiative, Signature, Status
from medvirk.organisations.models import Municipality
from medvirk.processes.models import MethodInstance
from tests import factories
from tests.concurrency import in_workers, require_postgresql

from .conftest import collecting, make_instance, resident

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _loaded(instance: MethodInstance, initiative: Initiative) -> tuple[MethodInstance, Initiative]:
    """Fresh objects with what the action reads, so threads share no lazy loading."""
    shared = MethodInstance.objects.select_related("process__municipality", "phase").get(
        pk=instance.pk
    )
    found = Initiative.objects.select_related("contribution").get(pk=initiative.pk)
    return shared, found


def _sign(instance: MethodInstance, initiative: Initiative, person: User) -> str:
    try:
        actions.do_sign(person, instance, initiative, address="Kaivegen 1", lives_here=True)
    except ActionRefused as refused:
        return str(refused.status)
    return "signed"


def test_one_person_sending_fifty_signatures_at_once_signs_once(
    org: Municipality, officer: User
) -> None:
    require_postgresql()
    initiatives = make_instance(org)
    initiative = collecting(initiatives.instance, officer)
    instance, shared = _loaded(initiatives.instance, initiative)
    person = resident()
    outcomes = in_workers(lambda _i: _sign(instance, shared, person), jobs=50, threads=50)
    assert outcomes.count("signed") == 1
    assert outcomes.count("409") == 49
    assert Signature.objects.filter(initiative=initiative).count() == 1


def test_a_thousand_people_signing_at_once_give_a_thousand(
    org: Municipality, officer: User
) -> None:
    require_postgresql()
    initiatives = make_instance(org, settings={"deliver_at_threshold": False})
    initiative = collecting(initiatives.instance, officer)
    now = initiative.signing_opens_at
    people = User.objects.bulk_create(
        [
            User(
                username=f"many-{n}",
                national_id_hash=hashing.national_id_hash(f"many-{n}"),
                verified_at=now,
                verified_via="test",
            )
            for n in range(1000)
        ]
    )
    instance, shared = _loaded(initiatives.instance, initiative)
    started = time.monotonic()
    outcomes = in_workers(lambda i: _sign(instance, shared, people[i]), jobs=1000, threads=20)
    elapsed = time.monotonic() - started
    assert outcomes.count("signed") == 1000, {o for o in outcomes if o != "signed"}
    assert Signature.objects.filter(initiative=initiative).count() == 1000
    assert (
        Signature.objects.filter(initiative=initiative).values("identity_hash").distinct().count()
        == 1000
    )
    initiative.refresh_from_db()
    assert initiative.status == Status.COLLECTING
    assert initiative.threshold_reached_at is not None
    assert elapsed < 60, f"1 000 signatures took {elapsed:.1f} s"


def test_the_threshold_is_crossed_once_and_delivers_once() -> None:
    require_postgresql()
    small = factories.municipality("Smaavik", inhabitants=500)  # 10 signatures
    initiatives = make_instance(small)
    initiative = collecting(initiatives.instance, factories.staff(small))
    assert initiative.threshold == 10
    people = [resident() for _ in range(40)]
    instance, shared = _loaded(initiatives.instance, initiative)
    outcomes = in_workers(lambda i: _sign(instance, shared, people[i]), jobs=40, threads=40)
    assert outcomes.count("signed") == 10
    assert outcomes.count("409") == 30  # the proposal was delivered: signing closed
    initiative.refresh_from_db()
    assert initiative.status == Status.DELIVERED
    assert initiative.delivered_count == 10
    assert Signature.objects.filter(initiative=initiative).count() == 10
    assert (
        AuditEntry.objects.filter(
            action="initiative.delivered", object_id=str(initiative.pk)
        ).count()
        == 1
    )
