"""What participatory budgeting keeps about a person, in «Mine data», and erasure.

- ``budget_ideas``: the person's ideas (their projects: title, cost, district, review and
  progress). The text, name and e-mail are the contribution's (the core's
  ``contributions`` section exports them and takes the author off on erasure); the project
  stays in the budget without a name.
- ``budget_ballots``: the ballots the person cast with e-ID or as a member of a voting
  group, found by recomputing the keyed voter hash (a ballot holds nothing else of them).
  Erasure deletes a ballot while its vote is open (it no longer counts); once the vote is
  closed the ballot stays in the count, and without the account nothing links it to them.
  A ballot cast with a voting code is tied to no account.
"""

from __future__ import annotations

from typing import Any

from medvirk.identity.models import User
from medvirk.identity.personal_data import EARLY, PersonalDataSection, iso
from medvirk.processes.models import MethodInstance

from . import keys
from .actions import METHOD_KEY
from .models import Ballot, Project


class BudgetIdeas(PersonalDataSection):
    key = "budget_ideas"
    models = (Project,)
    order = EARLY  # found through the contribution's author, before it is taken off

    def export(self, user: User) -> list[dict[str, Any]]:
        rows = (
            Project.objects.filter(contribution__author=user)
            .select_related("method_instance__process", "merged_into")
            .order_by("pk")
        )
        return [
            {
                "contribution": p.contribution_id,
                "budget": p.method_instance.title,
                "case": p.method_instance.process.title,
                "number": p.number,
                "title": p.title,
                "rough_cost": p.proposed_cost,
                "estimated_cost": p.cost,
                "district": p.district,
                "status": p.status,
                "merged_into": p.merged_into.number if p.merged_into else None,
                "reviewed_at": iso(p.reviewed_at),
                "progress": p.delivery,
            }
            for p in rows
        ]

    def erase(self, user: User) -> None:
        return None  # the contributions section takes the author off the idea


def _keys_of(user: User) -> dict[str, int]:
    """Every voter key this account can have had, per budget instance."""
    identity = keys.identity_of(user)
    found: dict[str, int] = {}
    for pk in MethodInstance.objects.filter(method_key=METHOD_KEY).values_list("pk", flat=True):
        found[keys.member_key(pk, user.pk)] = pk
        if identity:
            found[keys.eid_key(pk, identity)] = pk
    return found


class BudgetBallots(PersonalDataSection):
    key = "budget_ballots"
    models = (Ballot,)
    order = EARLY

    def export(self, user: User) -> list[dict[str, Any]]:
        mine = _keys_of(user)
        rows = (
            Ballot.objects.filter(voter_key__in=list(mine))
            .select_related("method_instance__process")
            .order_by("method_instance_id")
        )
        return [
            {
                "budget": b.method_instance.title,
                "case": b.method_instance.process.title,
                "district": b.district,
                "choices": b.choices,
            }
            for b in rows
        ]

    def erase(self, user: User) -> None:
        mine = list(_keys_of(user))
        Ballot.objects.filter(
            voter_key__in=mine, method_instance__budget_election__closed_at__isnull=True
        ).delete()
        Ballot.objects.filter(
            voter_key__in=mine, method_instance__budget_election__isnull=True
        ).delete()


SECTIONS: tuple[PersonalDataSection, ...] = (BudgetIdeas(), BudgetBallots())
