"""A person's discussion data in «Mine data», and what erasure does to it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from medvirk.identity import actions as identity_actions
from medvirk.identity.models import User
from medvirk.identity.queries import export_my_data
from medvirk.methods.discussion import actions, staff_actions
from medvirk.methods.discussion.models import Post, Reaction, ThreadFollow, Topic
from tests import factories

from .conftest import Discussion, contribution_of

pytestmark = pytest.mark.django_db


def test_export_holds_posts_reactions_follows_and_questions(
    discussion: Discussion, resident: User, officer: User
) -> None:
    root = discussion.post("Mine", resident, show_name=True)
    reply = discussion.reply(root, "Staff reply", officer)
    other = discussion.post("Someone else's")
    actions.do_react(resident, discussion.instance, other.pk, "disagree", "Not so sure")
    actions.do_follow_with_account(resident, discussion.instance, other.pk)
    ThreadFollow.objects.create(
        root=root, email=resident.email.upper(), nonce="x" * 32, confirmed_at=timezone.now()
    )
    ThreadFollow.objects.create(root=root, email="someone@example.org", nonce="y" * 32)
    staff_actions.do_save_topic(officer, discussion.instance, title="Officer's question")

    data = export_my_data(resident)
    [post] = data["discussion_posts"]
    assert (post["contribution"], post["role_shown"]) == (root.contribution_id, "")
    [reaction] = data["discussion_reactions"]
    assert (reaction["stance"], reaction["reason"]) == ("disagree", "Not so sure")
    follows = data["discussion_follows"]
    assert len(follows) == 2 and all(f["email"] != "someone@example.org" for f in follows)

    staff = export_my_data(officer)
    [staff_post] = staff["discussion_posts"]
    assert staff_post["role_shown"] == Post.objects.get(pk=reply.pk).role_label
    assert staff_post["in_reply_to"] == root.contribution_id
    assert [t["question"] for t in staff["discussion_staff"]] == ["Officer's question"]


def test_erasure_unlinks_posts_and_removes_reactions_and_follows(
    discussion: Discussion, resident: User, officer: User
) -> None:
    root = discussion.post("Mine", resident, show_name=True)
    reply = discussion.reply(root, "Staff reply", officer)
    other = discussion.post()
    actions.do_react(resident, discussion.instance, other.pk, "agree", "Yes")
    actions.do_follow_with_account(resident, discussion.instance, other.pk)
    topic = staff_actions.do_save_topic(officer, discussion.instance, title="Q")

    identity_actions.do_erase_account(resident)
    assert not Reaction.objects.exists() and not ThreadFollow.objects.exists()
    c = contribution_of(root)
    assert (c.author, c.show_name) == (None, False)
    assert Post.objects.filter(pk=root.pk).exists()  # the post stays, without a name

    identity_actions.do_erase_account(officer)
    assert Post.objects.get(pk=reply.pk).role_label == ""
    assert Topic.objects.get(pk=topic.pk).created_by is None
    assert factories  # builders used above
