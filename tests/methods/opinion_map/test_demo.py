"""The Lillevik demo's opinion map: nynorsk statements about the school, about 120 people
voting in latent groups so the map shows groups and common ground, participants'
statements (one answered, one waiting for the moderator)."""

from __future__ import annotations

import random

import pytest
from django.test import Client

from medvirk.accountability.models import Response
from medvirk.contributions.models import Contribution, ModerationState
from medvirk.methods.opinion_map import demo, queries
from medvirk.methods.opinion_map.models import OpinionMap, Participant, Statement
from medvirk.organisations.models import Municipality, Role
from tests import factories

from .conftest import EN, Conversation, make_conversation

pytestmark = pytest.mark.django_db


def test_the_demo_shows_groups_and_common_ground(org: Municipality) -> None:
    factories.staff(org, Role.CASE_OFFICER)
    factories.staff(org, Role.MODERATOR)
    conversation = make_conversation(org, texts=[])
    made = demo.seed(conversation.instance, random.Random(20261123))
    assert made == 3
    instance = conversation.instance
    assert 12 <= Statement.objects.filter(method_instance=instance, is_seed=True).count() <= 16
    assert Participant.objects.filter(method_instance=instance).count() == 120
    row = OpinionMap.objects.get(method_instance=instance)
    view = queries.map_view(instance, row, None)
    assert len(view.shown_groups) >= 2
    assert view.consensus, "common ground shows"
    assert all(g.representative for g in view.shown_groups)
    contributions = Contribution.objects.filter(method_instance=instance)
    assert contributions.filter(moderation=ModerationState.PENDING).count() == 1
    assert Response.objects.filter(contribution__in=contributions).count() == 1
    html = Client().get(Conversation(instance, []).url("map"), **EN).content.decode()
    assert "Elevrådet bør vere med og bestemme korleis skulen blir." in html
    assert "Kommunedirektøren tilrår ein gymsal" in html


def test_the_demo_seeds_without_staff(org: Municipality) -> None:
    conversation = make_conversation(org, texts=[])
    assert demo.seed(conversation.instance, random.Random(7)) >= 1
    assert OpinionMap.objects.get(method_instance=conversation.instance).votes_seen > 500
