"""A person's ideas, comments and supports in «Mine data», and what erasure does to them."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from medvirk.contributions.models import Contribution
from medvirk.identity import actions as identity_actions
from medvirk.identity.models import User
from medvirk.identity.queries import export_my_data
from medvirk.methods.ideas import staff_actions
from medvirk.methods.ideas.models import Idea, IdeaComment, Support

from .conftest import EN, Board

pytestmark = pytest.mark.django_db


def test_mine_data_holds_my_ideas_comments_and_supports(
    board: Board, resident: User, officer: User
) -> None:
    mine = board.idea("My idea", user=resident, category="Culture", show_name=True)
    other = board.idea("Someone else's idea")
    board.comment(other, "My comment", user=resident)
    board.support(other, user=resident)
    board.support(mine, browser="anonymous-browser")  # tied to no one
    staff_actions.do_move_to_case(officer, board.instance, mine.pk, board.instance.process_id)

    data = export_my_data(resident)
    json.dumps(data)  # JSON-safe
    section = data["idea_board"]
    [idea] = section["ideas"]
    assert idea["contribution"] == mine.pk and idea["title"] == "My idea"
    assert idea["category"] == "Culture" and idea["taken_up"] == "moved"
    assert idea["taken_up_in"] == board.instance.process.title
    [comment] = section["comments"]
    assert comment["on_idea"] == other.pk and comment["idea_title"] == "Someone else's idea"
    [support] = data["idea_supports"]
    assert support["idea"] == other.pk and support["idea_title"] == "Someone else's idea"
    # Nothing about anyone else.
    assert "anonymous-browser" not in json.dumps(data)
    assert len(data["idea_supports"]) == 1


def test_erasure_deletes_the_supports_and_keeps_ideas_without_a_name(
    board: Board, resident: User
) -> None:
    mine = board.idea("My idea", user=resident, show_name=True)
    other = board.idea("Another idea")
    board.comment(other, "My comment", user=resident)
    board.support(other, user=resident)
    board.support(mine, user=resident)
    board.supporters(other, 2)

    identity_actions.do_erase_account(resident)

    assert not User.objects.filter(pk=resident.pk).exists()
    assert Support.objects.filter(idea=other).count() == 2
    assert not Support.objects.filter(idea=mine).exists()
    idea = Idea.objects.select_related("contribution").get(pk=mine.pk)
    assert idea.title == "My idea"
    assert idea.contribution.author is None and not idea.contribution.show_name
    assert IdeaComment.objects.count() == 1
    assert Contribution.objects.get(pk=IdeaComment.objects.get().pk).author is None
    html = Client(**EN).get(board.url("idea", pk=mine.pk)).content.decode()
    assert "Kari Nordmann" not in html
