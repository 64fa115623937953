"""The Method of Equal Shares (MES) for one per-voter budget, fast and exact.

Definition (as in pabutools 1.2.3 ``method_of_equal_shares``): every voter starts with the
same budget ``b``. In each round, for every project still in play whose supporters together
still have at least its cost, find the smallest price factor ``rho`` with
``sum_i min(budget_i, rho * u_i) = cost`` (``u_i`` is the voter's utility: the project cost
for approval ballots, "cost satisfaction"; the points for cumulative ballots). The project
with the smallest ``rho`` is bought (ties: smallest project id compared as text), each
supporter paying ``min(budget_i, rho * u_i)``. Stop when nothing is affordable.

Speed: the rounds run on float64 arrays (numpy). Every decision the floats make is either
separated from the alternative by a wide margin (1e-10 of the amounts involved, where the
rounding errors are around 1e-14), or re-decided with exact fractions from integers alone
(possible while the voters involved have not paid anything, or no supporter is short of
money). When neither is possible the whole run is redone in exact rational arithmetic
(:func:`run_exact`). ``run(..., exact=True)`` uses exact arithmetic throughout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Relative size of the error margin put around float results. Rounding errors of the sums
# involved are below 1e-13 of the same scale (pairwise summation, <= a few hundred rounds).
_MARGIN = 1e-10


class NeedExact(Exception):
    """The float run met a near-tie it cannot settle; rerun in exact arithmetic."""


@dataclass
class MesInput:
    """The MES projects (supported and not free) and their supporters, in integer units."""

    num_voters: int
    names: list[str]  # project ids, for tie-breaking
    costs: list[int]
    supporters: list[npt.NDArray[np.int32]]
    utils: list[IntArray]
    total_util: list[int] = field(init=False)
    utils_f: list[FloatArray] = field(init=False)
    uniform: list[bool] = field(init=False)  # every supporter has the same utility

    def __post_init__(self) -> None:
        self.total_util = [int(u.sum()) for u in self.utils]
        self.utils_f = [u.astype(np.float64) for u in self.utils]
        self.uniform = [bool(len(u) == 0 or (u == u[0]).all()) for u in self.utils]
        self.neighbours = self._neighbours()
        self.costs_f = np.asarray(self.costs, dtype=np.float64)
        self.sizes = np.asarray([len(s) for s in self.supporters], dtype=np.float64)

    @property
    def num_projects(self) -> int:
        return len(self.costs)

    def _neighbours(self) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
        """Per project: (position among its supporters, another project that voter backs).

        When a project is bought, this is all that is needed to lower every other project's
        pool of money by what its supporters paid (sparse: ~ballot length per payer).
        """
        m = len(self.costs)
        if m == 0:
            return []
        voters = np.concatenate(self.supporters).astype(np.int64)
        projects = np.repeat(np.arange(m, dtype=np.int64), [len(s) for s in self.supporters])
        order = np.argsort(voters, kind="stable")
        by_voter = projects[order]
        degree = np.bincount(voters, minlength=self.num_voters)
        start = np.concatenate(([0], np.cumsum(degree)[:-1]))
        out = []
        for sup in self.supporters:
            lens = degree[sup]
            owner = np.repeat(np.arange(len(sup), dtype=np.int64), lens)
            first = np.repeat(start[sup] - (np.cumsum(lens) - lens), lens)
            out.append((owner, by_voter[np.arange(int(lens.sum())) + first]))
        return out


@dataclass
class MesRun:
    """Outcome of one MES run: projects bought in order, with their price factor rho."""

    winners: list[int]
    rhos: list[Fraction | float]
    over_limit: bool = False  # stopped early: the spending passed the given limit
    exact: bool = False


def run(inp: MesInput, budget: Fraction, limit: int | None = None, exact: bool = False) -> MesRun:
    """MES with per-voter ``budget``; fast floats, exact fallback on unresolvable ties.

    ``exact=True`` skips the float path (slow; for audits and tests).
    """
    if exact:
        return run_exact(inp, budget, limit)
    try:
        return run_float(inp, budget, limit)
    except NeedExact:
        return run_exact(inp, budget, limit)


def _exact_rho_fresh(inp: MesInput, j: int, budget: Fraction) -> Fraction | None:
    """Exact rho when every supporter still has the full ``budget`` (None: unaffordable)."""
    cost = inp.costs[j]
    utils = sorted((int(u) for u in inp.utils[j]), reverse=True)
    # Supporters with the largest utility are the first to run out of money.
    spent = Fraction(0)
    remaining_util = inp.total_util[j]
    if budget * len(utils) < cost:
        return None
    for u in utils:
        rho = (cost - spent) / remaining_util
        if rho * u <= budget:
            return rho
        spent += budget
        remaining_util -= u
    return None  # pragma: no cover - unreachable when affordable


class _FloatState:
    def __init__(self, inp: MesInput, budget: Fraction) -> None:
        self.inp = inp
        self.budget = budget
        self.bf = float(budget)
        self.beta = np.full(inp.num_voters, self.bf)
        self.bought: list[int] = []
        self._touched: npt.NDArray[np.bool_] | None = None
        # Money each project's supporters have (float, updated per round; only for pruning).
        self.pool = inp.sizes * self.bf
        self.prune_below = inp.costs_f - 1e-6 * (inp.costs_f + inp.sizes * self.bf)

    def touched(self, voters: npt.NDArray[np.int32]) -> bool:
        """Has any of these voters paid anything yet? (Rarely needed: built on demand.)"""
        if not self.bought:
            return False
        if self._touched is None:
            mask = np.zeros(self.inp.num_voters, dtype=bool)
            for k in self.bought:
                mask[self.inp.supporters[k]] = True
            self._touched = mask
        return bool(self._touched[voters].any())

    def evaluate(self, j: int) -> tuple[float, float, FloatArray, int] | None:
        """(rho, error bound, supporters' budgets, number short of money).

        None if the project is no longer affordable.
        """
        inp = self.inp
        sup = inp.supporters[j]
        cost = inp.costs[j]
        beta = self.beta[sup]
        avail = float(beta.sum())
        slack = _MARGIN * (cost + len(sup) * self.bf)
        if avail < cost - slack:
            return None
        if avail <= cost + slack:  # near-exactly affordable: decide exactly
            if self.touched(sup):
                raise NeedExact
            if self.budget * len(sup) < cost:
                return None
        total_u = float(inp.total_util[j])
        if inp.uniform[j]:
            rho, capped_sum, capped_n, capped_u = _rho_uniform(beta, inp.utils_f[j][0], cost)
        else:
            u = inp.utils_f[j]
            rho, capped_sum, capped_n, capped_u = _rho_general(beta, u, beta / u, cost, total_u)
        err = _MARGIN * (cost + capped_sum + len(sup) * self.bf) / max(total_u - capped_u, 1.0)
        return rho, err, beta, capped_n

    def _cheap_exact(
        self, j: int, beta: FloatArray, rho: float, err: float, capped_n: int
    ) -> Fraction | None:
        """The exact rho from integers alone, when the float partition is certain."""
        inp = self.inp
        sup = inp.supporters[j]
        ratios = beta / inp.utils_f[j]
        near = np.abs(ratios - rho) <= 2 * err + _MARGIN * self.bf / max(
            float(inp.utils[j].min()), 1.0
        )
        if near.any():
            return None
        capped = ratios < rho
        if capped_n == 0:
            return Fraction(inp.costs[j], inp.total_util[j])
        if self.touched(sup[capped]):
            return None
        capped_u = int(inp.utils[j][capped].sum())
        return (inp.costs[j] - self.budget * int(capped.sum())) / (inp.total_util[j] - capped_u)

    def exact_rho(self, j: int, found: tuple[float, float, FloatArray, int]) -> Fraction:
        rho, err, beta, capped_n = found
        cheap = self._cheap_exact(j, beta, rho, err, capped_n)
        if cheap is not None:
            return cheap
        if not self.touched(self.inp.supporters[j]):
            fresh = _exact_rho_fresh(self.inp, j, self.budget)
            if fresh is not None:
                return fresh
        raise NeedExact

    def pay(self, j: int, rho: float) -> None:
        inp = self.inp
        sup = inp.supporters[j]
        beta = self.beta[sup]
        share = rho * inp.utils_f[j][0] if inp.uniform[j] else rho * inp.utils_f[j]
        paid = np.minimum(beta, share)
        self.beta[sup] = beta - paid
        self.bought.append(j)
        self._touched = None
        owner, other = inp.neighbours[j]
        self.pool -= np.bincount(other, weights=paid[owner], minlength=len(self.pool))

    def prune(self, remaining: set[int]) -> None:
        """Drop projects whose supporters clearly lack the money (budgets only shrink)."""
        poor = np.flatnonzero(self.pool < self.prune_below)
        if len(poor):
            remaining.difference_update(poor.tolist())


def _rho_uniform(beta: FloatArray, u: float, cost: int) -> tuple[float, float, int, float]:
    """rho when all supporters have utility ``u``: equal payment q with sum min(b, q) = cost."""
    q = cost / len(beta)
    capped_sum, capped_n = 0.0, 0
    for _ in range(6):  # poor/rich iteration; usually settles in 1-3 steps
        capped = beta < q
        n_cap = int(np.count_nonzero(capped))
        if n_cap == capped_n:
            return q / u, capped_sum, capped_n, capped_n * u
        if n_cap == len(beta):  # all must give everything: money exactly covers the cost
            return float(beta.max()) / u, float(beta.sum()), n_cap, n_cap * u
        capped_n = n_cap
        capped_sum = float(beta[capped].sum())
        q = (cost - capped_sum) / (len(beta) - capped_n)
    # Many voters short of money: the sorted scan finds the threshold directly.
    ordered = np.sort(beta)
    prefix = np.concatenate(([0.0], np.cumsum(ordered)[:-1]))
    rest = len(beta) - np.arange(len(beta))
    cand = (cost - prefix) / rest
    hits = np.flatnonzero(cand <= ordered)
    k = int(hits[0]) if len(hits) else len(beta) - 1
    capped_sum = float(ordered[:k].sum())
    q = (cost - capped_sum) / (len(beta) - k)
    return q / u, capped_sum, k, k * u


def _rho_general(
    beta: FloatArray, u: FloatArray, ratios: FloatArray, cost: int, total_u: float
) -> tuple[float, float, int, float]:
    rho = cost / total_u
    capped_sum, capped_n, capped_u = 0.0, 0, 0.0
    for _ in range(6):
        capped = ratios < rho
        n_cap = int(np.count_nonzero(capped))
        if n_cap == capped_n:
            return rho, capped_sum, capped_n, capped_u
        if n_cap == len(beta):
            return float(ratios.max()), float(beta.sum()), n_cap, total_u
        capped_n = n_cap
        capped_sum = float(beta[capped].sum())
        capped_u = float(u[capped].sum())
        rho = (cost - capped_sum) / (total_u - capped_u)
    order = np.argsort(ratios, kind="stable")
    b_sorted, u_sorted = beta[order], u[order]
    prefix_b = np.concatenate(([0.0], np.cumsum(b_sorted)[:-1]))
    rest_u = total_u - np.concatenate(([0.0], np.cumsum(u_sorted)[:-1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        cand = (cost - prefix_b) / rest_u
    hits = np.flatnonzero(cand * u_sorted <= b_sorted)
    k = int(hits[0]) if len(hits) else len(beta) - 1
    capped_sum = float(b_sorted[:k].sum())
    capped_u = float(u_sorted[:k].sum())
    return (cost - capped_sum) / (total_u - capped_u), capped_sum, k, capped_u


def run_float(inp: MesInput, budget: Fraction, limit: int | None = None) -> MesRun:
    """One MES run on floats; raises :class:`NeedExact` on a tie floats cannot settle."""
    state = _FloatState(inp, budget)
    # Lower bounds on each project's rho: rho only grows as voters spend money.
    lower = [
        c / t * (1 - 1e-12) if t else float("inf")
        for c, t in zip(inp.costs, inp.total_util, strict=True)
    ]
    remaining = set(range(inp.num_projects))
    winners: list[int] = []
    rhos: list[Fraction | float] = []
    spent = 0
    while remaining:
        state.prune(remaining)
        best_hi = float("inf")
        found: dict[int, tuple[float, float, FloatArray, int]] = {}
        for j in sorted(remaining, key=lower.__getitem__):
            if lower[j] > best_hi:
                break
            result = state.evaluate(j)
            if result is None:
                remaining.discard(j)
                continue
            rho, err = result[0], result[1]
            found[j] = result
            lower[j] = rho - err
            best_hi = min(best_hi, rho + err)
        if not found:
            break
        tied = [j for j, (rho, err, _, _) in found.items() if rho - err <= best_hi]
        if len(tied) == 1:
            winner = tied[0]
            rho_w: Fraction | float = found[winner][0]
        else:
            exact = {j: state.exact_rho(j, found[j]) for j in tied}
            winner = min(tied, key=lambda p: (exact[p], inp.names[p]))
            rho_w = exact[winner]
        state.pay(winner, float(rho_w))
        winners.append(winner)
        rhos.append(rho_w)
        remaining.discard(winner)
        spent += inp.costs[winner]
        if limit is not None and spent > limit:
            return MesRun(winners, rhos, over_limit=True)
    return MesRun(winners, rhos)


def run_exact(inp: MesInput, budget: Fraction, limit: int | None = None) -> MesRun:
    """MES in exact rational arithmetic (voters with identical ballots grouped)."""
    groups: dict[tuple[tuple[int, int], ...], int] = {}
    per_voter: list[list[tuple[int, int]]] = [[] for _ in range(inp.num_voters)]
    for j in range(inp.num_projects):
        for v, u in zip(inp.supporters[j].tolist(), inp.utils[j].tolist(), strict=True):
            per_voter[v].append((j, u))
    for ballot in per_voter:
        if ballot:
            key = tuple(ballot)
            groups[key] = groups.get(key, 0) + 1
    weights = list(groups.values())
    members: list[list[tuple[int, int]]] = [[] for _ in range(inp.num_projects)]
    for g, key in enumerate(groups):
        for j, u in key:
            members[j].append((g, u))
    beta = [budget] * len(weights)
    lower: list[Fraction] = [
        Fraction(c, t) if t else Fraction(10**30)
        for c, t in zip(inp.costs, inp.total_util, strict=True)
    ]
    remaining = set(range(inp.num_projects))
    winners: list[int] = []
    rhos: list[Fraction | float] = []
    spent = 0
    while remaining:
        best: Fraction | None = None
        tied: list[int] = []
        for j in sorted(remaining, key=lambda p: (lower[p], inp.names[p])):
            if best is not None and lower[j] > best:
                break
            cost = inp.costs[j]
            if sum(weights[g] * beta[g] for g, _ in members[j]) < cost:
                remaining.discard(j)
                continue
            rho = _exact_scan(members[j], beta, weights, cost, inp.total_util[j])
            lower[j] = rho
            if best is None or rho < best:
                best, tied = rho, [j]
            elif rho == best:
                tied.append(j)
        if best is None:
            break
        winner = min(tied, key=lambda p: inp.names[p])
        for g, u in members[winner]:
            beta[g] -= min(beta[g], best * u)
        winners.append(winner)
        rhos.append(best)
        remaining.discard(winner)
        spent += inp.costs[winner]
        if limit is not None and spent > limit:
            return MesRun(winners, rhos, over_limit=True, exact=True)
    return MesRun(winners, rhos, exact=True)


def _exact_scan(
    members: list[tuple[int, int]],
    beta: list[Fraction],
    weights: list[int],
    cost: int,
    total_u: int,
) -> Fraction:
    """Smallest rho with sum min(budget, rho * u) = cost (supporters poorest first)."""
    paid = Fraction(0)
    rest = total_u
    for g, u in sorted(members, key=lambda m: beta[m[0]] / m[1]):
        rho = (cost - paid) / rest
        if rho * u <= beta[g]:
            return rho
        paid += weights[g] * beta[g]
        rest -= weights[g] * u
    raise AssertionError("unaffordable project reached the scan")  # pragma: no cover
