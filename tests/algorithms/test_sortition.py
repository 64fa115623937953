"""The fair panel lottery: optimality against brute force, exact marginals, the draw."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linprog

from medvirk.algorithms.sortition import draw, find_lottery, verify_lottery
from medvirk.algorithms.sortition.io import (
    Features,
    Pool,
    SortitionInputError,
    read_features,
    read_people,
)

DATA = Path(__file__).parent / "data" / "sortition"


def tiny(household: bool = False) -> tuple[Pool, Features]:
    features = read_features(DATA / "features.csv")
    pool = read_people(
        DATA / "people.csv", features, household_column="address" if household else None
    )
    return pool, features


def write_pool(tmp_path: Path, n: int, seed: int, size: int) -> tuple[Pool, Features]:
    """A skewed random pool with three features and quotas around population shares."""
    rng = np.random.default_rng(seed)
    spec = {
        "gender": (["f", "m"], [0.65, 0.35], [0.5, 0.5]),
        "age": (["young", "mid", "old"], [0.15, 0.35, 0.5], [0.3, 0.35, 0.35]),
        "area": (["north", "south", "east", "west"], [0.4, 0.3, 0.2, 0.1], [0.25] * 4),
    }
    people = tmp_path / "people.csv"
    with people.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", *spec])
        columns = [
            rng.choice(values, size=n, p=pool_share) for values, pool_share, _ in spec.values()
        ]
        for i in range(n):
            writer.writerow([f"x{i}", *(str(column[i]) for column in columns)])
    quotas = tmp_path / "features.csv"
    with quotas.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["feature", "value", "min", "max"])
        for feature, (values, _, population) in spec.items():
            for value, share in zip(values, population, strict=True):
                target = size * share
                writer.writerow([feature, value, max(0, int(target) - 1), int(target) + 1])
    features = read_features(quotas)
    return read_people(people, features), features


def valid_panels(pool: Pool, features: Features, size: int) -> list[tuple[int, ...]]:
    """Every valid panel, by brute force (tiny pools only)."""
    panels = []
    for panel in itertools.combinations(range(len(pool)), size):
        ok = all(
            q.min
            <= sum(
                1
                for i in panel
                if features.values[q.feature][pool.values[i][features.names.index(q.feature)]]
                == q.value
            )
            <= q.max
            for q in features.quotas
        )
        if ok and pool.households is not None:
            ok = len({pool.households[i] for i in panel}) == size
        if ok:
            panels.append(panel)
    return panels


def brute_leximin(panels: list[tuple[int, ...]], n: int) -> np.ndarray:
    """Exact leximin by LP over all panels: raise the lowest, fix who cannot go higher."""
    a = np.zeros((n, len(panels)))
    for j, panel in enumerate(panels):
        a[list(panel), j] = 1.0
    fixed: dict[int, float] = {}
    while len(fixed) < n:
        free = [i for i in range(n) if i not in fixed]
        # variables: weights..., z ; maximise z
        rows, rhs = [], []
        for i in range(n):
            row = np.concatenate([-a[i], [1.0 if i in free else 0.0]])
            rows.append(row)
            rhs.append(0.0 if i in free else -fixed[i])
        eq = [np.concatenate([np.ones(len(panels)), [0.0]])]
        cost = np.zeros(len(panels) + 1)
        cost[-1] = -1.0
        res = linprog(cost, A_ub=rows, b_ub=rhs, A_eq=eq, b_eq=[1.0], method="highs")
        z = -res.fun
        for i in free:
            # Can i get more than z while everyone free keeps at least z?
            rows_i = [np.concatenate([-a[k], [0.0]]) for k in range(n)]
            rhs_i = [-(z - 1e-9) if k in free else -fixed[k] for k in range(n)]
            cost_i = np.concatenate([-a[i], [0.0]])
            res_i = linprog(cost_i, A_ub=rows_i, b_ub=rhs_i, A_eq=eq, b_eq=[1.0], method="highs")
            if -res_i.fun <= z + 1e-7:
                fixed[i] = z
    return np.array([fixed[i] for i in range(n)])


@pytest.mark.parametrize("household", [False, True])
def test_maximin_matches_brute_force(household: bool) -> None:
    pool, features = tiny(household)
    panels = valid_panels(pool, features, 5)
    best = brute_leximin(panels, len(pool)).min()
    lottery = find_lottery(pool, features, 5, "maximin")
    assert lottery.min_probability == pytest.approx(best, abs=1e-7)
    assert lottery.gap <= 1e-6


@pytest.mark.parametrize("household", [False, True])
def test_leximin_matches_brute_force(household: bool) -> None:
    pool, features = tiny(household)
    expected = brute_leximin(valid_panels(pool, features, 5), len(pool))
    lottery = find_lottery(pool, features, 5, "leximin")
    assert np.sort(lottery.probability) == pytest.approx(np.sort(expected), abs=1e-6)


def lexicographically_at_least(a: np.ndarray, b: np.ndarray, tol: float = 1e-7) -> bool:
    for x, y in zip(np.sort(a), np.sort(b), strict=True):
        if x > y + tol:
            return True
        if x < y - tol:
            return False
    return True


def test_leximin_improves_on_maximin(tmp_path: Path) -> None:
    pool, features = write_pool(tmp_path, 120, seed=7, size=12)
    lo = find_lottery(pool, features, 12, "maximin")
    lex = find_lottery(pool, features, 12, "leximin")
    assert lex.min_probability == pytest.approx(lo.min_probability, abs=1e-7)
    assert lexicographically_at_least(lex.probability, lo.probability)
    assert lex.probability.sum() == pytest.approx(12)


def test_published_lottery_verifies_and_marginals_are_exact(tmp_path: Path) -> None:
    pool, features = write_pool(tmp_path, 150, seed=3, size=15)
    lottery = find_lottery(pool, features, 15)
    published = [(entry["panel"], entry["probability"]) for entry in lottery.distribution()]
    check = verify_lottery(pool, features, 15, published)
    assert check.ok, check.problems
    assert sum(w for _, w in published) == pytest.approx(1.0, abs=1e-12)
    for person, p in zip(pool.ids, lottery.probability, strict=True):
        assert check.probability[person] == pytest.approx(p, abs=1e-12)
    # Expected panel size is exactly the size; interchangeable people share one chance.
    assert lottery.probability.sum() == pytest.approx(15, abs=1e-9)
    for members in lottery.types.members:
        assert np.ptp(lottery.probability[members]) <= 1e-12
    # The type-level optimum carries over to named people.
    type_p = lottery.type_lottery.probability[lottery.types.person_type]
    assert np.abs(type_p - lottery.probability).max() <= 1e-12


def test_verification_catches_tampering() -> None:
    pool, features = tiny()
    lottery = find_lottery(pool, features, 5)
    published = [(entry["panel"], entry["probability"]) for entry in lottery.distribution()]
    panel, weight = published[0]
    women = [p for p in pool.ids if pool.values[pool.ids.index(p)][0] == 0]
    bad = [*women[:5]]  # five women: breaks the gender quota (max 3)
    tampered = [(bad, weight), *published[1:]]
    check = verify_lottery(pool, features, 5, tampered)
    assert not check.ok
    assert any("gender/female" in problem for problem in check.problems)
    short = [(panel, weight / 2), *published[1:]]
    assert any("sum to" in problem for problem in verify_lottery(pool, features, 5, short).problems)


def test_draw_frequencies_match_probabilities(tmp_path: Path) -> None:
    pool, features = write_pool(tmp_path, 80, seed=11, size=10)
    lottery = find_lottery(pool, features, 10)
    draws = 10_000
    counts = np.zeros(len(pool))
    for seed in range(draws):
        index, _ = lottery.pick(seed)
        counts[lottery.panels[index]] += 1
    freq = counts / draws
    p = lottery.probability
    stderr = np.sqrt(p * (1 - p) / draws)
    assert np.all(np.abs(freq - p) <= 4 * stderr + 1e-12)


def test_same_seed_same_panel() -> None:
    pool, features = tiny()
    lottery = find_lottery(pool, features, 5)
    first = draw(lottery, seed=42)
    again = draw(find_lottery(pool, features, 5), seed=42)
    assert first.selected == again.selected
    assert first.uniform == again.uniform
    panels = {tuple(draw(lottery, seed=s).selected) for s in range(30)}
    assert len(panels) > 1
    assert all(row["met"] for row in first.quota_table())


def test_household_rule_holds_in_every_panel() -> None:
    pool, features = tiny(household=True)
    lottery = find_lottery(pool, features, 5, "leximin")
    assert pool.households is not None
    for panel in lottery.panels:
        homes = [pool.households[i] for i in panel]
        assert len(set(homes)) == len(homes)


def test_people_no_panel_can_include_get_zero(tmp_path: Path) -> None:
    (tmp_path / "features.csv").write_text(
        "feature,value,min,max\ncolour,red,0,0\ncolour,blue,2,2\n", encoding="utf-8"
    )
    (tmp_path / "people.csv").write_text(
        "id,colour\nr1,red\nb1,blue\nb2,blue\nb3,blue\nb4,blue\n", encoding="utf-8"
    )
    features = read_features(tmp_path / "features.csv")
    pool = read_people(tmp_path / "people.csv", features)
    lottery = find_lottery(pool, features, 2)
    assert lottery.unreachable == [0]
    assert lottery.probability[0] == 0
    assert lottery.min_probability == pytest.approx(0.5)
    result = draw(lottery, seed=1)
    assert result.to_json()["unreachable"] == ["r1"]
    assert any("could not be selected" in reason for reason in result.reasons)


def test_conflicting_quotas_are_named(tmp_path: Path) -> None:
    # Every woman in the pool is young, but at most 2 young people may sit.
    (tmp_path / "features.csv").write_text(
        "feature,value,min,max\ngender,f,3,4\ngender,m,1,3\nage,young,0,2\nage,old,0,5\n",
        encoding="utf-8",
    )
    rows = ["id,gender,age"] + [f"w{i},f,young" for i in range(4)]
    rows += [f"m{i},m,old" for i in range(4)]
    (tmp_path / "people.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    features = read_features(tmp_path / "features.csv")
    pool = read_people(tmp_path / "people.csv", features)
    with pytest.raises(SortitionInputError) as caught:
        find_lottery(pool, features, 5)
    message = caught.value.one_line()
    assert "gender/f (min 3, max 4, line 2)" in message
    assert "age/young (min 0, max 2, line 4)" in message
    assert "gender/m" not in message and "age/old" not in message


def test_reasons_and_groups_explain_the_chances() -> None:
    pool, features = tiny()
    result = draw(find_lottery(pool, features, 5, "leximin"), seed=5)
    data = result.to_json(probabilities=True)
    assert set(data["probabilities"]) == set(pool.ids)
    assert sum(g["people"] for g in data["groups"]) == len(pool)
    lowest = data["groups"][0]
    assert lowest["probability"] == pytest.approx(data["min_probability"])
    assert "lowest chance" in lowest["reason"]
    assert any("leximin" in reason for reason in data["reasons"])
    marginal = dict.fromkeys(pool.ids, 0.0)
    for entry in data["distribution"]:
        for person in entry["panel"]:
            marginal[person] += entry["probability"]
    for person, p in data["probabilities"].items():
        assert marginal[person] == pytest.approx(p, abs=1e-12)
