"""A person's poll votes in «Mine data», and what erasure does to them.

A vote belongs to a person only when they voted while logged in (``Contribution.author``);
an anonymous vote is tied to nothing but a keyed hash of a browser session, so it cannot be
told apart from anyone else's and is not exported.
"""

from __future__ import annotations

from typing import Any

from medvirk.contributions.models import Contribution
from medvirk.identity.models import User
from medvirk.identity.personal_data import EARLY, PersonalDataSection, iso

from .actions import KIND
from .models import PollVote


class PollVotes(PersonalDataSection):
    """Each vote with the poll's question and the option chosen.

    Erasure keeps the vote in the result (counted input, like any contribution, which loses
    its author) but blanks its one-vote key ``user:<id>``, the last thing tying it to the
    account. Runs before contributions lose their author, since votes are found through it.
    """

    key = "poll_votes"
    models = (PollVote,)
    order = EARLY

    def export(self, user: User) -> list[dict[str, Any]]:
        votes = (
            PollVote.objects.filter(contribution__author=user, contribution__kind=KIND)
            .select_related(
                "option__question",
                "contribution__process__municipality",
                "contribution__method_instance",
            )
            .order_by("contribution__created_at", "pk")
        )
        return [
            {
                "contribution": v.contribution_id,
                "voted_at": iso(v.contribution.created_at),
                "municipality": v.contribution.process.municipality.name,
                "case": v.contribution.process.title,
                "poll": v.contribution.method_instance.title
                if v.contribution.method_instance
                else "",
                "question": v.option.question.text,
                "vote": v.option.label,
            }
            for v in votes
        ]

    def erase(self, user: User) -> None:
        Contribution.objects.filter(author=user, kind=KIND).update(once_key=None)
