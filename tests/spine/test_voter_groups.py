"""Voter groups: one method's people (a body's members) offered to another (a budget's voters)."""

from __future__ import annotations

from typing import Any

import pytest

from medvirk.processes import registry
from tests import factories

pytestmark = pytest.mark.django_db


class _Club(registry.MethodPlugin):
    key = "club_test"
    name = "Club"
    description = "Club"
    rungs = ()
    actions = ()

    def page(self, request: Any, instance: Any) -> Any:
        raise NotImplementedError

    def voter_groups(self, municipality: Any) -> list[registry.VoterGroup]:
        return [registry.VoterGroup(f"{self.key}:1", "Styret")]

    def in_voter_group(self, user: Any, key: str) -> bool:
        return key == f"{self.key}:1" and user.username == "leiar"


@pytest.fixture
def club() -> Any:
    registry.register(_Club())
    yield
    registry.unregister(_Club.key)


def test_groups_are_collected_and_membership_asked_of_their_method(club: None) -> None:
    org = factories.municipality()
    assert registry.VoterGroup("club_test:1", "Styret") in registry.voter_groups(org)
    leiar, other = factories.user("leiar"), factories.user("other")
    assert registry.in_voter_group(leiar, "club_test:1")
    assert not registry.in_voter_group(other, "club_test:1")
    assert not registry.in_voter_group(leiar, "club_test:2")
    assert not registry.in_voter_group(leiar, "nosuchmethod:1")
    assert not registry.in_voter_group(leiar, "")
