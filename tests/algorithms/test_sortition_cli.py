"""``medvirk sortition``: JSON output, the seed, and one-line errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from medvirk.algorithms.sortition.cli import main

DATA = Path(__file__).parent / "data" / "sortition"
PEOPLE = DATA / "people.csv"
FEATURES = DATA / "features.csv"
GOOD_FEATURES = "feature,value,min,max\ngender,f,1,2\ngender,m,1,2\n"
GOOD_PEOPLE = "id,gender,home\np1,f,a\np2,f,b\np3,m,c\np4,m,c\n"


def medvirk() -> str:
    return str(Path(sys.executable).parent / "medvirk")


def test_json_stdout_is_one_object_from_the_console_script() -> None:
    done = subprocess.run(
        [
            medvirk(),
            "sortition",
            "draw",
            str(PEOPLE),
            str(FEATURES),
            "--size",
            "5",
            "--seed",
            "7",
            "--json",
            "--probabilities",
            "--algorithm",
            "leximin",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)  # fails if a solver banner leaked onto stdout
    assert len(data["selected"]) == 5
    assert set(data["probabilities"]) == {f"a{i}" for i in range(1, 13)}
    assert sum(entry["probability"] for entry in data["distribution"]) == pytest.approx(1.0)
    marginal = dict.fromkeys(data["probabilities"], 0.0)
    for entry in data["distribution"]:
        for person in entry["panel"]:
            marginal[person] += entry["probability"]
    for person, p in data["probabilities"].items():
        assert marginal[person] == pytest.approx(p, abs=1e-12)
    assert done.stderr == ""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_same_seed_same_panel_and_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("draw", str(PEOPLE), str(FEATURES), "--size", "5", "--seed", "123", "--json")
    code, out, _ = run(capsys, *args)
    code2, out2, _ = run(capsys, *args)
    assert code == code2 == 0
    assert out == out2
    data = json.loads(out)
    assert "probabilities" not in data and "distribution" not in data
    assert data["seed"] == 123 and all(row["met"] for row in data["quotas"])
    assert data["reasons"]


def test_household_column_limits_one_per_household(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "draw",
        str(PEOPLE),
        str(FEATURES),
        "--size",
        "5",
        "--seed",
        "1",
        "--household-column",
        "address",
        "--json",
        "--probabilities",
    )
    assert code == 0
    data = json.loads(out)
    homes = {"a4": "h4", "a5": "h4", "a11": "h10", "a12": "h10"}
    for entry in data["distribution"]:
        shared = [homes[p] for p in entry["panel"] if p in homes]
        assert len(shared) == len(set(shared))


def test_text_output_and_verify_round_trip(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "draw", str(PEOPLE), str(FEATURES), "--size", "5", "--seed", "2")
    assert code == 0 and "Selected (5)" in out and "Why:" in out
    code, out, _ = run(
        capsys, "draw", str(PEOPLE), str(FEATURES), "--size", "5", "--json", "--probabilities"
    )
    lottery = tmp_path / "lottery.json"
    lottery.write_text(out, encoding="utf-8")
    code, out, _ = run(capsys, "verify", str(PEOPLE), str(FEATURES), str(lottery), "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    data = json.loads(lottery.read_text(encoding="utf-8"))
    data["distribution"][0]["probability"] += 0.1
    lottery.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run(capsys, "verify", str(PEOPLE), str(FEATURES), str(lottery))
    assert code == 1 and "sum to" in out


def test_id_column_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text(GOOD_FEATURES, encoding="utf-8")
    (tmp_path / "p.csv").write_text(GOOD_PEOPLE.replace("id,", "person_no,"), encoding="utf-8")
    code, out, err = run(
        capsys,
        "draw",
        str(tmp_path / "p.csv"),
        str(tmp_path / "f.csv"),
        "--size",
        "2",
        "--id-column",
        "person_no",
        "--json",
    )
    assert code == 0, err
    assert len(json.loads(out)["selected"]) == 2


# (features.csv, people.csv, extra args, what the one-line error must contain)
BAD_INPUTS = {
    "features missing max": (
        "feature,value,min\ngender,f,1\n",
        GOOD_PEOPLE,
        [],
        ["f.csv:1:", "missing column 'max'"],
    ),
    "people missing feature column": (
        GOOD_FEATURES,
        "id,home\np1,a\n",
        [],
        ["p.csv:1:", "missing column 'gender'"],
    ),
    "people missing id column": (
        GOOD_FEATURES,
        "ident,gender\np1,f\n",
        [],
        ["p.csv:1:", "missing column 'id'"],
    ),
    "missing household column": (
        GOOD_FEATURES,
        GOOD_PEOPLE,
        ["--household-column", "address"],
        ["p.csv:1:", "missing column 'address'"],
    ),
    "duplicate id": (
        GOOD_FEATURES,
        "id,gender\np1,f\np2,m\np1,m\n",
        [],
        ["p.csv:4:", "duplicate id 'p1' (also on line 2)"],
    ),
    "unknown value": (
        GOOD_FEATURES,
        "id,gender\np1,f\np2,x\n",
        [],
        ["p.csv:3:", "'p2' has 'x' for 'gender'", "f.csv"],
    ),
    "min above max": (
        "feature,value,min,max\ngender,f,3,2\ngender,m,0,2\n",
        GOOD_PEOPLE,
        [],
        ["f.csv:2:", "gender/f: min 3 is greater than max 2"],
    ),
    "non-integer quota": (
        "feature,value,min,max\ngender,f,1.5,2\ngender,m,0,2\n",
        GOOD_PEOPLE,
        [],
        ["f.csv:2:", "min '1.5' is not a whole number"],
    ),
    "word quota": (
        "feature,value,min,max\ngender,f,1,two\ngender,m,0,2\n",
        GOOD_PEOPLE,
        [],
        ["f.csv:2:", "max 'two' is not a whole number"],
    ),
    "empty pool": (GOOD_FEATURES, "id,gender\n", [], ["p.csv:", "the pool is empty"]),
    "empty people file": (GOOD_FEATURES, "", [], ["p.csv:", "empty"]),
    "size larger than pool": (
        GOOD_FEATURES,
        GOOD_PEOPLE,
        ["--size", "5"],
        ["p.csv:", "larger than the pool (4 people)"],
    ),
    "sum of mins above size": (
        "feature,value,min,max\ngender,f,2,2\ngender,m,2,2\n",
        GOOD_PEOPLE,
        ["--size", "3"],
        ["f.csv:", "quotas for 'gender' cannot be met", "minimums add up to 4", "lines 2-3"],
    ),
    "min above people with value": (
        "feature,value,min,max\ngender,f,1,3\ngender,m,0,3\ngender,x,1,1\n",
        GOOD_PEOPLE,
        [],
        ["f.csv:4:", "quota gender/x cannot be met", "nobody in the pool has it"],
    ),
    "households too few": (
        GOOD_FEATURES,
        GOOD_PEOPLE,
        ["--size", "4", "--household-column", "home"],
        ["p.csv:", "number of households in the pool (3)"],
    ),
    "households conflict with quotas": (
        "feature,value,min,max\ngender,f,0,1\ngender,m,2,2\n",
        GOOD_PEOPLE,
        ["--size", "2", "--household-column", "home"],
        ["gender/m (min 2, max 2, line 3)", "one person per household"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_with_status_2(
    case: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    features_text, people_text, extra, expected = BAD_INPUTS[case]
    (tmp_path / "f.csv").write_text(features_text, encoding="utf-8")
    (tmp_path / "p.csv").write_text(people_text, encoding="utf-8")
    args = ["draw", str(tmp_path / "p.csv"), str(tmp_path / "f.csv"), "--json"]
    args += extra if "--size" in extra else ["--size", "2", *extra]
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for piece in expected:
        assert piece in err, (piece, err)


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["draw", str(PEOPLE), str(FEATURES)]) == 2  # no --size
    assert main(["draw", str(PEOPLE), str(FEATURES), "--size", "0"]) == 2
    assert main(["draw", str(PEOPLE), str(FEATURES), "--size", "3", "--algorithm", "x"]) == 2
    assert main(["draw", str(PEOPLE), str(FEATURES), "--size", "3", "--seed", "-1"]) == 2
    code, _, err = run(capsys, "draw", str(DATA / "nope.csv"), str(FEATURES), "--size", "3")
    assert code == 2 and "nope.csv" in err and "cannot read" in err
    assert main(["--help"]) == 0


def test_reference_file_conventions(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Old category,name headers, flex columns, a BOM and case/space differences all work."""
    (tmp_path / "f.csv").write_text(
        "category,name,min,max,min_flex,max_flex\nGender,f,1,3,0,4\ngender,m,1,3,0,4\n",
        encoding="utf-8",
    )
    (tmp_path / "p.csv").write_text("\ufeffID,GENDER\np1,F\np2, f\np3,m\np4,M \n", encoding="utf-8")
    code, out, err = run(
        capsys,
        "draw",
        str(tmp_path / "p.csv"),
        str(tmp_path / "f.csv"),
        "--size",
        "2",
        "--json",
        "--probabilities",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["probabilities"] == pytest.approx({"p1": 0.5, "p2": 0.5, "p3": 0.5, "p4": 0.5})


def test_flex_below_min_is_an_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text(
        "feature,value,min,max,min_flex,max_flex\ngender,f,1,3,2,4\n", encoding="utf-8"
    )
    (tmp_path / "p.csv").write_text(GOOD_PEOPLE, encoding="utf-8")
    code, _, err = run(
        capsys, "draw", str(tmp_path / "p.csv"), str(tmp_path / "f.csv"), "--size", "2"
    )
    assert code == 2 and "f.csv:2:" in err and "min_flex 2 is greater than min 1" in err
