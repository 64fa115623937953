"""What the idea board keeps about a person, in «Mine data», and what erasure does to it.

The text, the name and the e-mail of an idea or a comment are the contribution's (the
core's ``contributions`` section exports them and takes the author off on erasure). The
rows here add:

- ``idea_board``: for each of the person's ideas its title, category and state (merged,
  taken up in a case), and for each comment the idea it is on. Erasure leaves them on the
  board like any input, without a name: nothing here points at the person.
- ``idea_supports``: the ideas the person supported while logged in. Erasure deletes them
  (the counts go down with them): a support is an opinion, not input the municipality
  must keep. A support given without an account is tied to no one (a keyed hash of a
  browser session) and cannot be found from an account.
"""

from __future__ import annotations

from typing import Any

from medvirk.identity.models import User
from medvirk.identity.personal_data import EARLY, PersonalDataSection, iso

from .actions import COMMENT_KIND, KIND
from .models import Idea, IdeaComment, Support


class IdeaBoard(PersonalDataSection):
    key = "idea_board"
    models = (Idea, IdeaComment)
    # Before contributions lose their author: the rows are found through it.
    order = EARLY

    def export(self, user: User) -> dict[str, Any]:
        ideas = (
            Idea.objects.filter(contribution__author=user, contribution__kind=KIND)
            .select_related(
                "contribution__process__municipality",
                "method_instance",
                "merged_into",
                "taken_up_in",
            )
            .order_by("pk")
        )
        comments = (
            IdeaComment.objects.filter(contribution__author=user, contribution__kind=COMMENT_KIND)
            .select_related("idea", "contribution")
            .order_by("pk")
        )
        return {
            "ideas": [
                {
                    "contribution": idea.pk,
                    "given_at": iso(idea.contribution.created_at),
                    "municipality": idea.contribution.process.municipality.name,
                    "case": idea.contribution.process.title,
                    "board": idea.method_instance.title,
                    "title": idea.title,
                    "category": idea.category,
                    "merged_into": idea.merged_into_id,
                    "merged_at": iso(idea.merged_at),
                    "taken_up": idea.outcome,
                    "taken_up_in": idea.taken_up_in.title if idea.taken_up_in else "",
                    "taken_up_at": iso(idea.taken_up_at),
                }
                for idea in ideas
            ],
            "comments": [
                {
                    "contribution": comment.pk,
                    "given_at": iso(comment.contribution.created_at),
                    "on_idea": comment.idea_id,
                    "idea_title": comment.idea.title,
                }
                for comment in comments
            ],
        }

    def erase(self, user: User) -> None:
        # Nothing to do: the idea and its comments stay on the board as input, and the
        # contributions section takes the author, name and address off them.
        return None


class IdeaSupports(PersonalDataSection):
    key = "idea_supports"
    models = (Support,)
    order = EARLY

    def export(self, user: User) -> list[dict[str, Any]]:
        rows = (
            Support.objects.filter(user=user)
            .select_related("idea__contribution__process", "idea__method_instance")
            .order_by("created_at", "pk")
        )
        return [
            {
                "idea": s.idea_id,
                "idea_title": s.idea.title,
                "board": s.idea.method_instance.title,
                "case": s.idea.contribution.process.title,
                "supported_at": iso(s.created_at),
                "identity_level": s.level,
            }
            for s in rows
        ]

    def erase(self, user: User) -> None:
        Support.objects.filter(user=user).delete()


SECTIONS: tuple[PersonalDataSection, ...] = (IdeaBoard(), IdeaSupports())
