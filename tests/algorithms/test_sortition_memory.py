"""The lottery from in-memory data: proportional quotas, and files the CLI's ``verify``
accepts exactly as written (so a published draw can be re-checked by anyone)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from medvirk.algorithms.sortition import draw, find_lottery, read_features, read_people
from medvirk.algorithms.sortition.cli import main
from medvirk.algorithms.sortition.io import Quota, SortitionInputError
from medvirk.algorithms.sortition.memory import (
    UNKNOWN,
    features_csv,
    features_from,
    lottery_json,
    people_csv,
    pool_from,
    proportional_quotas,
)

AGE = ["15-34", "35-66", "67+"]
SEX = ["female", "male", "other", UNKNOWN]
POPULATION = {"age": {"15-34": 300, "35-66": 500, "67+": 200}, "sex": {"female": 1, "male": 1}}


def test_proportional_quotas_floor_and_ceil_exactly() -> None:
    quotas = proportional_quotas(10, {"age": AGE, "sex": SEX}, POPULATION)
    assert [(q.feature, q.value, q.min, q.max, q.line) for q in quotas] == [
        ("age", "15-34", 3, 3, 2),  # 3/10 × 10 = 3 exactly: no rounding room
        ("age", "35-66", 5, 5, 3),
        ("age", "67+", 2, 2, 4),
        ("sex", "female", 5, 5, 5),
        ("sex", "male", 5, 5, 6),
        ("sex", "other", 0, 10, 7),  # no figure: free
        ("sex", UNKNOWN, 0, 10, 8),
    ]
    rounded = proportional_quotas(7, {"age": AGE}, POPULATION)
    assert [(q.min, q.max) for q in rounded] == [(2, 3), (3, 4), (1, 2)]  # 2.1, 3.5, 1.4
    wider = proportional_quotas(7, {"age": AGE}, POPULATION, slack=1)
    assert [(q.min, q.max) for q in wider] == [(1, 4), (2, 5), (0, 3)]


@pytest.mark.parametrize(
    ("size", "dimensions", "population", "slack"),
    [
        (0, {"age": AGE}, POPULATION, 0),
        (5, {"age": AGE}, POPULATION, -1),
        (5, {"age": AGE}, {"age": {}}, 0),
        (5, {"age": AGE}, {"age": {"15-34": 0}}, 0),
        (5, {"age": ["15-34", "15-34"]}, POPULATION, 0),
    ],
)
def test_proportional_quotas_refuse_nonsense(
    size: int,
    dimensions: dict[str, list[str]],
    population: dict[str, dict[str, int]],
    slack: int,
) -> None:
    with pytest.raises(SortitionInputError):
        proportional_quotas(size, dimensions, population, slack=slack)


def _pool(n: int, seed: int) -> tuple[list[str], list[dict[str, str]]]:
    rng = random.Random(seed)
    ids = [f"C{i:04d}-X" for i in range(n)]
    rows = []
    for _ in range(n):
        row = {"age": rng.choice(AGE)}
        sex = rng.choice(["female", "male", "male", "other", ""])
        if sex:
            row["sex"] = sex  # "" : did not answer → unknown
        rows.append(row)
    return ids, rows


def test_memory_matches_what_reading_the_written_files_gives(tmp_path: Path) -> None:
    features = features_from(proportional_quotas(8, {"age": AGE, "sex": SEX}, POPULATION))
    ids, rows = _pool(40, 1)
    pool = pool_from(ids, rows, features)
    assert pool.values[ids.index(ids[0])][1] == SEX.index(rows[0].get("sex", UNKNOWN))

    (tmp_path / "features.csv").write_text(features_csv(features), encoding="utf-8")
    (tmp_path / "people.csv").write_text(people_csv(pool, features), encoding="utf-8")
    read = read_features(tmp_path / "features.csv")
    assert read.names == features.names
    assert read.values == features.values
    assert [(q.feature, q.value, q.min, q.max, q.line) for q in read.quotas] == [
        (q.feature, q.value, q.min, q.max, q.line) for q in features.quotas
    ]
    people = read_people(tmp_path / "people.csv", read)
    assert people.ids == pool.ids
    assert people.values == pool.values


def test_the_cli_verifies_a_lottery_written_from_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    features = features_from(proportional_quotas(8, {"age": AGE, "sex": SEX}, POPULATION))
    ids, rows = _pool(60, 2)
    pool = pool_from(ids, rows, features)
    lottery = find_lottery(pool, features, 8)
    drawn = draw(lottery, seed=11)
    (tmp_path / "features.csv").write_text(features_csv(features), encoding="utf-8")
    (tmp_path / "people.csv").write_text(people_csv(pool, features), encoding="utf-8")
    (tmp_path / "lottery.json").write_text(
        lottery_json(8, lottery.distribution(), seed=11, uniform=drawn.uniform),
        encoding="utf-8",
    )
    paths = [str(tmp_path / name) for name in ("people.csv", "features.csv", "lottery.json")]
    assert main(["verify", *paths]) == 0
    assert capsys.readouterr().out.startswith("OK: all ")
    assert main(["verify", *paths, "--json"]) == 0
    checked = json.loads(capsys.readouterr().out)
    assert checked["ok"] is True
    for person, p in checked["probabilities"].items():
        assert p == pytest.approx(float(lottery.probability[ids.index(person)]), abs=1e-12)

    # A panel changed after publication is caught.
    data = json.loads((tmp_path / "lottery.json").read_text(encoding="utf-8"))
    panel = data["distribution"][0]["panel"]
    panel[0] = panel[1]  # someone twice
    (tmp_path / "lottery.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(["verify", *paths]) == 1
    assert "NOT OK" in capsys.readouterr().out


def test_pool_from_refuses_bad_people() -> None:
    features = features_from(proportional_quotas(2, {"age": AGE}, POPULATION))
    with pytest.raises(SortitionInputError, match="duplicate id"):
        pool_from(["a", "a"], [{"age": "67+"}, {"age": "67+"}], features)
    with pytest.raises(SortitionInputError, match="not one of its values"):
        pool_from(["a"], [{"age": "12-14"}], features)
    with pytest.raises(SortitionInputError, match="not one of its values"):
        pool_from(["a"], [{}], features)  # no unknown value in this features' age
    with pytest.raises(SortitionInputError):
        features_from([Quota("age", "67+", 3, 1, 2)])
