"""Moderating the discussion with the core's tools: reports from the thread, the reason in
place of a hidden post, the answer from the inbox under a post, and two moderators acting
at once on one post leaving one state."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from medvirk.accountability.actions import do_respond
from medvirk.contributions import actions as contributions
from medvirk.contributions.models import Contribution, ModerationState, Report
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.discussion.models import Post
from medvirk.organisations.models import Role
from tests import factories
from tests.concurrency import in_parallel

from .conftest import Discussion, contribution_of

pytestmark = pytest.mark.django_db


def test_a_post_is_reported_from_the_thread(client: Client, discussion: Discussion) -> None:
    root = discussion.post()
    url = discussion.url("report", pk=root.pk)
    page = client.get(url)
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    assert "Rules for the discussion" in page.content.decode()
    response = client.post(url, {"reason": "offensive", "note": "Rude"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#innlegg-{root.pk}")
    report = Report.objects.get()
    assert (report.contribution_id, report.reason) == (root.contribution_id, "offensive")
    again = client.post(url, {"reason": "spam"}, follow=True)
    assert "already reported" in again.content.decode()
    assert Report.objects.count() == 1


def test_a_report_without_a_reason_is_refused(client: Client, discussion: Discussion) -> None:
    root = discussion.post()
    response = client.post(discussion.url("report", pk=root.pk), {"note": "?"})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_hidden_post_cannot_be_reported_or_reacted_to(
    client: Client, discussion: Discussion, moderator: User
) -> None:
    root = discussion.post()
    contributions.do_hide(moderator, contribution_of(root), "Off topic")
    assert client.get(discussion.url("report", pk=root.pk)).status_code == 404
    reaction = client.post(discussion.url("react", pk=root.pk), {"stance": "agree", "reason": "x"})
    assert reaction.status_code == 409


def test_staff_see_their_links_on_each_post(
    client: Client, discussion: Discussion, moderator: User, officer: User
) -> None:
    root = discussion.post()
    reply = discussion.reply(root)
    client.force_login(moderator)
    html = client.get(discussion.url("thread", pk=root.pk)).content.decode()
    assert f"/stab/innspel/{reply.contribution_id}/moderering/" in html
    assert "Answer in the inbox" not in html
    client.force_login(officer)
    html = client.get(discussion.url("thread", pk=root.pk)).content.decode()
    assert f'href="/stab/innspel/{root.contribution_id}/"' in html
    assert f'href="/stab/innspel/{reply.contribution_id}/"' not in html  # replies wait for none


def test_the_answer_from_the_inbox_shows_under_the_post(
    client: Client, discussion: Discussion, officer: User
) -> None:
    root = discussion.post()
    do_respond(
        officer,
        discussion.instance.process,
        [root.contribution_id],
        "adopted",
        "The gym will be open until nine.",
    )
    html = client.get(discussion.url("thread", pk=root.pk)).content.decode()
    assert "The gym will be open until nine." in html
    listing = client.get(discussion.url("topic", pk=discussion.topic.pk)).content.decode()
    assert "The gym will be open until nine." in listing


def test_top_level_posts_wait_in_the_inbox_and_replies_do_not(
    client: Client, discussion: Discussion, officer: User
) -> None:
    root = discussion.post("Wants an answer")
    discussion.reply(root, "Just a reply")
    client.force_login(officer)
    response = client.get(
        f"/stab/sak/{discussion.instance.process_id}/innspel/?metode={discussion.instance.pk}"
    )
    html = response.content.decode()
    assert "Wants an answer" in html and "Just a reply" not in html


# -- two moderators at once --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_moderators_hiding_one_post_at_once_leave_one_state(
    discussion: Discussion,
) -> None:
    org = discussion.instance.process.municipality
    root = discussion.post()
    reply = discussion.reply(root, "Say it twice", contact_email="a@example.org")
    moderators = [factories.staff(org, Role.MODERATOR) for _i in range(4)]
    mail.outbox.clear()

    def hide(i: int) -> int:
        try:
            contributions.do_hide(
                moderators[i], Contribution.objects.get(pk=reply.contribution_id), f"Reason {i}"
            )
        except ActionRefused as refused:
            return refused.status
        return 200

    outcomes = in_parallel(hide, len(moderators))
    assert sorted(outcomes) == [200, 409, 409, 409]
    c = contribution_of(reply)
    assert (c.moderation, c.hidden_reason) == (
        ModerationState.HIDDEN,
        f"Reason {outcomes.index(200)}",
    )
    root.refresh_from_db()
    assert root.reply_count == 1  # hidden in place: still in the thread


@pytest.mark.django_db(transaction=True)
def test_approve_and_reject_at_once_leave_one_state_and_right_counts(
    discussion: Discussion,
) -> None:
    org = discussion.instance.process.municipality
    contributions.do_set_moderation_mode(factories.administrator(org), org, "pre")
    root = discussion.post()
    contributions.do_approve(factories.staff(org, Role.MODERATOR), contribution_of(root))
    waiting = discussion.reply(root, "Waits")
    assert contribution_of(waiting).moderation == ModerationState.PENDING
    moderators = [factories.staff(org, Role.MODERATOR) for _i in range(4)]

    def act(i: int) -> str:
        c = Contribution.objects.get(pk=waiting.contribution_id)
        try:
            if i % 2:
                contributions.do_reject(moderators[i], c, "No")
            else:
                contributions.do_approve(moderators[i], c)
        except ActionRefused:
            return "refused"
        return "rejected" if i % 2 else "approved"

    outcomes = in_parallel(act, len(moderators))
    done = [o for o in outcomes if o != "refused"]
    assert len(done) == 1
    c = contribution_of(waiting)
    root.refresh_from_db()
    if done == ["approved"]:
        assert c.moderation == ModerationState.PUBLISHED
        assert root.reply_count == 1
    else:
        assert c.moderation == ModerationState.REJECTED
        assert root.reply_count == 0


@pytest.mark.django_db(transaction=True)
def test_replies_at_once_count_every_one(discussion: Discussion) -> None:
    root = discussion.post()

    def reply(i: int) -> Any:
        return discussion.reply(Post.objects.get(pk=root.pk), f"Reply {i}").pk

    made = in_parallel(reply, 5)
    assert len(set(made)) == 5
    root.refresh_from_db()
    assert root.reply_count == 5
