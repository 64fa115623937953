"""Role × phase matrix: who may do what before, during and after a phase."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from medvirk.organisations import capabilities
from medvirk.organisations.models import Role
from medvirk.processes import permissions
from medvirk.vocabulary import Capability
from tests import factories

DAY = dt.timedelta(days=1)
WHEN = {"before": 5 * DAY, "during": 0 * DAY, "after": -30 * DAY}

STAFF_EXPECTED = {
    # capability: roles that have it, regardless of phase
    Capability.MANAGE_PROCESS: {Role.ADMINISTRATOR, Role.CASE_OFFICER},
    Capability.RESPOND: {Role.ADMINISTRATOR, Role.CASE_OFFICER},
    Capability.MODERATE: {Role.ADMINISTRATOR, Role.MODERATOR},
    Capability.REGISTER_OFFLINE: {Role.ADMINISTRATOR, Role.CASE_OFFICER},
    Capability.DECIDE: {Role.ADMINISTRATOR, Role.CASE_OFFICER},
    Capability.MANAGE_ROLES: {Role.ADMINISTRATOR},
    Capability.VIEW_AUDIT: {Role.ADMINISTRATOR},
    # A role of its own, given on purpose (issue 15): not even administrators by default.
    Capability.VERIFY_IDENTITY: {Role.IDENTITY_OFFICER},
    Capability.EXPORT: {Role.ADMINISTRATOR, Role.CASE_OFFICER, Role.MODERATOR},
}


def test_the_matrix_names_every_capability_and_role() -> None:
    assert set(STAFF_EXPECTED) == set(Capability)
    assert set(capabilities.STAFF_CAPABILITIES) == set(Role)


def test_capabilities_answer_to_plain_strings_too(w: factories.World) -> None:
    # Capability is a StrEnum: call sites that still pass "respond" keep working.
    assert capabilities.staff_can(w.officer, "respond", w.org)
    assert not capabilities.staff_can(w.moderator, "respond", w.org.pk)


@pytest.mark.parametrize("when", list(WHEN))
@pytest.mark.parametrize("role", ["anonymous", "resident", *Role.values])
def test_matrix(w: factories.World, role: str, when: str) -> None:
    now = timezone.now()
    w.phase.start = now + WHEN[when] - 2 * DAY if when != "before" else now + WHEN[when]
    w.phase.end = w.phase.start + 10 * DAY if when != "after" else now - DAY
    if when == "after":
        w.phase.start = now - 40 * DAY
    w.phase.save()
    person = {
        "anonymous": AnonymousUser(),
        "resident": w.resident,
        Role.ADMINISTRATOR: w.admin,
        Role.CASE_OFFICER: w.officer,
        Role.MODERATOR: w.moderator,
        Role.IDENTITY_OFFICER: None,
        Role.POLITICIAN: None,
    }[role] or factories.staff(w.org, Role(role))
    # Residents (and staff, as residents) may contribute only while the phase runs.
    verdict = permissions.can_act(person, w.method, "ask_question")
    assert bool(verdict) == (when in {"before", "during"}), verdict.reason
    # Staff capabilities follow the role, in their own municipality only.
    for capability, roles in STAFF_EXPECTED.items():
        assert capabilities.staff_can(person, capability, w.org) == (role in roles), capability
        assert not capabilities.staff_can(person, capability, w.other_org)
