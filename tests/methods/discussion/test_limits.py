"""Rapid posting: per address and per person (account or browser), a 429 page that keeps
what the person wrote and says when to come back; nothing is stored past the limit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from medvirk.identity.models import User
from medvirk.methods.discussion.models import Post, Reaction

from .conftest import Discussion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tight(settings: Any) -> None:
    settings.MEDVIRK_RATE_LIMITS = {**settings.MEDVIRK_RATE_LIMITS, "input": "3/10m"}


def _post(client: Client, d: Discussion, text: str, address: str = "10.0.0.1") -> Any:
    return client.post(d.url("new"), {"topic": str(d.topic.pk), "text": text}, REMOTE_ADDR=address)


def test_rapid_posting_from_one_address_gets_429_with_the_text_kept(
    client: Client, discussion: Discussion
) -> None:
    for n in range(3):
        assert _post(Client(), discussion, f"Post {n}").status_code == 302
    response = _post(client, discussion, "The fourth, kept for later")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Too many attempts from your connection" in html
    assert "The fourth, kept for later" in html  # the textarea keeps it
    assert response["Cache-Control"] == "private, no-store"
    assert Post.objects.count() == 3


def test_one_person_moving_between_addresses_is_limited_too(
    client: Client, discussion: Discussion, resident: User
) -> None:
    client.force_login(resident)
    for n in range(3):
        assert _post(client, discussion, f"Post {n}", address=f"10.0.1.{n}").status_code == 302
    response = _post(client, discussion, "From yet another address", address="10.0.1.99")
    assert response.status_code == 429
    assert "From yet another address" in response.content.decode()
    assert Post.objects.count() == 3


def test_replies_count_against_the_same_limit(client: Client, discussion: Discussion) -> None:
    root = discussion.post()
    url = discussion.url("reply", pk=root.pk)
    for n in range(3):
        assert client.post(url, {"text": f"Reply {n}"}, REMOTE_ADDR="10.0.2.1").status_code == 302
    response = client.post(url, {"text": "One too many"}, REMOTE_ADDR="10.0.2.1")
    assert response.status_code == 429
    assert "One too many" in response.content.decode()
    assert Post.objects.count() == 4


def test_reactions_are_limited_with_the_reason_kept(client: Client, discussion: Discussion) -> None:
    posts = [discussion.post(f"Post {n}") for n in range(4)]
    for post in posts[:3]:
        response = client.post(
            discussion.url("react", pk=post.pk),
            {"stance": "agree", "reason": "Good"},
            REMOTE_ADDR="10.0.3.1",
        )
        assert response.status_code == 302
    response = client.post(
        discussion.url("react", pk=posts[3].pk),
        {"stance": "disagree", "reason": "Kept reason"},
        REMOTE_ADDR="10.0.3.1",
    )
    assert response.status_code == 429
    assert "Kept reason" in response.content.decode()
    assert Reaction.objects.count() == 3
