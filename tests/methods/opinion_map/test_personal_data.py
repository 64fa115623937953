"""«Mine data» and erasure for the opinion map: a logged-in participant's votes and group,
and the statements they added; erasure keeps the votes in the map but unties them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from medvirk.contributions.actions import do_approve
from medvirk.identity.actions import do_erase_account
from medvirk.identity.queries import export_my_data
from medvirk.methods.opinion_map import actions
from medvirk.methods.opinion_map.models import Participant, Statement, Vote
from tests import factories

from .conftest import Conversation, draw

pytestmark = pytest.mark.django_db


def test_export_and_erasure(conversation: Conversation, moderator: Any) -> None:
    person = factories.user("siri")
    instance = conversation.instance
    receipt = actions.do_add_statement(person, instance, "My own statement.")
    do_approve(moderator, receipt.contribution)
    actions.do_votes(
        person,
        instance,
        {conversation.statements[0].pk: 1, conversation.statements[1].pk: -1},
        session_key=None,
    )
    actions.do_votes(
        AnonymousUser(), instance, {conversation.statements[0].pk: 0}, session_key="someone"
    )
    draw(conversation)

    data = export_my_data(person)
    json.dumps(data)
    [participation] = data["opinion_map_votes"]
    assert participation["conversation"] == instance.title
    assert participation["votes"] == [
        {
            "statement": conversation.statements[0].text,
            "vote": "agree",
            "voted_at": participation["votes"][0]["voted_at"],
        },
        {
            "statement": conversation.statements[1].text,
            "vote": "disagree",
            "voted_at": participation["votes"][1]["voted_at"],
        },
    ]
    [statement] = data["opinion_map_statements"]
    assert statement["statement"] == "My own statement."
    assert statement["moderation"] == "published" and statement["in_the_vote"]
    # Another person's anonymous votes are nobody's export.
    assert len(export_my_data(factories.user())["opinion_map_votes"]) == 0

    mine = Participant.objects.get(user=person)
    old_key = mine.key
    do_erase_account(person)
    mine.refresh_from_db()
    assert mine.user is None and mine.key != old_key and mine.key.startswith("erased:")
    # The votes stay in the map, the statement in the conversation.
    assert Vote.objects.filter(participant=mine).count() == 2
    assert Statement.objects.filter(text="My own statement.").exists()
    assert actions.participant_key(instance.pk, person, None) != mine.key
