"""Equal Shares as real elections run it: MES, per-voter budget raised by 1 ("Add1"), greedy.

pabutools 1.2.3 (``method_of_equal_shares(..., voter_budget_increment=1)`` inside
``completion_by_rule_combination``) does, with ``B`` the budget and ``n`` the voters:

1. Projects that cost nothing but have supporters are funded up front.
2. For ``b = B/n, B/n + 1, B/n + 2, ...`` run MES with per-voter budget ``b``. Stop at the
   first ``b`` whose outcome costs more than ``B`` and keep the previous outcome; or stop at
   the first outcome that is *exhaustive* (no other supported project fits in what is left).
3. If the kept outcome leaves room for any project, fill it with the greedy rule.

Every MES run here is the exact outcome for its ``b`` (see :mod:`.mes`); the loop visits
the same sequence of ``b`` values as pabutools, it only runs each one much faster.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from medvirk.algorithms.pb import mes
from medvirk.algorithms.pb.format import Election, PbFormatError, scale_to_integers
from medvirk.algorithms.pb.greedy import greedy_fill
from medvirk.algorithms.pb.results import PbResult, ProjectResult, fresh_results, money


def money_scale(election: Election) -> int:
    """Factor turning all costs and the budget into integers (1 unit = 1/scale)."""
    return scale_to_integers([election.budget, *(p.cost for p in election.projects)])


def build_input(election: Election, scale: int) -> tuple[mes.MesInput, list[int], list[int]]:
    """The MES projects (supported, cost > 0) in integer units, and the free supported ones."""
    n = election.num_voters
    m = len(election.projects)
    offsets = np.asarray(election.offsets, dtype=np.int64)
    flat = np.asarray(election.ballot_projects, dtype=np.int64)
    voters = np.repeat(np.arange(n, dtype=np.int32), np.diff(offsets))
    costs = [int(p.cost * scale) for p in election.projects]
    if election.ballot_points is None:
        utils = np.asarray(costs, dtype=np.int64)[flat] if len(flat) else flat
    else:
        utils = np.asarray(election.ballot_points, dtype=np.int64)
    if len(utils) and int(utils.max()) * max(n, 1) >= 2**62:
        # Sums of utilities must stay exact in int64 (and below 2**53 relative precision).
        raise PbFormatError(election.path, None, "costs or points too large to count exactly")
    # A supporter is a voter with positive satisfaction: with cost satisfaction a free
    # project satisfies nobody, so (as in pabutools) it is left to the greedy completion.
    keep = utils > 0
    flat, voters, utils = flat[keep], voters[keep], utils[keep]
    order = np.argsort(flat, kind="stable")
    flat, voters, utils = flat[order], voters[order], utils[order]
    bounds = np.searchsorted(flat, np.arange(m + 1))
    mes_projects: list[int] = []
    free: list[int] = []
    names, mcosts, sups, us = [], [], [], []
    for j in range(m):
        lo, hi = int(bounds[j]), int(bounds[j + 1])
        if hi == lo:
            continue
        if costs[j] == 0:
            free.append(j)
            continue
        mes_projects.append(j)
        names.append(election.projects[j].id)
        mcosts.append(costs[j])
        sups.append(voters[lo:hi].copy())
        us.append(utils[lo:hi].copy())
    free.sort(key=lambda j: election.projects[j].id)
    return mes.MesInput(n, names, mcosts, sups, us), mes_projects, free


def _exhaustive(costs: list[int], chosen: set[int], budget: int) -> bool:
    spent = sum(costs[j] for j in chosen)
    return all(j in chosen or c + spent > budget for j, c in enumerate(costs))


def add_one(
    inp: mes.MesInput, budget: int, unit: int, exact: bool = False
) -> tuple[mes.MesRun, Fraction, int, int, int]:
    """The Add1 loop. Returns the kept run, its per-voter budget, increments, runs, exact runs."""
    b = Fraction(budget, inp.num_voters)
    previous = mes.MesRun([], [])
    previous_b = b
    steps = runs = exact_runs = 0
    while True:
        outcome = mes.run(inp, b, limit=budget, exact=exact)
        runs += 1
        exact_runs += outcome.exact
        if outcome.over_limit:
            return previous, previous_b, max(steps - 1, 0), runs, exact_runs
        if _exhaustive(inp.costs, set(outcome.winners), budget):
            return outcome, b, steps, runs, exact_runs
        previous, previous_b = outcome, b
        b += unit
        steps += 1


def count_equal_shares(election: Election, exact: bool = False, payers: bool = False) -> PbResult:
    scale = money_scale(election)
    budget = int(election.budget * scale)
    inp, mes_projects, free = build_input(election, scale)
    results = fresh_results(election)
    chosen: list[int] = []
    for j in free:
        chosen.append(j)
        r = results[j]
        r.funded, r.stage, r.position = True, "free", len(chosen)
        r.explanation = "Funded: it costs nothing and has supporters, so it is taken first."
    kept, per_voter, steps, runs, exact_runs = add_one(inp, budget, scale, exact)
    _explain_mes(election, inp, mes_projects, kept, per_voter, scale, results, chosen, payers)
    spent = sum((election.projects[j].cost for j in chosen), Fraction(0))
    room = any(
        j not in set(chosen) and p.cost + spent <= election.budget
        for j, p in enumerate(election.projects)
    )
    if room:
        greedy_fill(election, results, chosen, "completion")
    return PbResult(
        "equal-shares",
        election.budget,
        [election.projects[j].id for j in chosen],
        results,
        election.vote_type,
        election.num_voters,
        budget_per_voter=per_voter / scale,
        increments=steps,
        mes_runs=runs,
        exact_runs=exact_runs,
    )


def _explain_mes(
    election: Election,
    inp: mes.MesInput,
    mes_projects: list[int],
    kept: mes.MesRun,
    per_voter: Fraction,
    scale: int,
    results: list[ProjectResult],
    chosen: list[int],
    payers: bool = False,
) -> None:
    """Replay the kept MES run to record prices, payers and what the others lacked."""
    n = inp.num_voters
    beta = np.full(n, float(per_voter))
    avail = np.array([float(beta[s].sum()) for s in inp.supporters])
    start = avail.copy()
    blocked_by: dict[int, int] = {}
    cumulative = election.ballot_points is not None
    b_text = money(per_voter / scale)
    for rnd, (k, rho) in enumerate(zip(kept.winners, kept.rhos, strict=True), start=1):
        sup = inp.supporters[k]
        before = beta[sup]
        share = float(rho) * inp.utils_f[k]
        paid = np.minimum(before, share)
        full = int((share <= before).sum())
        beta[sup] = before - paid
        # Lower every other project's pool by what its supporters just paid.
        for q in range(inp.num_projects):
            if q != k and q not in blocked_by:
                avail[q] = float(beta[inp.supporters[q]].sum())
                if avail[q] < inp.costs[q] * (1 - 1e-12) and start[q] >= inp.costs[q]:
                    blocked_by[q] = k
        j = mes_projects[k]
        r = results[j]
        chosen.append(j)
        r.funded, r.stage, r.position, r.round = True, "equal-shares", len(chosen), rnd
        r.paid_full_share, r.paid_all_they_had = full, len(sup) - full
        if payers:
            r.payers = [election.voter_ids[v] for v in sup[paid > 0].tolist()]
        if cumulative:
            r.price_per_point = float(rho) * election.points_scale / scale
            price = f"{money(r.price_per_point)} per point given to it"
        else:
            r.price_per_supporter = float(rho) * inp.costs[k] / scale
            price = f"{money(r.price_per_supporter)} from each supporter"
        short = (
            f"; {_people(len(sup) - full, 'supporter')} with less money left paid all they had"
            if full < len(sup)
            else ""
        )
        r.explanation = (
            f"Funded in round {rnd} of Equal Shares (each voter's share: {b_text}). "
            f"Price: {price}{short}. {_people(len(sup), 'supporter')} paid."
        )
    winners = set(kept.winners)
    names = inp.names
    for k in range(inp.num_projects):
        if k in winners:
            continue
        j = mes_projects[k]
        r = results[j]
        money_left = float(avail[k]) / scale
        r.supporters_money = money_left
        r.lacked = max(float(r.cost) - money_left, 0.0)
        if k in blocked_by:
            r.displaced_by = names[blocked_by[k]]
            why = (
                f"its supporters spent their shares on {r.displaced_by} "
                f"(funded in round {kept.winners.index(blocked_by[k]) + 1})"
            )
        elif start[k] < inp.costs[k]:
            why = "its supporters' shares together never covered its cost"
        else:
            why = "the projects funded before it were better value per supporter"
        r.explanation = (
            f"Not funded in Equal Shares: its {_people(r.supporters, 'supporter')} had "
            f"{money(money_left)} left of the {money(r.cost)} it costs "
            f"(lacked {money(r.lacked)}); {why}."
        )
    for r in results:
        if not r.funded and not r.explanation:
            r.explanation = "Equal Shares could not fund it: no voter gained from it."


def _people(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
