"""Importing a conversation from a Pol.is export, with the real exports in
../shared/data/polis/: what real files contain is taken (empty rows, statements nobody voted
on, a participant changing their vote, ids never used), what cannot be used is skipped and
reported with its line, a file that is not what it should be is refused and nothing is
imported, and importing again adds nothing twice."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from medvirk.identity.models import User
from medvirk.methods.opinion_map import import_views, polis_files, staff_actions
from medvirk.methods.opinion_map.models import Participant, Statement, Vote
from medvirk.organisations.models import Municipality
from tests import factories

from .conftest import EN, Conversation, draw, make_conversation

pytestmark = pytest.mark.django_db

POLIS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "polis"
CONVERSATIONS = sorted(p.name for p in POLIS.iterdir() if p.is_dir()) if POLIS.is_dir() else []
needs_data = pytest.mark.skipif(not CONVERSATIONS, reason=f"no Pol.is exports in {POLIS}")


def upload(name: str, content: bytes | str) -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def real(conversation: str, name: str) -> SimpleUploadedFile:
    return upload(name, (POLIS / conversation / name).read_bytes())


def expected(conversation: str) -> dict[str, Any]:
    """What the export holds, read independently of the importer."""
    folder = POLIS / conversation
    with (folder / "comments.csv").open(encoding="utf-8-sig", newline="") as handle:
        comments = list(csv.DictReader(handle))
    with (folder / "votes.csv").open(encoding="utf-8-sig", newline="") as handle:
        votes = list(csv.DictReader(handle))
    latest: dict[tuple[str, str], tuple[float, str]] = {}
    for row in votes:
        pair = (row["voter-id"], row["comment-id"])
        stamp = float(row["timestamp"])
        if pair not in latest or stamp >= latest[pair][0]:
            latest[pair] = (stamp, row["vote"])
    voted = {row["comment-id"] for row in votes}
    return {
        "statements": len(comments),
        "out": sum(1 for c in comments if c["moderated"] == "-1" or not c["comment-body"].strip()),
        "participants": len({row["voter-id"] for row in votes}),
        "votes": {pair: int(value) for pair, (_t, value) in latest.items()},
        "unvoted": sum(1 for c in comments if c["comment-id"] not in voted),
        "replaced": len(votes) - len(latest),
    }


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, conversation: Conversation, files: dict[str, Any]) -> Any:
    return client.post(conversation.url("staff_import"), files, **EN)


@needs_data
@pytest.mark.parametrize("name", CONVERSATIONS)
def test_a_real_pol_is_export_is_imported_and_mapped(
    org: Municipality, officer: User, name: str
) -> None:
    conversation = make_conversation(org, texts=[])
    want = expected(name)
    client = logged_in(officer)
    mark = factories.audit_mark()
    response = post(
        client,
        conversation,
        {"comments": real(name, "comments.csv"), "votes": real(name, "votes.csv")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    instance = conversation.instance
    assert Statement.objects.filter(method_instance=instance).count() == want["statements"]
    assert (
        Statement.objects.filter(method_instance=instance, is_active=False).count() == want["out"]
    )
    assert Participant.objects.filter(method_instance=instance).count() == want["participants"]
    stored = {
        (p, s): v
        for p, s, v in Vote.objects.filter(participant__method_instance=instance).values_list(
            "participant__external_id", "statement__external_id", "value"
        )
    }
    assert stored == want["votes"]  # the latest vote of each participant on each statement
    assert [r.action for r in factories.audited_since(mark)] == [staff_actions.IMPORTED]

    report_page = client.get(response["Location"], **EN).content.decode()
    assert 'id="import-report"' in report_page
    if want["unvoted"]:
        assert f"{want['unvoted']} statement" in report_page
    if want["replaced"]:
        assert "replaced by the same participant" in report_page

    row = draw(conversation)
    assert row.participants_seen == want["participants"]
    assert len(row.result["groups"]) >= 2

    # The same export again adds nothing.
    before = (Statement.objects.count(), Participant.objects.count(), Vote.objects.count())
    again = post(
        client,
        conversation,
        {"comments": real(name, "comments.csv"), "votes": real(name, "votes.csv")},
    )
    assert again.status_code == 302
    assert (Statement.objects.count(), Participant.objects.count(), Vote.objects.count()) == before
    report = client.get(again["Location"], **EN).content.decode()
    assert "Statements: 0 added" in report and "Votes: 0 added, 0 changed" in report


@needs_data
def test_participants_votes_csv_alone_gives_the_same_votes(
    org: Municipality, officer: User
) -> None:
    name = "brexit-consensus"
    conversation = make_conversation(org, texts=[])
    response = post(
        logged_in(officer),
        conversation,
        {
            "comments": real(name, "comments.csv"),
            "participants_votes": real(name, "participants-votes.csv"),
        },
    )
    assert response.status_code == 302
    stored = {
        (p, s): v
        for p, s, v in Vote.objects.values_list(
            "participant__external_id", "statement__external_id", "value"
        )
    }
    assert stored == expected(name)["votes"]


def test_odd_lines_are_skipped_and_reported(conversation: Conversation, officer: User) -> None:
    comments = (
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1,x,0,0,0,0,1,First statement\n"
        "\n"
        "2,x,1,0,0,0,-1,Moderated out in Pol.is\n"
        "3,x,one,0,0,0,1,Bad id\n"
        "4,x,0,0,0,0,1,Listed twice\n"
        "5,x,2,0,0,0,1,\n"
        "6,x,3,0,0,0,1,Nobody voted on this\n"
    )
    votes = (
        "timestamp,datetime,comment-id,voter-id,vote\n"
        "10,x,0,7,1\n"
        "11,x,0,8,-1\n"
        "\n"
        "12,x,1,7,1\n"
        "13,x,0,7,-1\n"
        "9,x,0,8,1\n"
        "14,x,9,7,1\n"
        "15,x,0,7,2\n"
        "16,x,0\n"
        "17,x,2,8,0\n"
    )
    client = logged_in(officer)
    response = post(
        client,
        conversation,
        {"comments": upload("comments.csv", comments), "votes": upload("votes.csv", votes)},
    )
    assert response.status_code == 302
    html = client.get(response["Location"], **EN).content.decode()
    skipped = html[html.index('id="skipped"') :]
    for line, reason in [
        ("5", "comment-id must be a whole number"),
        ("6", "listed twice (first on line 2)"),
        ("8", "comments.csv does not list"),
        ("9", "vote must be -1, 0 or 1"),
        ("10", "3 fields where the first line names 5"),
    ]:
        assert f'<td class="num">{line}</td><td>' in skipped and reason in skipped, (line, reason)
    assert "2 empty lines were skipped." in html
    assert "1 statement had no text" in html
    assert "2 earlier votes were replaced" in html
    imported = Statement.objects.filter(method_instance=conversation.instance).exclude(
        external_id=""
    )
    assert imported.count() == 4
    assert set(imported.filter(is_active=False).values_list("external_id", flat=True)) == {
        "1",
        "2",
    }
    assert dict(
        Vote.objects.filter(statement__external_id="0").values_list(
            "participant__external_id", "value"
        )
    ) == {"7": -1, "8": -1}  # the later vote wins, by time, not by line


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"comments": ("comments.csv", "a,b\n1,2\n"), "votes": ("votes.csv", "x\n")}, "missing"),
        (
            {"comments": ("comments.txt", "comment-id,moderated,comment-body\n0,1,A\n")},
            "is not a CSV file",
        ),
        ({"comments": ("comments.csv", b"\xff\xfe\x00c\x00o")}, "is not a text file"),
        ({"comments": ("comments.csv", "<html><body>Pol.is</body></html>")}, "web page"),
        ({"comments": ("comments.csv", "   \n")}, "is empty"),
        (
            {
                "comments": (
                    "comments.csv",
                    "comment-id,moderated,comment-body\n0,1,\xe6\n".encode("latin-1"),
                )
            },
            "not UTF-8",
        ),
        ({"comments": ("comments.csv", "comment-id,moderated,comment-body\n")}, "no statements"),
    ],
)
def test_a_file_that_is_not_a_pol_is_file_imports_nothing(
    conversation: Conversation, officer: User, files: dict[str, tuple[str, Any]], message: str
) -> None:
    data: dict[str, Any] = {key: upload(*value) for key, value in files.items()}
    data.setdefault("votes", upload("votes.csv", "comment-id,voter-id,vote\n0,1,1\n"))
    response = post(logged_in(officer), conversation, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Statement.objects.exclude(external_id="").count() == 0
    assert not Participant.objects.exists()


def test_votes_are_needed(conversation: Conversation, officer: User) -> None:
    response = post(
        logged_in(officer),
        conversation,
        {"comments": upload("comments.csv", "comment-id,moderated,comment-body\n0,1,A\n")},
    )
    assert response.status_code == 400
    assert "Choose votes.csv or participants-votes.csv" in response.content.decode()


def test_a_file_over_the_limit_is_refused(
    conversation: Conversation, officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_views, "MAX_IMPORT_BYTES", 100)
    body = "comment-id,moderated,comment-body\n" + "".join(f"{n},1,S{n}\n" for n in range(50))
    response = post(
        logged_in(officer),
        conversation,
        {"comments": upload("comments.csv", body), "votes": upload("votes.csv", "x")},
    )
    assert response.status_code == 400
    assert "a file may be at most" in response.content.decode()


def test_reading_takes_the_later_vote_by_time() -> None:
    conv = polis_files.Conversation()
    polis_files.read_comments("comment-id,moderated,comment-body\n0,1,A\n", conv)
    polis_files.read_votes("timestamp,comment-id,voter-id,vote\n20,0,1,1\n10,0,1,-1\n", conv)
    assert conv.votes == {(1, 0): 1} and conv.replaced == 1
