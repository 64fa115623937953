"""Agree or disagree with a reason: one per person per post, changed or taken back; a
reason with a personal number or contact details is kept from view for a moderator."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.discussion import actions
from medvirk.methods.discussion.models import Reaction
from medvirk.organisations.models import Municipality

from .conftest import Discussion, make_discussion

pytestmark = pytest.mark.django_db


def _react(client: Client, d: Discussion, pk: int, **data: Any) -> Any:
    return client.post(d.url("react", pk=pk), data)


def test_a_resident_agrees_with_a_reason_and_sees_it_with_the_post(
    client: Client, discussion: Discussion
) -> None:
    post = discussion.post()
    page = client.get(discussion.url("react", pk=post.pk))
    assert page.status_code == 200
    assert 'name="stance"' in page.content.decode()
    response = _react(client, discussion, post.pk, stance="agree", reason="Clubs need rooms.")
    assert response.status_code == 302
    reaction = Reaction.objects.get()
    assert (reaction.stance, reaction.reason, reaction.is_visible) == (
        "agree",
        "Clubs need rooms.",
        True,
    )
    assert reaction.user is None and len(reaction.person_key) == 64
    thread = client.get(discussion.url("thread", pk=post.pk)).content.decode()
    assert "1 agrees" in thread and "you agree" in thread
    reasons = client.get(discussion.url("react", pk=post.pk)).content.decode()
    assert "Clubs need rooms." in reasons


def test_one_reaction_per_person_changed_and_taken_back(
    client: Client, discussion: Discussion
) -> None:
    post = discussion.post()
    _react(client, discussion, post.pk, stance="agree", reason="First")
    _react(client, discussion, post.pk, stance="disagree", reason="Changed my mind")
    reaction = Reaction.objects.get()
    assert (reaction.stance, reaction.reason) == ("disagree", "Changed my mind")
    page = client.get(discussion.url("react", pk=post.pk)).content.decode()
    assert 'id="own-reaction"' in page and 'value="withdraw"' in page
    response = _react(client, discussion, post.pk, action="withdraw")
    assert response.status_code == 302
    assert not Reaction.objects.exists()


def test_another_browser_counts_as_another_person(client: Client, discussion: Discussion) -> None:
    post = discussion.post()
    _react(client, discussion, post.pk, stance="agree", reason="One")
    _react(Client(), discussion, post.pk, stance="agree", reason="Two")
    assert Reaction.objects.count() == 2


def test_a_reason_is_required_and_limited(client: Client, discussion: Discussion) -> None:
    post = discussion.post()
    response = _react(client, discussion, post.pk, stance="agree", reason=" ")
    assert response.status_code == 400
    assert "Say why you agree or disagree" in response.content.decode()
    response = _react(client, discussion, post.pk, stance="agree", reason="x" * 501)
    assert response.status_code == 400
    response = _react(client, discussion, post.pk, stance="love", reason="x")
    assert response.status_code == 400
    assert not Reaction.objects.exists()


@pytest.mark.parametrize(
    "reason",
    ["Call me on 912 34 567", "Mail kari@example.org", "See https://example.org", "01010012356"],
)
def test_a_reason_with_contact_details_or_a_number_is_kept_back(
    client: Client, discussion: Discussion, reason: str
) -> None:
    post = discussion.post()
    response = _react(client, discussion, post.pk, stance="agree", reason=reason)
    assert response.status_code == 302
    reaction = Reaction.objects.get()
    assert reaction.is_visible is False
    assert "01010012356" not in reaction.reason  # masked if it was a personal number
    assert reaction.reason not in Client().get(discussion.url("react", pk=post.pk)).content.decode()
    own = client.get(discussion.url("react", pk=post.pk)).content.decode()
    assert 'id="reason-kept-back"' in own  # the person is told why it is not shown
    # The stance still counts.
    assert "1 agrees" in client.get(discussion.url("thread", pk=post.pk)).content.decode()


def test_no_reaction_to_ones_own_post(discussion: Discussion, resident: User) -> None:
    post = discussion.post("Mine", resident)
    with pytest.raises(ActionRefused, match="your own post"):
        actions.do_react(resident, discussion.instance, post.pk, "agree", "Me too")


def test_reactions_can_be_turned_off(client: Client, org: Municipality) -> None:
    d = make_discussion(org, settings={"reactions": False})
    post = d.post()
    response = _react(client, d, post.pk, stance="agree", reason="x")
    assert response.status_code == 403
    assert "Agree or disagree" not in client.get(d.url("thread", pk=post.pk)).content.decode()
    assert not Reaction.objects.exists()


def test_a_browser_without_a_session_is_refused_by_the_action(discussion: Discussion) -> None:
    post = discussion.post()
    with pytest.raises(ActionRefused) as refused:
        actions.do_react(AnonymousUser(), discussion.instance, post.pk, "agree", "x")
    assert refused.value.status == 400


def test_a_logged_in_person_reacts_once_from_any_device(
    discussion: Discussion, resident: User
) -> None:
    post = discussion.post()
    one, two = Client(), Client()
    one.force_login(resident)
    two.force_login(resident)
    _react(one, discussion, post.pk, stance="agree", reason="Phone")
    _react(two, discussion, post.pk, stance="agree", reason="Laptop")
    reaction = Reaction.objects.get()
    assert (reaction.user, reaction.reason) == (resident, "Laptop")
