"""Fair panel lotteries for citizens' assemblies (sortition), published and checkable.

Given a pool of volunteers and quotas per feature value, find a *lottery* over panels that
all meet the quotas, such that the lowest chance anyone in the pool has of being selected
is as high as possible (maximin), optionally also the second-lowest and so on (leximin).
Then draw one panel from it with a seed. Following Flanigan et al., "Fair algorithms for
selecting citizens' assemblies" (Nature, 2021), and Flanigan, Kehne and Procaccia, "Fair
sortition made transparent" (2021): the lottery itself is published, so anyone can check
that every panel in it meets the quotas, that its probabilities sum to one, and what each
person's chance was (:func:`verify_lottery`).

Open solver only (HiGHS). See ``fair`` for the optimisation, ``types`` for why it is
fast, ``expand`` for how named panels get exact probabilities.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from medvirk.algorithms.sortition.checks import (
    check_request,
    conflicting_quotas,
    describe_conflict,
)
from medvirk.algorithms.sortition.expand import expand
from medvirk.algorithms.sortition.fair import TypeLottery, leximin, maximin
from medvirk.algorithms.sortition.highs import PanelProgram
from medvirk.algorithms.sortition.io import (
    Features,
    Pool,
    SortitionInputError,
    read_features,
    read_people,
)
from medvirk.algorithms.sortition.types import TypeTable, build_types

ALGORITHMS = ("maximin", "leximin")
SUM_TOLERANCE = 1e-9

__all__ = [
    "ALGORITHMS",
    "Draw",
    "Lottery",
    "SortitionInputError",
    "Verification",
    "draw",
    "draw_from_files",
    "find_lottery",
    "verify_lottery",
]


@dataclass(frozen=True)
class Lottery:
    """A probability distribution over valid panels, with everyone's resulting chance."""

    algorithm: str
    size: int
    pool: Pool
    features: Features
    panels: list[npt.NDArray[np.int64]]  # person indices (sorted) of each panel
    weights: npt.NDArray[np.float64]  # probability of each panel; sums to one
    probability: npt.NDArray[np.float64]  # per person, computed from panels and weights
    gap: float  # the optimal lowest chance exceeds ours by at most this
    types: TypeTable
    type_lottery: TypeLottery

    @property
    def min_probability(self) -> float:
        reachable = self.type_lottery.coverable[self.types.person_type]
        return float(self.probability[reachable].min()) if reachable.any() else 0.0

    @property
    def unreachable(self) -> list[int]:
        """People no panel meeting the quotas can include."""
        return [
            int(i) for i in np.flatnonzero(~self.type_lottery.coverable[self.types.person_type])
        ]

    def pick(self, seed: int) -> tuple[int, float]:
        """The panel index a seeded uniform number falls on, and that number."""
        u = float(np.random.default_rng(seed).random())
        index = int(np.searchsorted(np.cumsum(self.weights), u, side="right"))
        return min(index, len(self.panels) - 1), u

    def distribution(self) -> list[dict[str, Any]]:
        ids = self.pool.ids
        return [
            {"panel": [ids[i] for i in panel], "probability": float(w)}
            for panel, w in zip(self.panels, self.weights, strict=True)
        ]


def find_lottery(pool: Pool, features: Features, size: int, algorithm: str = "maximin") -> Lottery:
    """Compute the fair lottery. Raises SortitionInputError if the quotas cannot be met."""
    if algorithm not in ALGORITHMS:
        raise SortitionInputError(f"unknown algorithm '{algorithm}' (use maximin or leximin)")
    types = build_types(pool)
    check_request(pool, features, types, size)
    program = PanelProgram(types, features, size)
    if not program.feasible():
        quotas, households = conflicting_quotas(types, features, size)
        path = pool.path if households and not quotas else features.path
        raise SortitionInputError(describe_conflict(quotas, households, size), path)
    solve = maximin if algorithm == "maximin" else leximin
    type_lottery = solve(program, types, size)
    people = expand(types, type_lottery.panels, type_lottery.weights, len(pool))
    return Lottery(
        algorithm=algorithm,
        size=size,
        pool=pool,
        features=features,
        panels=people.panels,
        weights=people.weights,
        probability=people.probability,
        gap=type_lottery.gap,
        types=types,
        type_lottery=type_lottery,
    )


@dataclass(frozen=True)
class Verification:
    """The result of checking a published lottery against the pool and quotas."""

    problems: list[str]
    probability: dict[str, float]
    panels: int

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_lottery(
    pool: Pool,
    features: Features,
    size: int,
    distribution: Sequence[tuple[Sequence[str], float]],
) -> Verification:
    """Check a published lottery independently of how it was computed.

    Every panel must have ``size`` distinct people from the pool, meet every quota (and
    the one-per-household rule if the pool was read with a household column), and the
    probabilities must be non-negative and sum to one. Returns everyone's chance.
    """
    problems: list[str] = []
    index = {person: i for i, person in enumerate(pool.ids)}
    feature_index = {name: f for f, name in enumerate(features.names)}
    probability = np.zeros(len(pool))
    total = 0.0
    for number, (panel, weight) in enumerate(distribution, start=1):
        where = f"panel {number}"
        if not weight >= 0:
            problems.append(f"{where}: probability {weight} is negative")
        total += weight
        members = [index.get(person, -1) for person in panel]
        if -1 in members:
            problems.append(f"{where}: '{panel[members.index(-1)]}' is not in the pool")
            continue
        if len(set(members)) != len(members):
            problems.append(f"{where}: someone appears twice")
        if len(members) != size:
            problems.append(f"{where}: {len(members)} people, not {size}")
        for quota in features.quotas:
            f = feature_index[quota.feature]
            v = features.values[quota.feature].index(quota.value)
            seated = sum(1 for i in members if pool.values[i][f] == v)
            if not quota.min <= seated <= quota.max:
                problems.append(
                    f"{where}: {seated} with {quota.label}, quota is {quota.min}-{quota.max}"
                )
        if pool.households is not None:
            homes = [pool.households[i] for i in members]
            if len(set(homes)) != len(homes):
                problems.append(f"{where}: two people from the same household")
        probability[members] += weight
    if abs(total - 1.0) > SUM_TOLERANCE:
        problems.append(f"the probabilities sum to {total!r}, not 1")
    return Verification(
        problems,
        {person: float(p) for person, p in zip(pool.ids, probability, strict=True)},
        len(distribution),
    )


def _describe_type(lottery: Lottery, t: int) -> dict[str, str]:
    features = lottery.features
    return {
        name: features.values[name][int(lottery.types.values[t, f])]
        for f, name in enumerate(features.names)
    }


def _group_reason(p: float, lowest: float, reachable: bool, algorithm: str) -> str:
    if not reachable:
        return (
            "No panel that meets the quotas can include people like this, so they could "
            "not be selected."
        )
    if p <= lowest + 1e-9:
        return (
            "This is the lowest chance anyone had. The lottery was chosen to make the lowest "
            "chance as high as the quotas allow."
        )
    if algorithm == "leximin":
        return (
            "Higher than the lowest chance: the quotas need more people like this on the "
            "panel than the pool has spare, and the lottery raised every chance as far as "
            "the quotas allowed, the lowest first."
        )
    return (
        "Higher than the lowest chance: the quotas need more people like this on the panel "
        "relative to how many of them volunteered."
    )


@dataclass(frozen=True)
class Draw:
    lottery: Lottery
    seed: int
    uniform: float  # the seeded number in [0, 1) that picked the panel
    panel_index: int
    selected: list[str]
    reasons: list[str] = field(default_factory=list)

    def quota_table(self) -> list[dict[str, Any]]:
        lottery = self.lottery
        chosen = lottery.panels[self.panel_index]
        rows = []
        for f, name in enumerate(lottery.features.names):
            for quota in (q for q in lottery.features.quotas if q.feature == name):
                v = lottery.features.values[name].index(quota.value)
                seated = sum(1 for i in chosen if lottery.pool.values[i][f] == v)
                rows.append(
                    {
                        "feature": quota.feature,
                        "value": quota.value,
                        "min": quota.min,
                        "max": quota.max,
                        "selected": seated,
                        "met": quota.min <= seated <= quota.max,
                    }
                )
        return rows

    def groups(self) -> list[dict[str, Any]]:
        """Everyone's chance by feature values (households split types; merged back here)."""
        lottery = self.lottery
        lowest = lottery.min_probability
        coverable = lottery.type_lottery.coverable
        merged: dict[tuple[tuple[str, str], ...], list[dict[str, Any]]] = {}
        for t, members in enumerate(lottery.types.members):
            described = _describe_type(lottery, t)
            p = float(np.mean(lottery.probability[members]))
            same = merged.setdefault(tuple(described.items()), [])
            for group in same:
                if abs(group["probability"] - p) <= 1e-9:
                    group["people"] += len(members)
                    break
            else:
                reason = _group_reason(p, lowest, bool(coverable[t]), lottery.algorithm)
                same.append(
                    {
                        "features": described,
                        "people": len(members),
                        "probability": p,
                        "reason": reason,
                    }
                )
        result = [group for groups in merged.values() for group in groups]
        result.sort(key=lambda g: (g["probability"], sorted(g["features"].items())))
        return result

    def to_json(self, probabilities: bool = False) -> dict[str, Any]:
        lottery = self.lottery
        data: dict[str, Any] = {
            "algorithm": lottery.algorithm,
            "size": lottery.size,
            "pool": len(lottery.pool),
            "seed": self.seed,
            "uniform": self.uniform,
            "panel_index": self.panel_index,
            "selected": self.selected,
            "min_probability": lottery.min_probability,
            "gap": lottery.gap,
            "panels_in_lottery": len(lottery.panels),
            "unreachable": [lottery.pool.ids[i] for i in lottery.unreachable],
            "quotas": self.quota_table(),
            "reasons": self.reasons,
        }
        if probabilities:
            data["probabilities"] = {
                person: float(p)
                for person, p in zip(lottery.pool.ids, lottery.probability, strict=True)
            }
            data["groups"] = self.groups()
            data["distribution"] = lottery.distribution()
        return data


def draw(lottery: Lottery, seed: int | None = None) -> Draw:
    """Draw one panel from the lottery; the same seed always gives the same panel."""
    if seed is None:
        seed = secrets.randbelow(2**63)
    index, u = lottery.pick(seed)
    chosen = lottery.panels[index]
    pool = lottery.pool
    lowest = lottery.min_probability
    households = " Only one person per household could be selected." if pool.households else ""
    n_quotas = len(lottery.features.quotas)
    quotas = "the quota" if n_quotas == 1 else f"all {n_quotas} quotas"
    reasons = [
        f"{len(pool)} people volunteered for {lottery.size} seats. Every possible panel in "
        f"the lottery meets {quotas} (on {', '.join(lottery.features.names)}).{households}",
        f"The lottery ({lottery.algorithm}) gives everyone who can be selected at least a "
        f"{lowest:.4%} chance. No lottery that meets the quotas can give the least likely "
        f"person more than {lowest + lottery.gap:.4%}.",
        "People with the same values on every quota feature had exactly the same chance"
        + (" (unless they share a household with another volunteer)." if households else "."),
        f"The lottery mixes {len(lottery.panels)} panels and is published with their "
        "probabilities, so anyone can check every panel against the quotas and add up "
        "each person's chance.",
        f"The panel was drawn with seed {seed}: it gave the number {u:.6f}, which falls on "
        f"panel {index + 1} when the panels are laid end to end by probability.",
    ]
    if lottery.unreachable:
        reasons.append(
            f"{len(lottery.unreachable)} people could not be selected at all: no panel that "
            "meets the quotas can include them."
        )
    if lottery.algorithm == "leximin":
        reasons.insert(
            2,
            "After the lowest chance, the next-lowest was made as high as possible, and so "
            "on (leximin), so no one's chance is lower than it needs to be.",
        )
    selected = [pool.ids[i] for i in chosen]
    return Draw(lottery, seed, u, index, selected, reasons)


def draw_from_files(
    people_path: Path | str,
    features_path: Path | str,
    size: int,
    *,
    algorithm: str = "maximin",
    seed: int | None = None,
    household_column: str | None = None,
    id_column: str = "id",
) -> Draw:
    features = read_features(features_path)
    pool = read_people(
        people_path, features, id_column=id_column, household_column=household_column
    )
    return draw(find_lottery(pool, features, size, algorithm), seed)
