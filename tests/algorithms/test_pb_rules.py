"""Outcomes of greedy and Equal Shares, compared with pabutools 1.2.3 (the reference)."""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import pytest

from medvirk.algorithms.pb import count, mes, parse_pb, read_pb
from medvirk.algorithms.pb.equal_shares import build_input

from .test_pb_helpers import as_text, random_election, reference_outcome

DATA = Path(__file__).parent / "data" / "pb"


def _same(reference: list[str], mine: list[str], free: int) -> bool:
    # pabutools funds free supported projects first in set order; we sort them by id.
    return sorted(reference[:free]) == sorted(mine[:free]) and reference[free:] == mine[free:]


def _check(text: str) -> None:
    election = parse_pb(text)
    for rule in ("greedy", "equal-shares"):
        result = count(election, rule)
        free = sum(p.stage == "free" for p in result.projects)
        reference = reference_outcome(text, rule)
        assert _same(reference, result.selected, free), (rule, reference, result.selected, text)
        assert result.cost <= election.budget


@pytest.mark.parametrize("seed", range(160))
def test_matches_pabutools_on_generated_elections(seed: int) -> None:
    rng = random.Random(seed)
    election = random_election(rng, seed % 2 == 1, rng.randint(1, 30), rng.randint(1, 10))
    _check(as_text(election))


@pytest.mark.parametrize("seed", range(40))
def test_matches_pabutools_with_decimal_and_large_costs(seed: int) -> None:
    rng = random.Random(1000 + seed)
    election = random_election(rng, seed % 2 == 0, rng.randint(5, 60), rng.randint(2, 9))
    factor = rng.choice([Fraction(37), Fraction(101, 4), Fraction(7, 2)])
    for project in election.projects:
        project.cost = project.cost * factor + rng.choice([0, 1, Fraction(1, 2)])
    election.budget *= factor
    _check(as_text(election))


TIES = """META
key;value
budget;{budget}
vote_type;approval
PROJECTS
project_id;cost
2;10
10;10
9;10
VOTES
voter_id;vote
a;2,10,9
b;2,10,9
"""


def test_ties_go_to_the_id_that_sorts_first_as_text() -> None:
    text = TIES.format(budget=20)
    for rule in ("greedy", "equal-shares"):
        assert count(parse_pb(text), rule).selected == ["10", "2"]
        assert reference_outcome(text, rule) == ["10", "2"]


def test_fixture_files_match_pabutools() -> None:
    for name in ("small_approval.pb", "small_cumulative.pb"):
        _check((DATA / name).read_text(encoding="utf-8"))


def test_cumulative_uses_points() -> None:
    election = read_pb(str(DATA / "small_cumulative.pb"))
    greedy = count(election, "greedy")
    # Points: C 8, B 7, A 4 (+ free D). C and B fit (2400 of 3000); A (1200.5) does not.
    assert greedy.selected == ["C", "B", "D"]
    assert greedy.projects[0].displaced_by == "B"
    shares = count(election, "equal-shares")
    assert shares.selected[0] == "D"  # free and supported: funded up front
    assert shares.projects[3].stage == "free"


@pytest.mark.parametrize("seed", range(60))
def test_float_engine_agrees_with_exact_engine(seed: int) -> None:
    rng = random.Random(5000 + seed)
    election = random_election(rng, seed % 2 == 0, rng.randint(2, 40), rng.randint(2, 10))
    inp, _, _ = build_input(election, 1)
    budget = Fraction(int(election.budget), election.num_voters) + rng.randint(0, 3)
    exact = mes.run_exact(inp, budget)
    try:
        fast = mes.run_float(inp, budget)
    except mes.NeedExact:
        return  # the float path declined; run() then uses the exact result
    assert fast.winners == exact.winners
    for a, b in zip(fast.rhos, exact.rhos, strict=True):
        assert float(a) == pytest.approx(float(b), rel=1e-9)


def test_explanations_cover_every_project() -> None:
    election = read_pb(str(DATA / "small_approval.pb"))
    result = count(election, "equal-shares")
    by_id = {p.id: p for p in result.projects}
    assert result.selected == ["1", "10"]
    assert by_id["1"].round == 1 and by_id["1"].price_per_supporter == pytest.approx(20)
    assert by_id["1"].paid_full_share == 3
    assert by_id["3"].lacked == pytest.approx(8)
    assert by_id["3"].displaced_by == "1"
    assert all(p.explanation for p in result.projects)
    assert result.budget_per_voter == Fraction(100, 6) + 4


@pytest.mark.parametrize("seed", range(20))
def test_exact_mode_gives_the_same_outcome(seed: int) -> None:
    rng = random.Random(9000 + seed)
    election = random_election(rng, seed % 2 == 0, rng.randint(5, 40), rng.randint(2, 9))
    fast = count(election, "equal-shares")
    exact = count(election, "equal-shares", exact=True)
    assert fast.selected == exact.selected
    assert fast.budget_per_voter == exact.budget_per_voter
    assert exact.exact_runs == exact.mes_runs
