"""Post-stratification weights against examples worked by hand, and raking's promises."""

from __future__ import annotations

import random

import pytest

from medvirk.algorithms.weighting import WeightingError, cell_weights, group_weights, rake


def test_one_dimension_by_hand() -> None:
    # 2 young and 6 old answered; the population is half and half. A young answer stands
    # for 0.5 / (2/8) = 2 answers, an old one for 0.5 / (6/8) = 2/3. Mean (2·2 + 6·2/3)/8 = 1.
    weights = cell_weights({"young": 2, "old": 6}, {"young": 50, "old": 50})
    assert weights == pytest.approx({"young": 2.0, "old": 2 / 3})


def test_two_dimensions_by_hand() -> None:
    # Answers: young-f 1, young-m 1, old-f 3, old-m 3 (n = 8). Population: age 50/50,
    # sex 60/40. Age first: young ×2, old ×2/3 → f and m weigh 4 each; sex next: f ×1.2,
    # m ×0.8 → young-f 2.4, young-m 1.6, old-f 0.8, old-m 8/15. Age still matches
    # (2.4 + 1.6 = 4 = 3·0.8 + 3·8/15), so this is the fixed point; the mean is 8/8 = 1.
    people = (
        [{"age": "young", "sex": "f"}]
        + [{"age": "young", "sex": "m"}]
        + [{"age": "old", "sex": "f"}] * 3
        + [{"age": "old", "sex": "m"}] * 3
    )
    population = {"age": {"young": 500, "old": 500}, "sex": {"f": 600, "m": 400}}
    weights = rake(people, population)
    assert weights == pytest.approx([2.4, 1.6, 0.8, 0.8, 0.8, 8 / 15, 8 / 15, 8 / 15])
    groups = group_weights(people, population)
    assert [(dict(g.categories), g.respondents, round(g.weight, 6)) for g in groups] == [
        ({"age": "young", "sex": "f"}, 1, 2.4),
        ({"age": "young", "sex": "m"}, 1, 1.6),
        ({"age": "old", "sex": "f"}, 3, 0.8),
        ({"age": "old", "sex": "m"}, 3, round(8 / 15, 6)),
    ]


def test_a_category_without_a_figure_keeps_its_share() -> None:
    # 2 young, 4 old, 2 unknown. Unknown keeps its 2 of 8; young and old share the other 6
    # half and half: young ×1.5, old ×0.75, unknown ×1. Mean (3 + 3 + 2)/8 = 1.
    weights = cell_weights({"young": 2, "old": 4, "unknown": 2}, {"young": 10, "old": 10})
    assert weights == pytest.approx({"young": 1.5, "old": 0.75, "unknown": 1.0})


def test_margins_match_and_mean_is_one_on_random_answers() -> None:
    rng = random.Random(4)
    population = {
        "age": {"15-24": 500, "25-44": 900, "45-66": 1100, "67+": 700},
        "sex": {"female": 1610, "male": 1590},
        "area": {"north": 1200, "south": 800, "centre": 1200},
    }
    people = [
        {
            "age": rng.choice(["15-24", "25-44", "45-66", "45-66", "67+", "67+"]),
            "sex": rng.choice(["female", "female", "male", "other"]),
            "area": rng.choice(["north", "south", "centre", "centre"]),
        }
        for _ in range(300)
    ]
    weights = rake(people, population)
    assert sum(weights) / len(weights) == pytest.approx(1.0)
    assert min(weights) > 0
    for dimension, figures in population.items():
        total = sum(figures.values())
        known = sum(w for p, w in zip(people, weights, strict=True) if p[dimension] in figures)
        for category, count in figures.items():
            got = sum(w for p, w in zip(people, weights, strict=True) if p[dimension] == category)
            assert got / known == pytest.approx(count / total, abs=1e-6)


def test_a_populated_group_nobody_answered_is_named() -> None:
    people = [{"age": "old", "sex": "f"}, {"age": "old", "sex": "m"}]
    with pytest.raises(WeightingError) as raised:
        rake(people, {"age": {"young": 10, "old": 10}, "sex": {"f": 1, "m": 1}})
    assert raised.value.code == "no_respondents"
    assert (raised.value.dimension, raised.value.category) == ("age", "young")
    assert "age/young" in str(raised.value)


def test_a_group_of_size_zero_needs_no_answers() -> None:
    weights = cell_weights({"a": 3, "b": 1}, {"a": 3, "b": 1, "c": 0})
    assert weights == pytest.approx({"a": 1.0, "b": 1.0})


@pytest.mark.parametrize(
    ("people", "population", "code"),
    [
        ([], {"age": {"a": 1}}, "no_answers"),
        ([{"age": "a"}], {"age": {"a": 0}}, "no_population"),
        ([{"age": "a"}], {"age": {"a": -1, "b": 3}}, "negative"),
        ([{"sex": "f"}], {"age": {"a": 1}}, "missing"),
    ],
)
def test_bad_input_says_why(
    people: list[dict[str, str]], population: dict[str, dict[str, int]], code: str
) -> None:
    with pytest.raises(WeightingError) as raised:
        rake(people, population)
    assert raised.value.code == code


def test_margins_that_cannot_meet_are_reported() -> None:
    # Every young answer is female and every old one male: age 50/50 and sex 90/10 cannot
    # hold together, so the weights never settle.
    people = [{"age": "young", "sex": "f"}, {"age": "old", "sex": "m"}]
    with pytest.raises(WeightingError) as raised:
        rake(people, {"age": {"young": 1, "old": 1}, "sex": {"f": 9, "m": 1}}, max_iterations=50)
    assert raised.value.code == "no_convergence"
