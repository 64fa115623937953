"""Weights that make answers speak for the population: post-stratification by raking.

When some groups answer more than others, each answer can be given a weight so that the
weighted answers have the population's make-up. With one dimension (say age band) that is
the simple case: an answer's weight is its group's share of the population divided by the
group's share of the answers (:func:`cell_weights`). With several dimensions whose
population figures are known only one at a time (age band, gender, district: SSB gives
margins, not every combination), raking — iterative proportional fitting (Deming and
Stephan, 1940) — adjusts the weights to each dimension in turn until every dimension's
weighted shares match the population's (:func:`rake`).

Rules, the same in both:

* A category the population has (a figure above 0) but no one answered cannot be weighted
  up from nothing: :class:`WeightingError` names the dimension and the category, so the
  case officer knows whom the answers miss.
* A category with no population figure ("other", "unknown", "would rather not say") is
  not adjusted on that dimension: in each step it keeps its weighted share and the
  categories with figures share the rest in the population's proportions. With one
  dimension it keeps its share of the answers; with several, the other dimensions move it.
* Weights are normalised to a mean of 1 over the answers, so the weighted count equals the
  number of answers and a weight reads as "counts as this many answers".

Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

TOLERANCE = 1e-7
MAX_ITERATIONS = 2000


class WeightingError(ValueError):
    """Weights cannot be computed; ``code``, ``dimension`` and ``category`` say why."""

    def __init__(self, code: str, message: str, dimension: str = "", category: str = "") -> None:
        self.code = code
        self.dimension = dimension
        self.category = category
        super().__init__(message)


def _shares(population: Mapping[str, float], dimension: str) -> dict[str, float]:
    for category, count in population.items():
        if count < 0:
            raise WeightingError(
                "negative",
                f"{dimension}/{category}: a population figure cannot be negative ({count})",
                dimension,
                category,
            )
    total = float(sum(population.values()))
    if total <= 0:
        raise WeightingError(
            "no_population", f"{dimension}: no population figures above 0", dimension
        )
    return {category: count / total for category, count in population.items() if count > 0}


def _check_covered(
    shares: Mapping[str, float], present: Mapping[str, float], dimension: str
) -> None:
    for category in shares:
        if present.get(category, 0.0) <= 0:
            raise WeightingError(
                "no_respondents",
                f"{dimension}/{category} has people in the population but no one answered, "
                "so no weight can stand in for them",
                dimension,
                category,
            )


def cell_weights(answers: Mapping[str, int], population: Mapping[str, float]) -> dict[str, float]:
    """One dimension: the weight of an answer in each category (mean 1 over the answers).

    ``answers`` is the number of answers per category, ``population`` the population per
    category. A category with answers but no figure keeps weight 1 before normalising.
    """
    rows = [{"d": category} for category, n in answers.items() for _ in range(n)]
    if not rows:
        raise WeightingError("no_answers", "there are no answers to weight")
    weights = rake(rows, {"d": population})
    found: dict[str, float] = {}
    for row, weight in zip(rows, weights, strict=True):
        found.setdefault(row["d"], weight)
    return found


def rake(
    respondents: Sequence[Mapping[str, str]],
    population: Mapping[str, Mapping[str, float]],
    *,
    tolerance: float = TOLERANCE,
    max_iterations: int = MAX_ITERATIONS,
) -> list[float]:
    """A weight per respondent so every dimension's weighted shares match the population's.

    ``respondents[i]`` maps each dimension of ``population`` to that person's category;
    ``population[dimension][category]`` is how many people the population has in it.
    Raises :class:`WeightingError` when a populated category has no respondents, when a
    respondent lacks a dimension, or when the margins cannot be met together.
    """
    if not respondents:
        raise WeightingError("no_answers", "there are no answers to weight")
    dimensions = list(population)
    if not dimensions:
        return [1.0] * len(respondents)
    targets = {d: _shares(population[d], d) for d in dimensions}
    for index, person in enumerate(respondents):
        for d in dimensions:
            if d not in person:
                raise WeightingError(
                    "missing", f"respondent {index + 1} has no category for '{d}'", d
                )
    for d in dimensions:
        present: dict[str, float] = {}
        for person in respondents:
            present[person[d]] = present.get(person[d], 0.0) + 1.0
        _check_covered(targets[d], present, d)

    n = len(respondents)
    weights = [1.0] * n
    for _iteration in range(max_iterations):
        worst = 0.0
        for d in dimensions:
            share = targets[d]
            mass: dict[str, float] = {}
            for person, weight in zip(respondents, weights, strict=True):
                mass[person[d]] = mass.get(person[d], 0.0) + weight
            total = sum(mass.values())
            # Categories without a figure keep their weighted mass; the rest is shared out
            # in the population's proportions.
            fixed = sum(m for category, m in mass.items() if category not in share)
            room = total - fixed
            factor = {
                category: (room * share[category]) / m
                for category, m in mass.items()
                if category in share
            }
            for f in factor.values():
                worst = max(worst, abs(f - 1.0))
            weights = [
                w * factor.get(person[d], 1.0)
                for person, w in zip(respondents, weights, strict=True)
            ]
        if worst <= tolerance:
            break
    else:
        raise WeightingError(
            "no_convergence",
            f"the weights did not settle after {max_iterations} rounds: the answers cannot "
            "match every dimension's population shares at once",
        )
    mean = sum(weights) / n
    return [w / mean for w in weights]


@dataclass(frozen=True)
class GroupWeight:
    """The weight shared by every respondent with the same categories."""

    categories: tuple[tuple[str, str], ...]  # (dimension, category) in dimension order
    respondents: int
    weight: float


def group_weights(
    respondents: Sequence[Mapping[str, str]], population: Mapping[str, Mapping[str, float]]
) -> list[GroupWeight]:
    """:func:`rake`, then one row per combination of categories (respondents with the same
    categories always get the same weight), in first-seen order."""
    weights = rake(respondents, population)
    dimensions = list(population)
    found: dict[tuple[tuple[str, str], ...], list[float]] = {}
    for person, weight in zip(respondents, weights, strict=True):
        key = tuple((d, person[d]) for d in dimensions)
        found.setdefault(key, []).append(weight)
    return [GroupWeight(key, len(ws), ws[0]) for key, ws in found.items()]
