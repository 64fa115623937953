"""The idea board's section of the council report: the published ideas ranked by support as
the board ranks them, the first ten with the rest counted, states counted, small supporter
counts hidden, and nothing held, hidden or rejected."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medvirk.contributions.actions import do_hide, do_reject
from medvirk.contributions.models import ModerationState
from medvirk.core.pdf import render
from medvirk.identity.models import User
from medvirk.methods.ideas import staff_actions
from medvirk.methods.ideas.models import Idea
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from tests import factories
from tests.report_html import rows

from .conftest import Board, make_board

pytestmark = pytest.mark.django_db


def section(board: Board) -> str:
    return str(registry.get("ideas").report_section(board.instance))


def test_the_ideas_are_ranked_by_support_the_first_ten_with_the_rest_counted(
    board: Board, officer: User, moderator: User
) -> None:
    supporters = {f"Idea number {i}": (i * 7) % 13 for i in range(14)}
    made = {}
    for title, n in supporters.items():
        made[title] = idea = board.idea(title, category="Culture")
        board.supporters(idea, n)
    held = board.idea("Held idea", "Call me on 912 34 567 about it.")
    assert held.contribution.moderation == ModerationState.HELD
    rejected = board.idea("Rejected idea", "Mail me at kari@example.org.")
    do_reject(moderator, rejected.contribution, "Contact details.")
    hidden = board.idea("Hidden idea", "Rude words.")
    do_hide(moderator, hidden.contribution, "Breaks the rules")
    for _ in range(3):
        board.comment(made["Idea number 1"])
    board.comment(made["Idea number 1"], "Ring 912 34 567.")  # held: not counted

    html = section(board)

    ranked = sorted(supporters, key=lambda t: (-supporters[t], -made[t].pk))
    table = [r for r in rows(html) if len(r) == 6 and r[0].isdigit()]
    assert [r[1] for r in table] == ranked[:10]
    for row in table:
        n = supporters[row[1]]
        assert row[4] == (str(n) if n == 0 or n >= 5 else "fewer than 5")
        assert row[2] == "Culture"
        assert row[3] == "New"
        assert row[5] == ("3" if row[1] == "Idea number 1" else "0")
    assert "4 more ideas are not listed here." in html
    assert "14 ideas are published on the board, with 3 comments." in html
    assert ["New", "14"] in rows(html)
    for secret in ("Held idea", "Rejected idea", "Hidden idea", "912 34 567", "example.org"):
        assert secret not in html
    for tag in ("<script", "<form", "<h1", "<h2"):
        assert tag not in html


def test_states_merges_and_cases_are_shown_as_on_the_board(
    org: Municipality, board: Board, officer: User
) -> None:
    kept = board.idea("Light along the road")
    duplicate = board.idea("Lamps on the road")
    answered = board.idea("A bench by the pond")
    taken = board.idea("A new playground")
    board.supporters(kept, 6)
    board.supporters(duplicate, 2, prefix="d")
    staff_actions.do_merge(officer, board.instance, duplicate.pk, kept.pk)
    factories.response(answered.contribution, "not_adopted", "No room.", by=officer)
    other = factories.process(org, title="Playgrounds in Lillevik")
    staff_actions.do_move_to_case(officer, board.instance, taken.pk, other.pk)

    html = section(board)
    table = rows(html)

    assert ["1", "Light along the road", "–", "New", "8", "0"] in table
    assert "Lamps on the road" not in html  # merged: counted, not ranked
    assert "In addition, 1 idea was merged into another idea that says the same thing." in html
    assert ["Answered", "1"] in table and ["New", "1"] in table
    assert ["Taken up in a case", "1"] in table
    assert ["In all", "3"] in table
    assert any(
        r[1] == "A new playground" and r[3] == "Taken up in a case: Playgrounds in Lillevik"
        for r in table
        if len(r) == 6
    )
    assert Idea.objects.filter(method_instance=board.instance).count() == 4


def test_without_supports_the_board_ranks_by_comments(org: Municipality) -> None:
    board = make_board(org, settings={"supports": False})
    quiet = board.idea("Quiet idea")
    busy = board.idea("Busy idea")
    board.comment(busy)
    board.comment(busy)
    board.comment(quiet)

    html = section(board)

    assert "The most commented ideas" in html and "Supporters" not in html
    table = [r for r in rows(html) if len(r) == 5 and r[0].isdigit()]
    assert [(r[1], r[4]) for r in table] == [("Busy idea", "2"), ("Quiet idea", "1")]


def test_an_empty_board_says_so_and_the_section_makes_a_pdf(board: Board) -> None:
    assert "No ideas have been published" in section(board)
    board.idea("Light along the school road")
    board.supporters(Idea.objects.get(), 5)
    html = section(board)
    pdf = render("<html lang='nn'><head><title>t</title></head><body>" + html + "</body></html>")
    assert pdf is not None and pdf.startswith(b"%PDF")


def test_the_section_makes_the_same_number_of_queries_for_any_number_of_ideas(
    board: Board, officer: User
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            section(board)
        return len(captured)

    first = board.idea("The first idea")
    board.supporters(first, 5)
    board.comment(first)
    few = queries()
    for i in range(12):
        idea = board.idea(f"Idea {i}", category="Culture")
        board.comment(idea)
        board.supporters(idea, 1, prefix=f"p{i}")
    other = factories.process(board.instance.process.municipality, title="Another case")
    staff_actions.do_move_to_case(officer, board.instance, first.pk, other.pk)
    assert queries() == few
