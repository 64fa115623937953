"""Reading/writing Pabulib files and the CLI's handling of malformed input."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from medvirk.algorithms.pb import PbFormatError, election_to_text, parse_pb, read_pb
from medvirk.algorithms.pb import cli as pb_cli

DATA = Path(__file__).parent / "data" / "pb"
SMALL = DATA / "small_approval.pb"
CUMULATIVE = DATA / "small_cumulative.pb"


def test_reads_sections_and_optional_columns() -> None:
    election = read_pb(str(SMALL))
    assert election.budget == 100
    assert election.vote_type == "approval"
    assert [p.id for p in election.projects] == ["1", "2", "10", "3"]
    assert election.projects[3].name == "Bike racks; covered"  # quoted ';' inside a field
    assert election.projects[0].fields["category"] == "children,sport"
    assert "target" not in election.projects[1].fields  # "None" means absent
    assert election.num_voters == 6
    assert [election.projects[j].id for j in election.ballot(3)] == ["10", "3"]
    assert election.voter_ids[0] == "v1"


def test_reads_cumulative_points_and_decimal_comma() -> None:
    election = read_pb(str(CUMULATIVE))
    assert election.vote_type == "cumulative"
    assert election.projects[0].cost == Fraction("1200.5")
    assert election.ballot_points is not None
    assert election.ballot_points[:2] == [3, 2]
    assert election.points_scale == 1


def test_round_trip_keeps_everything() -> None:
    for path in (SMALL, CUMULATIVE):
        election = read_pb(str(path), keep_voter_fields=True)
        again = parse_pb(election_to_text(election), keep_voter_fields=True)
        assert again.budget == election.budget
        assert [(p.id, p.cost, p.fields) for p in again.projects] == [
            (p.id, p.cost, p.fields) for p in election.projects
        ]
        assert again.offsets == election.offsets
        assert again.ballot_projects == election.ballot_projects
        assert again.ballot_points == election.ballot_points
        assert again.voter_ids == election.voter_ids
        assert again.voter_fields == election.voter_fields


def test_written_file_is_read_by_pabutools() -> None:
    from pabutools.election.pabulib import parse_pabulib_from_string

    election = read_pb(str(CUMULATIVE), keep_voter_fields=True)
    instance, profile = parse_pabulib_from_string(election_to_text(election))
    assert instance.budget_limit == election.budget
    assert sorted(p.name for p in instance) == sorted(p.id for p in election.projects)
    assert len(profile) == election.num_voters


HEAD = "META\nkey;value\nbudget;100\nvote_type;approval\n"
PROJECTS = "PROJECTS\nproject_id;cost\n1;60\n2;40\n"
VOTES = "VOTES\nvoter_id;vote\nv1;1,2\nv2;2\n"

MALFORMED = [
    ("missing VOTES", HEAD + PROJECTS, None, "missing VOTES section"),
    ("missing PROJECTS", HEAD + VOTES, 5, "VOTES section before PROJECTS"),
    ("missing META", PROJECTS + VOTES, 1, "PROJECTS section before META"),
    (
        "unknown project",
        HEAD + PROJECTS + "VOTES\nvoter_id;vote\nv1;1,7\n",
        11,
        "vote for project '7', which is not in PROJECTS",
    ),
    ("negative cost", HEAD + "PROJECTS\nproject_id;cost\n1;-5\n" + VOTES, 7, "is negative"),
    (
        "non-numeric cost",
        HEAD + "PROJECTS\nproject_id;cost\n1;lots\n" + VOTES,
        7,
        "cost of project '1' 'lots' is not a number",
    ),
    (
        "non-numeric budget",
        HEAD.replace("budget;100", "budget;much") + PROJECTS + VOTES,
        3,
        "budget 'much' is not a number",
    ),
    (
        "duplicate project",
        HEAD + "PROJECTS\nproject_id;cost\n1;60\n1;40\n" + VOTES,
        8,
        "duplicate project id '1'",
    ),
    (
        "duplicate voter",
        HEAD + PROJECTS + "VOTES\nvoter_id;vote\nv1;1\nv1;2\n",
        12,
        "duplicate voter_id 'v1'",
    ),
    ("no votes", HEAD + PROJECTS + "VOTES\nvoter_id;vote\n", None, "VOTES section has no votes"),
    (
        "wrong column count (project)",
        HEAD + "PROJECTS\nproject_id;cost\n1;60;x\n" + VOTES,
        7,
        "project row has 3 columns, the header has 2",
    ),
    (
        "wrong column count (vote)",
        HEAD + PROJECTS + "VOTES\nvoter_id;vote\nv1;1;2\n",
        11,
        "vote row has 3 columns, the header has 2",
    ),
    (
        "no budget",
        "META\nkey;value\nvote_type;approval\n" + PROJECTS + VOTES,
        None,
        "META has no 'budget'",
    ),
    (
        "ordinal",
        HEAD.replace("approval", "ordinal") + PROJECTS + VOTES,
        4,
        "vote_type 'ordinal' is not supported",
    ),
    (
        "points mismatch",
        HEAD.replace("approval", "cumulative")
        + PROJECTS
        + "VOTES\nvoter_id;vote;points\nv1;1,2;3\n",
        11,
        "2 projects in 'vote' but 1 in 'points'",
    ),
    (
        "negative points",
        HEAD.replace("approval", "cumulative")
        + PROJECTS
        + "VOTES\nvoter_id;vote;points\nv1;1;-1\n",
        11,
        "points -1 is negative",
    ),
    (
        "cumulative repeat",
        HEAD.replace("approval", "cumulative")
        + PROJECTS
        + "VOTES\nvoter_id;vote;points\nv1;2,2;1,1\n",
        11,
        "a project appears twice in one vote",
    ),
    (
        "no cost column",
        HEAD + "PROJECTS\nproject_id;name\n1;x\n" + VOTES,
        6,
        "PROJECTS header has no 'cost' column",
    ),
]


@pytest.mark.parametrize(
    ("label", "text", "line", "message"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_malformed_files_name_file_and_line(
    label: str, text: str, line: int | None, message: str
) -> None:
    with pytest.raises(PbFormatError) as caught:
        parse_pb(text, "bad.pb")
    assert caught.value.line == line, label
    assert message in str(caught.value)
    assert str(caught.value).startswith("bad.pb:" if line is None else f"bad.pb:{line}:")


@pytest.mark.parametrize(
    ("label", "text", "line", "message"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_cli_reports_malformed_file_in_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    label: str,
    text: str,
    line: int | None,
    message: str,
) -> None:
    path = tmp_path / "bad.pb"
    path.write_text(text, encoding="utf-8")
    assert pb_cli.main(["count", str(path), "--rule", "greedy"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert "\n" not in err and "Traceback" not in err
    where = f"{path}:{line}:" if line is not None else f"{path}:"
    assert err.startswith(f"medvirk pb: {where}")
    assert message in err


def test_cli_missing_file_and_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.pb"
    assert pb_cli.main(["count", str(missing), "--rule", "greedy"]) == 2
    assert str(missing) in capsys.readouterr().err
    binary = tmp_path / "binary.pb"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert pb_cli.main(["count", str(binary), "--rule", "greedy"]) == 2
    assert "not a UTF-8 text file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        pb_cli.main(["count", str(SMALL), "--rule", "borda"])
    assert usage.value.code == 2


def test_cli_json_and_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert pb_cli.main(["count", str(SMALL), "--rule", "equal-shares", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["selected"] == ["1", "10"]
    assert out["cost"] == 90 and out["budget"] == 100
    assert set(out["explanations"]) == {"1", "2", "10", "3"}
    assert out["explanations"]["1"]["round"] == 1
    assert out["explanations"]["1"]["price_per_supporter"] == 20
    assert out["explanations"]["2"]["displaced_by"] == "1"
    assert "payers" not in out["explanations"]["1"]
    args = ["count", str(SMALL), "--rule", "equal-shares", "--json", "--payers"]
    assert pb_cli.main(args) == 0
    explained = json.loads(capsys.readouterr().out)["explanations"]
    assert explained["1"]["payers"] == ["v1", "v2", "v6"]
    assert explained["10"]["payers"] == ["v3", "v4"]
    assert pb_cli.main(["count", str(SMALL), "--rule", "greedy"]) == 0
    text = capsys.readouterr().out
    assert "Budget 100, funded 2 projects costing 90" in text
    assert "Bike racks; covered" in text


def test_console_script_subprocess(tmp_path: Path) -> None:
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "medvirk.cli",
            "pb",
            "count",
            str(SMALL),
            "--rule",
            "greedy",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["selected"] == ["1", "10"]
    bad = tmp_path / "bad.pb"
    bad.write_text(HEAD + PROJECTS + "VOTES\nvoter_id;vote\nv1;9\n", encoding="utf-8")
    failed = subprocess.run(
        [sys.executable, "-m", "medvirk.cli", "pb", "count", str(bad), "--rule", "greedy"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 2
    assert failed.stderr.strip() == (
        f"medvirk pb: {bad}:11: vote for project '9', which is not in PROJECTS"
    )


def test_messy_but_valid_approval_votes_take_the_careful_path() -> None:
    text = HEAD + PROJECTS + "VOTES\nvoter_id;vote\nv1; 1 , 2\nv2;\nv3;2,2\nv4;None\n"
    election = parse_pb(text)
    assert election.offsets == [0, 2, 2, 3, 3]  # spaces trimmed, duplicate kept once
    assert election.ballot_projects == [0, 1, 1]


def test_fractional_points_are_scaled_exactly() -> None:
    text = (
        HEAD.replace("approval", "cumulative")
        + PROJECTS
        + "VOTES\nvoter_id;vote;points\nv1;1,2;1.5,2\nv2;2;0.25\n"
    )
    election = parse_pb(text)
    assert election.points_scale == 4
    assert election.ballot_points == [6, 8, 1]
    again = parse_pb(election_to_text(election))
    assert again.ballot_points == [6, 8, 1] and again.points_scale == 4


def test_bulk_and_careful_paths_agree() -> None:
    clean = (
        HEAD.replace("approval", "cumulative")
        + PROJECTS
        + "VOTES\nvoter_id;vote;points\nv1;1,2;3,2\nv2;None;None\nv3;2;5\n"
    )
    messy = clean.replace("v3;2;5", "v3; 2 ; 5")  # a space forces the careful path
    fast, careful = parse_pb(clean), parse_pb(messy)
    assert fast.offsets == careful.offsets == [0, 2, 2, 3]
    assert fast.ballot_projects == careful.ballot_projects == [0, 1, 1]
    assert fast.ballot_points == careful.ballot_points == [3, 2, 5]
