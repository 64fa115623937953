"""The board's CSV files: open data without names and with small counts hidden; the staff
file with exact counts, for those with the ``export`` capability only."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from medvirk.identity.models import User
from medvirk.methods.ideas import staff_actions
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from medvirk.processes.exports import open_data_for
from tests import factories

from .conftest import EN, Board, login, make_board

pytestmark = pytest.mark.django_db


def _rows(response: object) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(body)))


def _seed(board: Board, officer: User) -> dict[str, int]:
    four = board.idea(
        "Four supporters",
        "x",
        author_name="Ingrid Haugland",
        show_name=True,
        contact_email="ingrid@example.org",
    )
    five = board.idea("Five supporters", category="Culture")
    none = board.idea("No supporters")
    dup = board.idea("A duplicate")
    board.supporters(four, 4, prefix="f")
    board.supporters(five, 5, prefix="v")
    board.supporters(dup, 1, prefix="d")
    staff_actions.do_merge(officer, board.instance, dup.pk, five.pk)
    factories.response(five.contribution, "adopted", "We do it.", by=officer)
    return {"four": four.pk, "five": five.pk, "none": none.pk, "dup": dup.pk}


def test_the_open_data_file_hides_small_counts_and_every_name(board: Board, officer: User) -> None:
    ids = _seed(board, officer)
    response = Client(**EN).get(board.export_url("idear-csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    header, body = rows[0], rows[1:]
    assert header[0] == "Idea no." and "Supporters" in header[6]
    by_id = {int(r[0]): r for r in body}
    assert set(by_id) == set(ids.values())
    assert by_id[ids["four"]][6] == "<5"
    assert by_id[ids["five"]][6] == "6"  # five plus the duplicate's one, once each
    assert by_id[ids["none"]][6] == "0"
    assert by_id[ids["dup"]][8] == str(ids["five"])
    assert by_id[ids["five"]][4] == "Culture"
    assert by_id[ids["five"]][10] == "Adopted" and by_id[ids["five"]][11] == "We do it."
    text = "\n".join(",".join(r) for r in rows)
    assert "Ingrid" not in text and "example.org" not in text
    # The day, never the time.
    assert len(by_id[ids["four"]][1]) == 10


def test_the_open_data_file_leaves_out_what_is_not_published(org: Municipality) -> None:
    org.moderation_mode = "pre"
    org.save()
    board = make_board(org)
    board.idea("Waiting")
    assert len(_rows(Client(**EN).get(board.export_url("idear-csv")))) == 1


def test_the_open_data_page_lists_the_file(board: Board) -> None:
    keys = [row.export.key for row in open_data_for(board.instance.process)]
    assert "idear-csv" in keys


def test_the_staff_file_has_exact_counts_and_needs_the_export_role(
    board: Board, officer: User, org: Municipality, resident: User
) -> None:
    ids = _seed(board, officer)
    url = board.export_url("alle-idear-csv")
    assert Client(**EN).get(url).status_code == 302  # the login page
    assert login(resident).get(url).status_code == 403
    response = login(officer).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    by_id = {int(r[0]): r for r in _rows(response)[1:]}
    assert by_id[ids["four"]][7] == "4"
    assert by_id[ids["five"]][7] == "6"
    moderator = factories.staff(org, Role.MODERATOR)  # moderators may export too
    assert login(moderator).get(url).status_code == 200


def test_a_cell_that_looks_like_a_formula_is_made_harmless(board: Board) -> None:
    board.idea("=SUM(A1:A9)*10", "+1 and -1 and more")
    rows = _rows(Client(**EN).get(board.export_url("idear-csv")))
    assert rows[1][2].startswith("'=")
    assert rows[1][3].startswith("'+")
    assert registry.get("ideas").export("idear-csv").audience == "public"
