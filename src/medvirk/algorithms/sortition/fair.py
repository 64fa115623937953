"""Maximin and leximin lotteries over panels, by column generation (Flanigan et al. 2021).

The lottery is a probability for each of a (small) set of valid panels. We never list all
valid panels; instead we alternate between

1. the *master* linear program: the best mix of the panels found so far, and
2. *pricing*: the integer program finds the valid panel that the master's dual prices
   value most. If even that panel is worth no more than the master's current value,
   no panel outside the list could improve the lottery, and the dual prices prove how
   far from the optimum we can at most be (the *gap*).

Everything runs at type level (see ``types``): a type's probability is that of
each of its members.

Leximin (the supplementary material of the same paper) repeats this: once the lowest
probability is as high as it can be, the types that provably cannot get more (positive
dual price) are held at that level, and the next-lowest is raised, and so on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medvirk.algorithms.sortition.highs import MasterProgram, MasterSolution, PanelProgram
from medvirk.algorithms.sortition.types import TypeTable

GAP_TOLERANCE = 1e-7  # stop when the lowest probability is provably within this of optimal
FIX_THRESHOLD = 1e-9  # dual price above which a leximin type is held at its level
SWAP_SOURCES = 20  # maximin: panels in use whose seat swaps are tried before the MIP
SWAP_LIMIT = 3  # new panels taken per source panel and round
SWAP_MARGIN = 1e-9  # a swapped panel must beat the master's value by this much


@dataclass(frozen=True)
class TypeLottery:
    panels: list[npt.NDArray[np.int64]]  # type counts of each panel with positive weight
    weights: npt.NDArray[np.float64]  # their probabilities, summing to one
    probability: npt.NDArray[np.float64]  # per type: chance that a given member sits
    coverable: npt.NDArray[np.bool_]  # per type: some valid panel includes it
    gap: float  # proven: optimal lowest probability - achieved lowest <= gap
    pricing_rounds: int
    levels: int  # leximin levels (1 for maximin)


def _cover(
    program: PanelProgram, types: TypeTable, size: int
) -> tuple[list[npt.NDArray[np.int64]], npt.NDArray[np.bool_]]:
    """Valid panels that together include every type that any valid panel can include."""
    n = types.size
    covered = np.zeros(n, dtype=bool)
    impossible = np.zeros(n, dtype=bool)
    panels: list[npt.NDArray[np.int64]] = []
    inv = 1.0 / types.counts
    for target in range(n):
        if covered[target] or impossible[target]:
            continue
        # Target first (worth more than any panel without it), then as many other
        # uncovered types as possible, so few rounds cover everyone.
        weights = np.where(covered | impossible, 0.0, inv)
        weights[target] = size + 1.0
        priced = program.best(weights)
        if priced is None:
            raise RuntimeError("no valid panel exists")  # callers check feasibility first
        if priced.counts[target] == 0:
            impossible[target] = True
            continue
        panels.append(priced.counts)
        covered |= priced.counts > 0
    return panels, covered


def _column_generation(
    master: MasterProgram,
    program: PanelProgram,
    counts: npt.NDArray[np.int64],
    seen: set[bytes],
    n_types: int,
    swap_sources: int,
) -> tuple[MasterSolution, float, int]:
    """Add panels until no valid panel could raise the master's value by more than the gap.

    Cheap seat swaps around the panels in use find most new panels; the integer program
    runs only when they find none, and its proven bound is what certifies the gap.
    Returns (final master solution, upper bound, pricing rounds). The upper bound is on
    the best possible lowest probability and only meaningful while no type is held at a
    floor (maximin, and leximin's first level): any non-negative prices summing to one
    bound it by weak duality, whatever the solver's rounding.
    """
    rounds = 0
    while True:
        solution = master.solve()
        prices = np.zeros(n_types)
        prices[master.rows] = solution.duals
        weights = prices / counts
        threshold = solution.mu + SWAP_MARGIN
        in_use = np.argsort(-solution.weights, kind="stable")[:swap_sources]
        found = 0
        for column in in_use:
            if solution.weights[column] <= 0:
                break
            for panel in program.swaps(master.columns[column], weights, threshold, SWAP_LIMIT):
                key = panel.tobytes()
                if key not in seen:
                    seen.add(key)
                    master.add_panel(panel)
                    found += 1
        if found:
            continue
        priced = program.best(weights)
        assert priced is not None
        rounds += 1
        gap = max(0.0, priced.bound - solution.mu)
        upper = priced.bound / max(float(prices.sum()), 1e-300)
        if gap <= GAP_TOLERANCE:
            return solution, upper, rounds
        key = priced.counts.tobytes()
        if key in seen or priced.value <= solution.mu + 1e-12:
            # The best panel is already in the list (or its value is only above the
            # master's by the solver's own bound slack): numerically converged.
            return solution, upper, rounds
        seen.add(key)
        master.add_panel(priced.counts)


def _finish(
    master: MasterProgram,
    solution: MasterSolution,
    counts: npt.NDArray[np.int64],
    coverable: npt.NDArray[np.bool_],
    upper: float,
    rounds: int,
    levels: int,
) -> TypeLottery:
    weights = solution.weights.copy()
    weights[weights < 1e-12] = 0.0
    weights /= weights.sum()
    keep = np.flatnonzero(weights)
    panels = [master.columns[i] for i in keep]
    matrix = np.array(panels, dtype=np.float64) / counts  # (panels, types) chances
    w = _refine(weights[keep], matrix, coverable) if levels == 1 else weights[keep]
    probability = w @ matrix
    # Measured on the lottery actually returned, so solver tolerances are included.
    gap = max(0.0, upper - float(probability[coverable].min()))
    return TypeLottery(panels, w, probability, coverable, gap, rounds, levels)


def _refine(
    w: npt.NDArray[np.float64], matrix: npt.NDArray[np.float64], coverable: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float64]:
    """One step of iterative refinement on the maximin solution.

    The LP solver meets constraints only to ~1e-10, so the types at the minimum come out
    a few 1e-13 apart. Solving "all of them equal, weights sum to one" for the smallest
    correction puts them at the LP's optimum to machine precision. Kept only if it helps.
    """
    p = w @ matrix
    lowest = float(p[coverable].min())
    tight = np.flatnonzero(coverable & (p <= lowest + 1e-9))
    n = len(w)
    system = np.zeros((len(tight) + 1, n + 1))
    system[:-1, :n] = matrix[:, tight].T
    system[:-1, n] = -1.0
    system[-1, :n] = 1.0
    target = np.zeros(len(tight) + 1)
    target[-1] = 1.0
    x = np.concatenate([w, [float(p[tight].mean())]])
    step = np.linalg.lstsq(system, target - system @ x, rcond=None)[0]
    refined = w + step[:n]
    if refined.min() <= 0 or abs(refined.sum() - 1.0) > 1e-12:
        return w
    if float((refined @ matrix)[coverable].min()) <= lowest:
        return w
    return refined


def maximin(program: PanelProgram, types: TypeTable, size: int) -> TypeLottery:
    """The lottery maximising the lowest selection probability of anyone who can sit."""
    panels, coverable = _cover(program, types, size)
    master = MasterProgram(np.flatnonzero(coverable), types.counts)
    seen = set()
    for panel in panels:
        if panel.tobytes() not in seen:
            seen.add(panel.tobytes())
            master.add_panel(panel)
    solution, upper, rounds = _column_generation(
        master, program, types.counts, seen, types.size, SWAP_SOURCES
    )
    return _finish(master, solution, types.counts, coverable, upper, rounds, 1)


def leximin(program: PanelProgram, types: TypeTable, size: int) -> TypeLottery:
    """Maximin, then the second-lowest probability as high as possible, and so on."""
    panels, coverable = _cover(program, types, size)
    rows = np.flatnonzero(coverable)
    master = MasterProgram(rows, types.counts)
    seen = set()
    for panel in panels:
        if panel.tobytes() not in seen:
            seen.add(panel.tobytes())
            master.add_panel(panel)
    free = np.ones(len(rows), dtype=bool)
    total_rounds = 0
    levels = 0
    first_upper = 1.0
    while True:
        # No swap heuristic here: its many extra panels make the degenerate leximin
        # masters slow, which costs more than the integer programs it saves.
        solution, upper, rounds = _column_generation(
            master, program, types.counts, seen, types.size, 0
        )
        total_rounds += rounds
        levels += 1
        if levels == 1:
            first_upper = upper
        duals = np.where(free, solution.duals, 0.0)
        to_fix = np.flatnonzero(duals > FIX_THRESHOLD)
        if len(to_fix) == 0:
            to_fix = np.array([int(np.argmax(duals))])
        # Hold them a hair below the level reached, so rounding never makes it infeasible.
        floor = max(0.0, solution.z - 1e-11)
        for row in to_fix:
            master.fix(int(row), floor)
            free[row] = False
        if not free.any():
            break
    # The last master solution already meets every floor (each floor was reached by it
    # or by an earlier solution that the later levels were constrained to keep).
    return _finish(master, solution, types.counts, coverable, first_upper, total_rounds, levels)
