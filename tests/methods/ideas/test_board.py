"""The board: sorted by newest, most supported or most commented, filtered by category and
state, a page at a time, in a fixed number of queries whatever the number of ideas."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from medvirk.identity.models import User
from medvirk.methods.ideas import queries, staff_actions
from medvirk.methods.ideas.forms import MOST_COMMENTED, MOST_SUPPORTED
from tests import factories

from .conftest import EN, Board

pytestmark = pytest.mark.django_db


def _titles(html: str) -> list[str]:
    return re.findall(r'id="ide-\d+-title"><a class="ds-link" href="[^"]+">([^<]+)</a>', html)


def test_the_board_sorts_by_newest_supported_and_commented(board: Board) -> None:
    first, second, third = board.idea("First"), board.idea("Second"), board.idea("Third")
    board.supporters(first, 3)
    board.supporters(second, 1)
    for _n in range(2):
        board.comment(second)
    board.comment(third)
    client = Client(**EN)
    assert _titles(client.get(board.url()).content.decode()) == ["Third", "Second", "First"]
    supported = client.get(board.url() + f"?sorter={MOST_SUPPORTED}").content.decode()
    assert _titles(supported) == ["First", "Second", "Third"]
    commented = client.get(board.url() + f"?sorter={MOST_COMMENTED}").content.decode()
    assert _titles(commented) == ["Second", "Third", "First"]


def test_the_board_filters_by_category_and_state(board: Board, officer: User) -> None:
    road = board.idea("Road idea", category="Roads and traffic")
    board.idea("Culture idea", category="Culture")
    answered = board.idea("Answered idea", category="Culture")
    factories.response(answered.contribution, "adopted", "Yes.", by=officer)
    staff_actions.do_move_to_case(officer, board.instance, road.pk, board.instance.process_id)
    client = Client(**EN)
    culture = client.get(board.url() + "?kategori=Culture").content.decode()
    assert sorted(_titles(culture)) == ["Answered idea", "Culture idea"]
    assert "2 ideas" in culture
    both = client.get(board.url() + "?kategori=Culture&status=answered").content.decode()
    assert _titles(both) == ["Answered idea"]
    moved = client.get(board.url() + "?status=moved").content.decode()
    assert _titles(moved) == ["Road idea"]
    new = client.get(board.url() + "?status=new").content.decode()
    assert _titles(new) == ["Culture idea"]
    nothing = client.get(board.url() + "?status=merged").content.decode()
    assert _titles(nothing) == [] and "No ideas match" in nothing


def test_the_board_pages_through_many_ideas(board: Board) -> None:
    for n in range(queries.PER_PAGE + 3):
        board.idea(f"Idea {n}")
    client = Client(**EN)
    first = client.get(board.url()).content.decode()
    assert len(_titles(first)) == queries.PER_PAGE
    assert "side=2" in first
    second = client.get(board.url() + "?side=2").content.decode()
    assert len(_titles(second)) == 3


def _queries(client: Client, url: str) -> int:
    # Once first: what a first request alone does (a session saved, a cache filled) is
    # not the page's cost per idea.
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_board_and_an_idea_take_a_fixed_number_of_queries(board: Board) -> None:
    """The same number with 10 ideas as with 60, each supported and commented."""
    client = Client(**EN)

    def add(n: int) -> None:
        for i in range(n):
            idea = board.idea(f"Idea {i}", category="Culture")
            board.supporters(idea, 2, prefix=f"p{n}-{i}")
            board.comment(idea)

    add(10)
    first = board.idea("Looked at")
    client.get(board.url())  # the session started
    small = (
        _queries(client, board.url() + "?sorter=supported"),
        _queries(client, board.url("idea", pk=first.pk)),
    )
    add(50)
    large = (
        _queries(client, board.url() + "?sorter=supported"),
        _queries(client, board.url("idea", pk=first.pk)),
    )
    assert small == large
