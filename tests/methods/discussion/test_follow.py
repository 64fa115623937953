"""Following a thread: one click with an account's verified address; anyone else confirms an
e-mail address through a link (token in the path). New replies are e-mailed by a task in the
follower's language, with a link to stop, and never to the reply's own author."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from medvirk.accountability import unsubscribe
from medvirk.accountability.models import EmailOptOut
from medvirk.contributions.actions import do_approve, do_set_moderation_mode
from medvirk.identity.models import User
from medvirk.methods.discussion import links, tasks
from medvirk.methods.discussion.models import ThreadFollow
from medvirk.organisations.models import Municipality
from tests import factories

from .conftest import Discussion, contribution_of, make_discussion

pytestmark = pytest.mark.django_db

ADDRESS = "follower@example.org"


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def test_a_logged_in_resident_follows_with_one_click(
    client: Client, discussion: Discussion, resident: User, django_capture_on_commit_callbacks: Any
) -> None:
    root = discussion.post()
    client.force_login(resident)
    page = client.get(discussion.url("follow", pk=root.pk)).content.decode()
    assert 'value="follow"' in page and 'name="email"' not in page
    response = client.post(discussion.url("follow", pk=root.pk), {"action": "follow"})
    assert response.status_code == 302
    follow = ThreadFollow.objects.get()
    assert (follow.user, follow.email, follow.confirmed_at is not None) == (resident, "", True)
    assert (
        "You follow this thread."
        in client.get(discussion.url("thread", pk=root.pk)).content.decode()
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        discussion.reply(root, "A new reply", author_name="Ola", show_name=True)
    [message] = mail.outbox
    assert message.to == [resident.email]
    assert "A new reply" in message.body and "Ola replied" in message.body
    client.post(discussion.url("follow", pk=root.pk), {"action": "unfollow"})
    assert not ThreadFollow.objects.exists()


def test_an_address_follows_after_confirming_and_can_stop(
    client: Client, discussion: Discussion, django_capture_on_commit_callbacks: Any
) -> None:
    root = discussion.post()
    mail.outbox.clear()
    with translation.override("nn"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            discussion.url("follow", pk=root.pk), {"email": ADDRESS}, HTTP_ACCEPT_LANGUAGE="nn"
        )
    assert response.status_code == 302
    follow = ThreadFollow.objects.get()
    assert follow.confirmed_at is None and follow.language == "nn"
    [confirmation] = mail.outbox
    assert confirmation.to == [ADDRESS]
    [link] = [u for u in _links(confirmation.body) if "/folg/" in u]
    assert f"/folg/{follow.pk}/" in link and "?" not in link  # the token is in the path
    # Before confirming, a reply sends nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        discussion.reply(root, "Unseen")
    assert mail.outbox == []
    assert client.get(_path(link)).status_code == 302
    follow.refresh_from_db()
    assert follow.confirmed_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        discussion.reply(root, "Seen by the follower")
    [news] = mail.outbox
    assert news.to == [ADDRESS]
    assert "Seen by the follower" in news.body
    assert "List-Unsubscribe" in news.extra_headers
    [stop] = [u for u in _links(news.body) if u.rstrip("/").endswith("slutt")]
    assert client.get(_path(stop)).status_code == 200  # a scanner opening it changes nothing
    assert ThreadFollow.objects.exists()
    assert client.post(_path(stop)).status_code == 302
    assert not ThreadFollow.objects.exists()


def test_a_wrong_or_swapped_token_is_not_found(client: Client, discussion: Discussion) -> None:
    root = discussion.post()
    follow = ThreadFollow.objects.create(root=root, email=ADDRESS, nonce="n" * 32)
    confirm = links.follow_token(follow, links.CONFIRM)
    stop = links.follow_token(follow, links.STOP)
    assert (
        client.get(discussion.url("follow_confirm", pk=follow.pk, token="x" * 40)).status_code
        == 404
    )
    # The stop token does not confirm, and the confirmation token does not stop.
    assert client.get(discussion.url("follow_confirm", pk=follow.pk, token=stop)).status_code == 404
    assert client.post(discussion.url("unfollow", pk=follow.pk, token=confirm)).status_code == 404
    # Another discussion's address for the same follow is not found either.
    other = make_discussion(discussion.instance.process.municipality)
    assert client.get(other.url("follow_confirm", pk=follow.pk, token=confirm)).status_code == 404
    follow.refresh_from_db()
    assert follow.confirmed_at is None


def test_asking_twice_reveals_nothing_and_sends_once(
    client: Client, discussion: Discussion, django_capture_on_commit_callbacks: Any
) -> None:
    root = discussion.post()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(discussion.url("follow", pk=root.pk), {"email": ADDRESS})
        second = client.post(discussion.url("follow", pk=root.pk), {"email": ADDRESS.upper()})
    assert first.status_code == second.status_code == 302
    assert ThreadFollow.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_bad_address_is_refused(client: Client, discussion: Discussion) -> None:
    root = discussion.post()
    response = client.post(discussion.url("follow", pk=root.pk), {"email": "not an address"})
    assert response.status_code == 400
    assert "The e-mail address is not valid." in response.content.decode()
    assert not ThreadFollow.objects.exists()


def test_the_author_of_a_reply_is_not_told_of_it(
    discussion: Discussion, resident: User, django_capture_on_commit_callbacks: Any
) -> None:
    root = discussion.post()
    ThreadFollow.objects.create(
        root=root, user=resident, nonce="a" * 32, confirmed_at=root.last_activity_at
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        discussion.reply(root, "My own reply", resident)
    assert mail.outbox == []


def test_a_reply_approved_later_is_news_then(
    discussion: Discussion, moderator: User, django_capture_on_commit_callbacks: Any
) -> None:
    root = discussion.post()
    ThreadFollow.objects.create(
        root=root, email=ADDRESS, nonce="b" * 32, confirmed_at=root.last_activity_at, language="en"
    )
    municipality = discussion.instance.process.municipality
    do_set_moderation_mode(factories.administrator(municipality), municipality, "pre")
    municipality.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        waiting = discussion.reply(root, "Waits for a moderator")
    assert mail.outbox == []
    root.refresh_from_db()
    assert root.reply_count == 0
    with django_capture_on_commit_callbacks(execute=True):
        do_approve(moderator, contribution_of(waiting))
    root.refresh_from_db()
    assert root.reply_count == 1
    assert [m.to for m in mail.outbox if "Waits for a moderator" in m.body] == [[ADDRESS]]


def test_an_address_that_opted_out_of_the_case_gets_nothing(discussion: Discussion) -> None:
    root = discussion.post()
    ThreadFollow.objects.create(
        root=root, email=ADDRESS, nonce="c" * 32, confirmed_at=root.last_activity_at
    )
    EmailOptOut.objects.create(
        process=discussion.instance.process, email_hash=unsubscribe.email_hash(ADDRESS)
    )
    reply = discussion.reply(root)
    mail.outbox.clear()
    assert tasks.notify_followers.call(reply.pk) == 0
    assert mail.outbox == []


def test_the_email_is_in_the_followers_language(discussion: Discussion) -> None:
    root = discussion.post()
    ThreadFollow.objects.create(
        root=root, email=ADDRESS, nonce="d" * 32, confirmed_at=root.last_activity_at, language="nn"
    )
    reply = discussion.reply(root, "Hei")
    mail.outbox.clear()
    with translation.override("en"):
        assert tasks.notify_followers.call(reply.pk) == 1
    [message] = mail.outbox
    with translation.override("nn"):
        expected = tasks._("New reply in the discussion «%(discussion)s»") % {
            "discussion": discussion.instance.title
        }
    assert message.subject == expected


def test_following_can_be_turned_off(client: Client, org: Municipality) -> None:
    d = make_discussion(org, settings={"following": False})
    root = d.post()
    assert client.get(d.url("follow", pk=root.pk)).status_code == 403
    assert client.post(d.url("follow", pk=root.pk), {"email": ADDRESS}).status_code == 403
    assert "Follow the thread" not in client.get(d.url("thread", pk=root.pk)).content.decode()
    assert not ThreadFollow.objects.exists()
