"""``medvirk opinion-map``: output formats and one-line errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from medvirk.algorithms.opinion_map import io as opinion_map_io
from medvirk.algorithms.opinion_map.cli import main

DATA = Path(__file__).parent / "data" / "opinion_map"
VOTES = DATA / "votes.csv"
COMMENTS = DATA / "comments.csv"
HEADER = "timestamp,datetime,comment-id,voter-id,vote\n"
COMMENTS_HEADER = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
)


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(VOTES), "--comments", str(COMMENTS), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["participants"]["7"] is None
    assert data["participants"]["1"] == data["participants"]["2"] == data["participants"]["3"]
    assert data["participants"]["1"] != data["participants"]["4"]
    assert [g["size"] for g in data["groups"]] == [3, 3]
    assert all(g["representative"] for g in data["groups"])
    assert {c["statement"] for c in data["consensus"]} == {3}
    assert data["consensus"][0]["direction"] == "agree"
    assert set(data["consensus"][0]["agree"]) == {"0", "1"}
    assert 4 not in {r["statement"] for g in data["groups"] for r in g["representative"]}


def test_text_output_shows_statement_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(VOTES), "--comments", str(COMMENTS)]) == 0
    out = capsys.readouterr().out
    assert "Group A (3 participants)" in out and "Group B (3 participants)" in out
    assert "We need more benches along the harbour" in out
    assert "Most people in every group agree with S3" in out


def test_console_script() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "medvirk.cli",
            "opinion-map",
            str(VOTES),
            "--comments",
            str(COMMENTS),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["groups"]) == 2


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_ROWS = "1,a,0,1,1\n2,b,1,1,-1\n"


@pytest.mark.parametrize(
    ("votes_text", "expected"),
    [
        ("", "votes.csv, line 1: is empty"),
        ("timestamp,comment-id,vote\n1,0,1\n", "votes.csv, line 1: missing column(s) voter-id"),
        (HEADER, "votes.csv: has no votes"),
        (HEADER + GOOD_ROWS + "3,c,2,1,5\n", "votes.csv, line 4: vote must be -1, 0 or 1, got '5'"),
        (HEADER + GOOD_ROWS + "3,c,2,x7,1\n", "votes.csv, line 4: voter-id must be a whole number"),
        (HEADER + "3,c,two,1,1\n", "votes.csv, line 2: comment-id must be a whole number"),
        (HEADER + GOOD_ROWS + "3,c,2,1\n", "votes.csv, line 4: expected 5 fields, found 4"),
        (HEADER + GOOD_ROWS + "soon,c,2,1,1\n", "votes.csv, line 4: timestamp must be a number"),
        (HEADER + "1,a,0,1,1\n\n2,b,1,1,1.5\n", "votes.csv, line 4: vote must be -1, 0 or 1"),
    ],
)
def test_bad_votes_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], votes_text: str, expected: str
) -> None:
    path = _write(tmp_path, "votes.csv", votes_text)
    assert main([str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert str(tmp_path) in err
    assert expected in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("comments_text", "expected"),
    [
        ("comment-id,comment-body\n0,x\n", "comments.csv, line 1: missing column(s) moderated"),
        (
            COMMENTS_HEADER + "1,a,0,1,0,0,1,x\n1,a,1,1,0,0,1,y\n2,a,z,1,0,0,1,z\n",
            "comments.csv, line 4: comment-id must be a whole number, got 'z'",
        ),
        (
            COMMENTS_HEADER + "1,a,0,1,0,0,1,x\n1,a,0,1,0,0,1,y\n",
            "comments.csv, line 3: statement 0 is listed twice (first on line 2)",
        ),
        (
            COMMENTS_HEADER + "1,a,0,1,0,0,2,x\n",
            "comments.csv, line 2: moderated must be -1, 0 or 1",
        ),
        (COMMENTS_HEADER + "1,a,0,1,0,0,1,x\n", "votes.csv, line 3: statement 1 is not listed in"),
    ],
)
def test_bad_comments_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], comments_text: str, expected: str
) -> None:
    votes = _write(tmp_path, "votes.csv", HEADER + GOOD_ROWS)
    comments = _write(tmp_path, "comments.csv", comments_text)
    assert main([str(votes), "--comments", str(comments)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert expected in err


def test_statements_nobody_voted_on_are_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # As in real exports: statements listed but never voted on (9 unmoderated, 12
    # moderated out), ids with gaps, blank lines and rows of empty fields in both files.
    votes = _write(tmp_path, "votes.csv", HEADER + GOOD_ROWS + ",,,,\n\n3,c,5,40,0\n")
    comments = _write(
        tmp_path,
        "comments.csv",
        COMMENTS_HEADER
        + "1,a,0,1,0,0,1,x\n\n1,a,1,1,0,0,1,y\n,,,,,,,\n"
        + "2,a,9,1,0,0,0,never seen\n2,a,12,1,0,0,-1,removed\n2,a,5,1,0,0,1,z\n",
    )
    args = [str(votes), "--comments", str(comments)]
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["skipped"] == [
        {"statement": 9, "cause": "no-votes", "reason": "Nobody voted on S9"},
        {
            "statement": 12,
            "cause": "moderated-out",
            "reason": "S12 was moderated out before anyone voted on it",
        },
    ]
    assert data["summary"]["skipped"] == 2
    assert data["summary"]["statements"] == 3  # 0, 1 and 5
    assert set(data["participants"]) == {"1", "40"}
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Skipped 2 statement(s) nobody voted on:\n" in out
    assert "  - Nobody voted on S9\n" in out
    assert "  - S12 was moderated out before anyone voted on it\n" in out


def test_nothing_skipped_says_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(VOTES), "--comments", str(COMMENTS)]) == 0
    assert "Skipped" not in capsys.readouterr().out


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv: file not found" in capsys.readouterr().err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2


def test_console_script_error_is_one_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "votes.csv", HEADER + "1,a,0,1,maybe\n")
    done = subprocess.run(
        [sys.executable, "-m", "medvirk.cli", "opinion-map", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "line 2: vote must be -1, 0 or 1, got 'maybe'" in done.stderr


@pytest.mark.parametrize("block", [1, 2, 3, 7, 64])
def test_votes_read_the_same_whatever_the_scan_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    # The shape check reads the file in blocks; lines split across blocks, and a blank
    # line whose two newlines fall in different blocks, must be seen all the same.
    text = HEADER + GOOD_ROWS + "3,c,2,11,0\n4,d,0,12,1"
    path = _write(tmp_path, "votes.csv", text)
    expected = opinion_map_io.read_votes(path)
    monkeypatch.setattr(opinion_map_io, "_SCAN_BLOCK", block)
    got = opinion_map_io.read_votes(path)
    assert got.participants.tolist() == expected.participants.tolist() == [1, 1, 11, 12]
    assert got.votes.tolist() == expected.votes.tolist() == [1, -1, 0, 1]
    ragged = _write(tmp_path, "ragged.csv", HEADER + GOOD_ROWS + "3,c,2,1\n")
    with pytest.raises(opinion_map_io.InputError, match="line 4: expected 5 fields, found 4"):
        opinion_map_io.read_votes(ragged)
    # A blank line is skipped (by the exact pass), not an error.
    blank = _write(tmp_path, "blank.csv", HEADER + "1,a,0,1,1\n\n2,b,1,1,-1\n")
    assert opinion_map_io.read_votes(blank).votes.tolist() == [1, -1]
