"""A participant adds a statement: input (a contribution) a moderator reads before anyone
votes on it, answerable from the inbox; hostile text is refused or shown as text, never
run; a fødselsnummer is masked and held; rapid posting is limited."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from medvirk.contributions.actions import do_approve, do_hide, do_reject
from medvirk.contributions.models import Contribution, ModerationState
from medvirk.methods.opinion_map import actions, queries
from medvirk.methods.opinion_map.models import Statement, Vote
from medvirk.organisations.models import Municipality
from tests import factories

from .conftest import EN, Conversation, browser, make_conversation, vote

pytestmark = pytest.mark.django_db


def add(client: Client, conversation: Conversation, text: str, **extra: str) -> Any:
    return client.post(conversation.url("add"), {"text": text, **extra}, **EN)


def test_a_statement_waits_for_a_moderator_then_is_voted_on(
    org: Municipality, moderator: Any
) -> None:
    conversation = make_conversation(org, texts=["The municipality's one."])
    client = browser(conversation)
    form = client.get(conversation.url("add"), **EN)
    assert form.status_code == 200
    assert form["Cache-Control"] == "private, no-store"
    response = add(client, conversation, "  The   gym should be open\nin the evenings. ")
    assert response.status_code == 302
    assert "/kvittering/" in response["Location"]

    contribution = Contribution.objects.get(kind="opinion_statement")
    assert contribution.moderation == ModerationState.PENDING
    assert contribution.needs_answer and contribution.author is None
    statement = Statement.objects.get(contribution=contribution)
    assert statement.text == "The gym should be open in the evenings."
    assert not statement.is_seed and statement.is_active

    # Not shown, and not votable, before a moderator has read it.
    vote(client, conversation, conversation.statements[0], "agree")
    assert 'id="all-done"' in client.get(conversation.url(), **EN).content.decode()
    refused = vote(client, conversation, statement, "agree")
    assert refused.status_code == 400
    assert statement.text not in Client().get(conversation.url("map"), **EN).content.decode()

    do_approve(moderator, contribution)
    page = client.get(conversation.url(), **EN).content.decode()
    assert statement.text in page
    assert vote(client, conversation, statement, "agree").status_code == 302
    assert Vote.objects.filter(statement=statement).count() == 1

    # Hidden later: out of the vote and off the pages, its votes kept.
    do_hide(moderator, contribution, "Names a person.")
    assert Statement.objects.filter(actions.VOTABLE, pk=statement.pk).count() == 0
    assert statement.text not in Client().get(conversation.url("map"), **EN).content.decode()
    assert Vote.objects.filter(statement=statement).count() == 1


def test_a_rejected_statement_never_reaches_the_vote(
    conversation: Conversation, moderator: Any
) -> None:
    receipt = actions.do_add_statement(AnonymousUser(), conversation.instance, "Spam spam spam.")
    do_reject(moderator, receipt.contribution, "Advertising.")
    assert not Statement.objects.filter(actions.VOTABLE, contribution=receipt.contribution)
    assert queries.waiting_count(conversation.instance) == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write the statement."),
        ("   \u200b  ", "Write the statement."),
        ("x" * 141, "at most 140 characters"),
        ("y" * 5000, "at most 140 characters"),
    ],
)
def test_empty_or_huge_statements_are_refused(
    conversation: Conversation, text: str, message: str
) -> None:
    response = add(browser(conversation), conversation, text)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'id="error-summary"' in html
    assert not Contribution.objects.exists() and Statement.objects.count() == 10


def test_the_same_statement_twice_is_refused(conversation: Conversation) -> None:
    existing = conversation.statements[0].text
    response = add(browser(conversation), conversation, existing.upper())
    assert response.status_code == 409
    assert "already in the conversation" in response.content.decode()
    assert not Contribution.objects.exists()


def test_hostile_text_is_shown_as_text_never_run(
    conversation: Conversation, moderator: Any
) -> None:
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    client = browser(conversation)
    assert add(client, conversation, hostile).status_code == 302
    contribution = Contribution.objects.get(kind="opinion_statement")
    do_approve(moderator, contribution)
    for name in ("", "map"):
        html = Client().get(conversation.url(name), **EN).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html
    html = Client().get(conversation.url("map"), **EN).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_national_identity_number_is_masked_and_held(conversation: Conversation) -> None:
    response = add(browser(conversation), conversation, "Call me, my number is 01019000083.")
    assert response.status_code == 302
    contribution = Contribution.objects.get(kind="opinion_statement")
    assert contribution.moderation == ModerationState.HELD
    statement = Statement.objects.get(contribution=contribution)
    assert "01019000083" not in statement.text
    assert "01019000083" not in contribution.text


def test_rapid_posting_is_limited(conversation: Conversation, settings: Any) -> None:
    settings.MEDVIRK_RATE_LIMITS = {**settings.MEDVIRK_RATE_LIMITS, "input": "2/10m"}
    client = browser(conversation)
    assert add(client, conversation, "First new thought.").status_code == 302
    assert add(client, conversation, "Second new thought.").status_code == 302
    limited = add(client, conversation, "Third new thought.")
    assert limited.status_code == 429 and limited["Retry-After"]
    # What the person typed is kept in the form.
    assert "Third new thought." in limited.content.decode()
    assert Contribution.objects.count() == 2


def test_statements_can_be_turned_off(org: Municipality) -> None:
    conversation = make_conversation(org, settings={"allow_statements": False})
    client = browser(conversation)
    assert client.get(conversation.url("add"), **EN).status_code == 403
    assert add(client, conversation, "Let me add one.").status_code == 403
    assert 'id="add-link"' not in client.get(conversation.url(), **EN).content.decode()
    assert not Contribution.objects.exists()


def test_a_logged_in_person_s_answer_goes_to_their_address(
    conversation: Conversation,
) -> None:
    person = factories.user(email_verified=True)
    client = Client()
    client.force_login(person)
    form = client.get(conversation.url("add"), **EN).content.decode()
    assert 'name="contact_email"' not in form
    assert add(client, conversation, "Logged in thought.").status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.author == person and contribution.contact_email == person.email


def test_an_anonymous_person_may_leave_an_address(conversation: Conversation) -> None:
    client = browser(conversation)
    bad = add(client, conversation, "Thought.", contact_email="not-an-address")
    assert bad.status_code == 400 and not Contribution.objects.exists()
    assert (
        add(client, conversation, "Thought.", contact_email="kari@example.org").status_code == 302
    )
    assert Contribution.objects.get().contact_email == "kari@example.org"
