"""What the opinion map keeps about a person, in «Mine data», and what erasure does to it.

- ``opinion_map_votes`` (:class:`~.models.Participant`, :class:`~.models.Vote`): a person
  who voted while logged in is a participant tied to the account, with their votes and the
  group the latest map put them in. Anonymous participants are a keyed hash of a browser
  session only: nothing ties them to anyone, so they are in nobody's export.
- ``opinion_map_statements`` (:class:`~.models.Statement`): the statements the person
  added, which are contributions (the core's ``contributions`` section exports and erases
  their text's author, name and e-mail); here is where each stands in the vote.

``OpinionMap`` holds no person: only groups and counts.
"""

from __future__ import annotations

from typing import Any

from medvirk.algorithms.opinion_map.engine import group_label
from medvirk.identity.models import User
from medvirk.identity.personal_data import EARLY, PersonalDataSection, iso

from .actions import VOTE_WORDS, erased_key
from .models import Participant, Statement, Vote


class OpinionVotes(PersonalDataSection):
    """Each conversation the person voted in while logged in, with every vote.

    Erasure keeps the votes in the map (counted input, as a poll's votes stay in its
    result) but unties them: the participant loses the account and gets a key no one can
    be recognised by.
    """

    key = "opinion_map_votes"
    models = (Participant, Vote)

    def export(self, user: User) -> list[dict[str, Any]]:
        participants = (
            Participant.objects.filter(user=user)
            .select_related("method_instance__process__municipality")
            .order_by("pk")
        )
        out = []
        for p in participants:
            votes = (
                Vote.objects.filter(participant=p)
                .select_related("statement")
                .order_by("statement_id")
            )
            instance = p.method_instance
            out.append(
                {
                    "municipality": instance.process.municipality.name,
                    "case": instance.process.title,
                    "conversation": instance.title,
                    "first_vote": iso(p.created_at),
                    "group": group_label(p.group) if p.group is not None else None,
                    "votes": [
                        {
                            "statement": v.statement.text,
                            "vote": VOTE_WORDS.get(v.value, ""),
                            "voted_at": iso(v.updated_at),
                        }
                        for v in votes
                    ],
                }
            )
        return out

    def erase(self, user: User) -> None:
        own = list(Participant.objects.select_for_update().filter(user=user))
        for participant in own:
            participant.user = None
            participant.key = erased_key()
        Participant.objects.bulk_update(own, ["user", "key"])


class OpinionStatements(PersonalDataSection):
    """The statements the person added while logged in, and whether they are in the vote.

    Erasure leaves them to the core's ``contributions`` section (the text stays as public
    input without its author); it runs first, while the author still finds them.
    """

    key = "opinion_map_statements"
    models = (Statement,)
    order = EARLY

    def export(self, user: User) -> list[dict[str, Any]]:
        rows = (
            Statement.objects.filter(contribution__author=user)
            .select_related("contribution", "method_instance__process__municipality")
            .order_by("pk")
        )
        return [
            {
                "contribution": s.contribution_id,
                "municipality": s.method_instance.process.municipality.name,
                "case": s.method_instance.process.title,
                "conversation": s.method_instance.title,
                "statement": s.text,
                "moderation": s.contribution.moderation if s.contribution else "",
                "in_the_vote": s.is_active,
                "added_at": iso(s.created_at),
            }
            for s in rows
        ]

    def erase(self, user: User) -> None:
        return None


SECTIONS: tuple[PersonalDataSection, ...] = (OpinionVotes(), OpinionStatements())
