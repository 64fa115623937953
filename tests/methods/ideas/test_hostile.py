"""Hostile and careless input: markup stays text, hidden characters go, a fødselsnummer is
masked and held for a moderator (the core's screening), lengths are limited, and nothing
anyone writes breaks a page."""

from __future__ import annotations

import pytest
from django.test import Client

from medvirk.contributions.models import Contribution, ModerationState
from medvirk.methods.ideas import actions
from medvirk.methods.ideas.models import Idea

from .conftest import EN, Board

pytestmark = pytest.mark.django_db

FNR = "01019000083"


def test_markup_is_shown_as_text_everywhere(board: Board) -> None:
    idea = board.idea(
        '<script>alert("x")</script> lights',
        '<img src=x onerror="alert(1)"> and <a href="javascript:alert(1)">click</a>',
        author_name="<b>Kari</b>",
        show_name=True,
    )
    board.comment(idea, "<iframe src=//evil></iframe>")
    client = Client(**EN)
    for url in (board.url(), board.url("idea", pk=idea.pk)):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html and "<iframe" not in html and "<b>Kari" not in html
        assert "&lt;script&gt;" in html
    assert "&lt;iframe" in client.get(board.url("idea", pk=idea.pk)).content.decode()


def test_direction_changing_and_control_characters_are_left_out(board: Board) -> None:
    idea = board.idea("Lights\u202e on\u200b the road", "First line\u0007\r\nsecond\u2066 line")
    assert idea.title == "Lights on the road"
    assert idea.contribution.text == "Lights on the road\n\nFirst line\nsecond line"
    assert actions.body_of(idea) == "First line\nsecond line"


def test_a_fodselsnummer_is_masked_and_the_idea_held_for_a_moderator(board: Board) -> None:
    response = Client(**EN).post(
        board.url("new"),
        {"title": f"Call me about {FNR}", "text": f"My number is {FNR}, write to me."},
    )
    contribution = Contribution.objects.get()
    assert response.status_code == 302
    assert response["Location"] == contribution.receipt_url()
    assert contribution.moderation == ModerationState.HELD
    idea = Idea.objects.get()
    assert FNR not in idea.title
    assert FNR not in contribution.text
    assert FNR not in str(contribution.data)
    assert "Call me about" not in Client(**EN).get(board.url()).content.decode()


def test_a_fodselsnummer_in_a_comment_is_held_too(board: Board) -> None:
    idea = board.idea()
    response = Client(**EN).post(board.url("comment", pk=idea.pk), {"text": f"Mine: {FNR}"})
    comment = Contribution.objects.exclude(pk=idea.pk).get()
    assert response["Location"] == comment.receipt_url()
    assert comment.moderation == ModerationState.HELD
    assert FNR not in comment.text


def test_a_huge_post_is_refused_without_storing_anything(board: Board) -> None:
    client = Client(**EN)
    response = client.post(board.url("new"), {"title": "T" * 10_000, "text": "x" * 100_000})
    assert response.status_code == 400
    response = client.post(board.url("comment", pk=board.idea().pk), {"text": "y" * 6000})
    assert response.status_code == 400
    assert Contribution.objects.count() == 1


@pytest.mark.parametrize(
    "query",
    [
        "?sorter=drop+table",
        "?status=nonsense&kategori=%3Cscript%3E",
        "?side=-1",
        "?side=99999999999999",
        "?sorter[]=x",
    ],
)
def test_odd_addresses_show_the_board_not_an_error(board: Board, query: str) -> None:
    board.idea()
    response = Client(**EN).get(board.url() + query)
    assert response.status_code == 200
    assert "<script" not in response.content.decode().split("</head>")[1].split("<footer")[0]


def test_a_support_post_with_an_odd_return_address_stays_on_the_site(board: Board) -> None:
    idea = board.idea()
    client = Client(**EN)
    client.get(board.url("idea", pk=idea.pk))
    response = client.post(
        board.url("support", pk=idea.pk),
        {"action": "support", "tilbake": "//evil.example/?x=1&sorter=https://evil"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(board.url())
    assert "evil.example/" not in response["Location"].split("?")[0]


def test_methods_other_than_get_and_post_are_refused(board: Board) -> None:
    idea = board.idea()
    client = Client(**EN)
    assert client.put(board.url("new")).status_code == 405
    assert client.post(board.url()).status_code == 405
    assert client.delete(board.url("idea", pk=idea.pk)).status_code == 405
    assert client.put(board.url("support", pk=idea.pk)).status_code == 405
