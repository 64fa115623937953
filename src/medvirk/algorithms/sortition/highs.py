"""The two HiGHS models behind the lotteries.

* :class:`PanelProgram`: the integer program whose solutions are exactly the valid panels
  (at type level: how many people of each type sit). Used to find panels that are best for
  a given weighting of the types (the "pricing" step) and to test whether quotas can be met.
* :class:`MasterProgram`: the linear program that mixes the panels found so far into a
  lottery maximising the lowest selection probability, with some types' probabilities
  possibly held at fixed floors (for leximin).

HiGHS prints a licence banner on stdout the first time a solver is created in a process;
:func:`new_highs` discards it, so ``--json`` output stays one JSON object and errors stay
one line on stderr.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt

from medvirk.algorithms.sortition.io import Features
from medvirk.algorithms.sortition.types import TypeTable

_banner_lock = threading.Lock()
_banner_done = False
INF = highspy.kHighsInf


def new_highs() -> highspy.Highs:
    """A silent HiGHS instance; the once-per-process banner is discarded."""
    global _banner_done
    with _banner_lock:
        if not _banner_done:
            sys.stdout.flush()
            saved = os.dup(1)
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, 1)
                solver = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(devnull)
            _banner_done = True
        else:
            solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("random_seed", 0)
    return solver


def quota_members(types: TypeTable, features: Features) -> list[npt.NDArray[np.int64]]:
    """For each quota (in file order), the types that count towards it."""
    feature_index = {name: f for f, name in enumerate(features.names)}
    result = []
    for quota in features.quotas:
        f = feature_index[quota.feature]
        v = features.values[quota.feature].index(quota.value)
        result.append(np.flatnonzero(types.values[:, f] == v).astype(np.int64))
    return result


@dataclass(frozen=True)
class PricedPanel:
    counts: npt.NDArray[np.int64]  # people of each type on the panel
    value: float  # the weighted sum achieved
    bound: float  # proven upper bound on the best weighted sum (>= value)


class PanelProgram:
    """Integer program over type counts: panel size, quotas and households.

    ``quotas`` selects which quotas (indices into ``features.quotas``) are enforced, and
    ``households`` whether the one-per-household rows are, so that the infeasibility
    diagnosis can switch constraints off.
    """

    def __init__(
        self,
        types: TypeTable,
        features: Features,
        size: int,
        *,
        quotas: Sequence[int] | None = None,
        households: bool = True,
    ) -> None:
        self.types = types
        n = types.size
        h = new_highs()
        h.setOptionValue("mip_rel_gap", 1e-9)
        h.setOptionValue("mip_abs_gap", 1e-12)
        h.setOptionValue("mip_feasibility_tolerance", 1e-9)
        h.addVars(n, np.zeros(n), types.counts.astype(np.float64))
        h.changeColsIntegrality(
            n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger)
        )
        members = quota_members(types, features)
        chosen = range(len(features.quotas)) if quotas is None else quotas
        rows: list[tuple[npt.NDArray[np.int64], float, float]] = [
            (np.arange(n, dtype=np.int64), float(size), float(size))
        ]
        for q in chosen:
            quota = features.quotas[q]
            rows.append((members[q], float(quota.min), float(quota.max)))
        if households:
            for group in types.households:
                rows.append((np.array(group, dtype=np.int64), -INF, 1.0))
        starts = np.cumsum([0] + [len(r[0]) for r in rows[:-1]]).astype(np.int32)
        indices = np.concatenate([r[0] for r in rows]).astype(np.int32)
        h.addRows(
            len(rows),
            np.array([r[1] for r in rows]),
            np.array([r[2] for r in rows]),
            len(indices),
            starts,
            indices,
            np.ones(len(indices)),
        )
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self._h = h
        # For the swap heuristic: per feature, each type's value and the value bounds.
        self._values = types.values
        self._bounds: list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]] = []
        for name in features.names:
            k = len(features.values[name])
            self._bounds.append((np.full(k, -np.inf), np.full(k, np.inf)))
        feature_index = {name: f for f, name in enumerate(features.names)}
        for q in chosen:
            quota = features.quotas[q]
            f = feature_index[quota.feature]
            v = features.values[quota.feature].index(quota.value)
            self._bounds[f][0][v] = quota.min
            self._bounds[f][1][v] = quota.max
        self._group = np.full(n, -1, dtype=np.int64)
        if households:
            for g, group in enumerate(types.households):
                self._group[group] = g
        self._households = households and bool(types.households)

    def swaps(
        self,
        counts: npt.NDArray[np.int64],
        weights: npt.NDArray[np.float64],
        threshold: float,
        limit: int,
    ) -> list[npt.NDArray[np.int64]]:
        """Valid panels one seat-swap away from ``counts`` worth more than ``threshold``.

        A cheap way to find many good panels without the integer program: move one seat
        from a type on the panel to another type, if every quota still holds.
        """
        x = counts
        leave = np.flatnonzero(x > 0)
        enter = np.flatnonzero(x < self.types.counts)
        if len(leave) == 0 or len(enter) == 0:
            return []
        value = float(weights @ x)
        gain = weights[enter][None, :] - weights[leave][:, None]
        ok = (value + gain > threshold) & (leave[:, None] != enter[None, :])
        if not ok.any():
            return []
        for f, (low, high) in enumerate(self._bounds):
            seated = np.bincount(self._values[:, f], weights=x, minlength=len(low))
            out_v = self._values[leave, f][:, None]
            in_v = self._values[enter, f][None, :]
            same = out_v == in_v
            ok &= same | ((seated[out_v] - 1 >= low[out_v]) & (seated[in_v] + 1 <= high[in_v]))
        if self._households:
            groups = self._group
            seated_homes = (x > 0) & (groups >= 0)
            load = np.bincount(groups[seated_homes], weights=x[seated_homes], minlength=len(x))
            in_g = groups[enter][None, :]
            out_g = groups[leave][:, None]
            free = (in_g < 0) | (load[in_g] - (out_g == in_g) == 0)
            ok &= free
        rows, cols = np.nonzero(ok)
        if len(rows) == 0:
            return []
        order = np.argsort(-gain[rows, cols], kind="stable")[:limit]
        result = []
        for r, c in zip(rows[order], cols[order], strict=True):
            new = x.copy()
            new[leave[r]] -= 1
            new[enter[c]] += 1
            result.append(new)
        return result

    def best(self, weights: npt.NDArray[np.float64]) -> PricedPanel | None:
        """The panel maximising ``weights @ counts``; None if no valid panel exists."""
        h = self._h
        n = self.types.size
        scale = float(np.max(np.abs(weights))) if len(weights) else 0.0
        scale = scale if scale > 0 else 1.0
        h.changeColsCost(n, np.arange(n, dtype=np.int32), weights / scale)
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"HiGHS could not solve the panel program: {status}")
        counts = np.rint(np.array(h.getSolution().col_value)).astype(np.int64)
        info = h.getInfo()
        value = float(weights @ counts)
        bound = max(value, float(info.mip_dual_bound) * scale)
        return PricedPanel(counts, value, bound)

    def feasible(self) -> bool:
        return self.best(np.zeros(self.types.size)) is not None


@dataclass(frozen=True)
class MasterSolution:
    z: float  # the lowest probability among the types not held at a floor
    duals: npt.NDArray[np.float64]  # one weight per type row (>= 0)
    mu: float  # dual of "weights sum to one"
    weights: npt.NDArray[np.float64]  # probability of each panel column


class MasterProgram:
    """max z  s.t.  sum_P w_P a_Pt >= z (free types), >= floor_t (fixed types), sum w_P = 1.

    ``a_Pt`` is the chance that a given person of type t sits when panel P is drawn:
    (people of type t on P) / (people of type t in the pool).
    """

    def __init__(self, rows: npt.NDArray[np.int64], counts: npt.NDArray[np.int64]) -> None:
        self.rows = rows  # the types that have a row (those some valid panel can include)
        self.inv_counts = 1.0 / counts[rows].astype(np.float64)
        m = len(rows)
        h = new_highs()
        h.setOptionValue("primal_feasibility_tolerance", 1e-10)
        h.setOptionValue("dual_feasibility_tolerance", 1e-10)
        h.setOptionValue("simplex_strategy", 4)  # primal simplex: new columns keep feasibility
        # Rows 0..m-1: one per type, lower bound 0; row m: convexity (= 1).
        h.addRows(
            m + 1,
            np.concatenate([np.zeros(m), [1.0]]),
            np.concatenate([np.full(m, INF), [1.0]]),
            0,
            np.zeros(m + 1, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        # Column 0 is z, with coefficient -1 in every type row.
        h.addCol(1.0, -INF, INF, m, np.arange(m, dtype=np.int32), -np.ones(m))
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self._h = h
        self.m = m
        self.columns: list[npt.NDArray[np.int64]] = []  # full type-count vectors

    def add_panel(self, counts: npt.NDArray[np.int64]) -> None:
        coef = counts[self.rows] * self.inv_counts
        nz = np.flatnonzero(coef)
        entries = np.concatenate([nz, [self.m]]).astype(np.int32)
        values = np.concatenate([coef[nz], [1.0]])
        self._h.addCol(0.0, 0.0, INF, len(entries), entries, values)
        self.columns.append(counts)

    def fix(self, row: int, floor: float) -> None:
        """Hold the type in ``row`` at probability >= floor and take it out of z."""
        self._h.changeCoeff(row, 0, 0.0)
        self._h.changeRowBounds(row, floor, INF)

    def solve(self) -> MasterSolution:
        h = self._h
        h.run()
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"HiGHS could not solve the lottery program: {status}")
        solution = h.getSolution()
        row_dual = np.array(solution.row_dual)
        # HiGHS duals satisfy cost - A^T dual = reduced cost, so the type rows (where z
        # has coefficient -1) carry minus the textbook prices, the convexity row plus.
        duals = np.maximum(-row_dual[: self.m], 0.0)
        mu = float(row_dual[self.m])
        weights = np.maximum(np.array(solution.col_value)[1:], 0.0)
        return MasterSolution(float(solution.col_value[0]), duals, mu, weights)
