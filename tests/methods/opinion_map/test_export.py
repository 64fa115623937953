"""The public Pol.is-format export: the files and columns Pol.is publishes, readable by the
engine's own Pol.is reader, on the open-data page once 5 people have voted, and never a
name, an account, a database id or a time finer than the day."""

from __future__ import annotations

import csv
import io
import random
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from medvirk.algorithms.opinion_map.engine import build_opinion_map
from medvirk.algorithms.opinion_map.io import check_together, read_comments, read_votes
from medvirk.contributions.actions import do_approve, do_hide
from medvirk.methods.opinion_map import actions, staff_actions
from medvirk.methods.opinion_map.exports import COMMENT_HEADER, VOTE_HEADER
from medvirk.organisations.models import Municipality
from tests import factories

from .conftest import EN, Conversation, draw, make_conversation

pytestmark = pytest.mark.django_db


def crowd(conversation: Conversation, sizes: tuple[int, ...] = (8, 6), seed: int = 3) -> None:
    rng = random.Random(seed)
    for group, size in enumerate(sizes):
        for n in range(size):
            votes = {
                s.pk: (1 if (i + group) % 2 else -1) if rng.random() > 0.05 else 0
                for i, s in enumerate(conversation.statements)
            }
            actions.do_votes(
                AnonymousUser(),
                conversation.instance,
                votes,
                session_key=f"g{group}-{n}",
                recompute=False,
            )


def download(conversation: Conversation) -> zipfile.ZipFile:
    response = Client().get(conversation.export_url, **EN)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "polis.zip" in response["Content-Disposition"]
    try:
        return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    finally:
        response.close()


def rows(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(archive.read(name).decode("utf-8"))))


def test_the_export_is_pol_is_s_layout_and_reads_back(
    org: Municipality, moderator: Any, tmp_path: Path
) -> None:
    conversation = make_conversation(org)
    person = factories.user("kari-nordmann", email="kari@example.org")
    receipt = actions.do_add_statement(person, conversation.instance, "A participant's view.")
    do_approve(moderator, receipt.contribution)
    hidden = actions.do_add_statement(
        AnonymousUser(), conversation.instance, "Something a moderator hid."
    )
    do_approve(moderator, hidden.contribution)
    actions.do_add_statement(AnonymousUser(), conversation.instance, "Still waiting.")
    conversation.statements.extend(
        staff_actions.Statement.objects.filter(contribution__in=[receipt.contribution])
    )
    crowd(conversation)
    hidden_statement = staff_actions.Statement.objects.get(contribution=hidden.contribution)
    actions.do_vote(person, conversation.instance, hidden_statement.pk, 1, session_key=None)
    do_hide(moderator, hidden.contribution, "Names a neighbour.")
    draw(conversation)

    archive = download(conversation)
    assert sorted(archive.namelist()) == [
        "README.txt",
        "comments.csv",
        "participants-votes.csv",
        "summary.csv",
        "votes.csv",
    ]
    comments = rows(archive, "comments.csv")
    votes = rows(archive, "votes.csv")
    matrix = rows(archive, "participants-votes.csv")
    assert comments[0] == COMMENT_HEADER and votes[0] == VOTE_HEADER
    assert matrix[0][:6] == [
        "participant",
        "group-id",
        "n-comments",
        "n-votes",
        "n-agree",
        "n-disagree",
    ]
    # Numbered from 0; waiting input is not there; hidden input keeps its votes, not its words.
    bodies = {row[7] for row in comments[1:]}
    assert "A participant's view." in bodies and "Still waiting." not in bodies
    assert "Something a moderator hid." not in bodies
    assert sorted(int(r[2]) for r in comments[1:]) == list(range(len(comments) - 1))
    hidden_row = next(r for r in comments[1:] if r[7] == "")
    assert hidden_row[6] == "-1"
    # Votes are plain numbers (no spreadsheet guard on -1), times only to the day.
    assert {r[4] for r in votes[1:]} <= {"1", "-1", "0"}
    assert all(" 00:00:00 " in r[1] for r in [*votes[1:], *comments[1:]])
    assert all(int(r[0]) % 1000 == 0 for r in votes[1:])
    # Nobody is named, no account, no address, no database id of a person.
    blob = b"".join(archive.read(n) for n in archive.namelist()).decode()
    assert "kari" not in blob.lower() and "example.org" not in blob
    assert receipt.contribution.receipt_nonce not in blob
    # The engine's own Pol.is reader takes it.
    for name in ("comments.csv", "votes.csv"):
        (tmp_path / name).write_bytes(archive.read(name))
    read_back = read_votes(tmp_path / "votes.csv")
    listed = read_comments(tmp_path / "comments.csv")
    check_together(tmp_path / "votes.csv", read_back, tmp_path / "comments.csv", listed)
    assert len(read_back.votes) == len(votes) - 1
    result = build_opinion_map(
        read_back.participants,
        read_back.statements,
        read_back.votes,
        moderated_out=listed.moderated_out,
        listed=listed.lines,
    )
    assert len(result.groups) >= 2
    # One row per participant, their votes in the statement columns.
    assert len(matrix) - 1 == len({r[3] for r in votes[1:]})
    first = matrix[1]
    assert int(first[3]) == sum(1 for cell in first[6:] if cell != "")


def test_small_groups_have_no_group_id(org: Municipality) -> None:
    conversation = make_conversation(org)
    crowd(conversation, sizes=(7, 3))
    row = draw(conversation)
    small = {g["id"] for g in row.result["groups"] if g["size"] < 5}
    archive = download(conversation)
    ids = {r[1] for r in rows(archive, "participants-votes.csv")[1:]}
    assert "" in ids or not small
    assert not {str(g) for g in small} & ids


def test_statement_text_cannot_run_as_a_formula(org: Municipality) -> None:
    conversation = make_conversation(org, texts=['=HYPERLINK("http://x")', "+1 is fine?"])
    crowd(conversation, sizes=(6,))
    draw(conversation)
    bodies = [r[7] for r in rows(download(conversation), "comments.csv")[1:]]
    assert bodies == ['\'=HYPERLINK("http://x")', "'+1 is fine?"]


def test_open_data_once_five_people_have_voted(org: Municipality) -> None:
    conversation = make_conversation(org)
    open_data = conversation.instance.process.get_absolute_url() + "opne-data/"
    assert Client().get(conversation.export_url, **EN).status_code == 404
    crowd(conversation, sizes=(4,))
    draw(conversation)
    assert Client().get(conversation.export_url, **EN).status_code == 404
    assert conversation.export_url not in Client().get(open_data, **EN).content.decode()
    crowd(conversation, sizes=(4, 2), seed=9)
    draw(conversation)
    assert conversation.export_url in Client().get(open_data, **EN).content.decode()
    response = Client().get(conversation.export_url, **EN)
    assert response.status_code == 200
    response.close()
