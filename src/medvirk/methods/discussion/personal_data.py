"""What the discussion keeps about a person, in «Mine data», and what erasure does to it.

The text, the name and the e-mail of a post or a reply are the contribution's (the core's
``contributions`` section exports and erases them). The rows here add:

- ``discussion_posts``: where each post stands (the question, the post it replies to) and
  the role shown with it when a staff member or an elected representative wrote it;
- ``discussion_reactions``: agreeing or disagreeing with posts while logged in, with the
  reason;
- ``discussion_follows``: the threads the person follows, by account or by the account's
  verified address;
- ``discussion_staff``: the questions a staff member added. The municipality's rules
  (``Rules``) hold no person; they are listed here so the export says where they live.

A reaction or a follow made without an account is tied to no one (a keyed hash of a
browser session; an address typed in a form) and cannot be found from an account.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from medvirk.accountability import contact
from medvirk.identity.models import User
from medvirk.identity.personal_data import EARLY, PersonalDataSection, iso

from .actions import KINDS
from .models import Post, Reaction, Rules, ThreadFollow, Topic


class DiscussionPosts(PersonalDataSection):
    """Each of the person's posts and replies: its question, what it replies to, the role.

    Erasure runs before contributions lose their author (the rows are found through it)
    and blanks the role shown, the last thing on the post that points at the person; the
    post stays in the discussion, like any contribution, without a name.
    """

    key = "discussion_posts"
    models = (Post,)
    order = EARLY

    def _own(self, user: User) -> Any:
        return Post.objects.filter(contribution__author=user, contribution__kind__in=KINDS)

    def export(self, user: User) -> list[dict[str, Any]]:
        rows = (
            self._own(user)
            .select_related(
                "contribution__process__municipality",
                "contribution__method_instance",
                "topic",
                "parent",
            )
            .order_by("contribution__created_at", "pk")
        )
        return [
            {
                "contribution": p.contribution_id,
                "written_at": iso(p.contribution.created_at),
                "municipality": p.contribution.process.municipality.name,
                "case": p.contribution.process.title,
                "discussion": p.contribution.method_instance.title
                if p.contribution.method_instance
                else "",
                "question": p.topic.title if p.topic else "",
                "in_reply_to": p.parent.contribution_id if p.parent else None,
                "role_shown": p.role_label,
            }
            for p in rows
        ]

    def erase(self, user: User) -> None:
        self._own(user).exclude(role_label="").update(role_label="")


class DiscussionReactions(PersonalDataSection):
    """Agreeing or disagreeing while logged in. Erasure deletes them: a reaction is an
    opinion the municipality need not keep, and its reason was shown without a name."""

    key = "discussion_reactions"
    models = (Reaction,)
    order = EARLY

    def export(self, user: User) -> list[dict[str, Any]]:
        rows = (
            Reaction.objects.filter(user=user)
            .select_related("post__contribution__process")
            .order_by("created_at", "pk")
        )
        return [
            {
                "post": r.post.contribution_id,
                "case": r.post.contribution.process.title,
                "stance": r.stance,
                "reason": r.reason,
                "reason_shown": r.is_visible,
                "created_at": iso(r.created_at),
                "changed_at": iso(r.updated_at),
            }
            for r in rows
        ]

    def erase(self, user: User) -> None:
        Reaction.objects.filter(user=user).delete()


def _own_follows(user: User) -> Any:
    # Only a verified address: an unverified one may be someone else's.
    address = contact.account_email(user)
    mine = Q(user=user)
    if address:
        mine |= Q(email__iexact=address)
    return ThreadFollow.objects.filter(mine)


class DiscussionFollows(PersonalDataSection):
    """Threads followed with the account, or at the account's address. Erasure ends them."""

    key = "discussion_follows"
    models = (ThreadFollow,)
    order = EARLY

    def export(self, user: User) -> list[dict[str, Any]]:
        rows = (
            _own_follows(user)
            .select_related("root__contribution__process")
            .order_by("created_at", "pk")
        )
        return [
            {
                "thread": f.root.contribution_id,
                "case": f.root.contribution.process.title,
                "email": f.email,
                "with_account": f.user_id is not None,
                "confirmed_at": iso(f.confirmed_at),
                "language": f.language,
                "created_at": iso(f.created_at),
            }
            for f in rows
        ]

    def erase(self, user: User) -> None:
        _own_follows(user).delete()


class DiscussionStaff(PersonalDataSection):
    """The questions a staff member added (for the municipality, audited). Erasure keeps
    each question — residents answered it — without the link to the account."""

    key = "discussion_staff"
    models = (Topic, Rules)

    def export(self, user: User) -> list[dict[str, Any]]:
        rows = (
            Topic.objects.filter(created_by=user)
            .select_related("method_instance__process")
            .order_by("created_at", "pk")
        )
        return [
            {
                "question": t.title,
                "case": t.method_instance.process.title,
                "discussion": t.method_instance.title,
                "created_at": iso(t.created_at),
            }
            for t in rows
        ]

    def erase(self, user: User) -> None:
        Topic.objects.filter(created_by=user).update(created_by=None)


SECTIONS: tuple[PersonalDataSection, ...] = (
    DiscussionPosts(),
    DiscussionReactions(),
    DiscussionFollows(),
    DiscussionStaff(),
)
