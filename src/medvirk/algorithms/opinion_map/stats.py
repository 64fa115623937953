"""Per-group vote counts, representative statements and group-informed consensus.

Shares shown to people are plain shares (82 % agree); the ranking and the significance
tests use one pseudo-vote each way (Laplace smoothing), as Pol.is does, so that a
statement seen by three people cannot outrank one seen by three hundred.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medvirk.algorithms.opinion_map.matrix import VoteMatrix

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# One-sided 90 % significance, as in Pol.is.
Z_90 = 1.2816


@dataclass(frozen=True)
class GroupCounts:
    """Vote counts per (group, statement): agree, disagree and all votes (incl. pass)."""

    agree: FloatArray  # (groups, statements)
    disagree: FloatArray
    seen: FloatArray


def group_counts(matrix: VoteMatrix, groups: IntArray, k: int) -> GroupCounts:
    """Sum the vote marks of each group's members (rows with group −1 are left out)."""
    cast = matrix.cast
    n_statements = cast.shape[1]
    group = groups[cast.entry_rows()]
    member = group >= 0
    cell = group[member] * n_statements + cast.indices[member]
    value = cast.data[member]

    def total(which: npt.NDArray[np.bool_] | None) -> FloatArray:
        chosen = cell if which is None else cell[which]
        counts = np.bincount(chosen, minlength=k * n_statements).astype(np.float64)
        return counts.reshape(k, n_statements)

    return GroupCounts(total(value > 0), total(value < 0), total(None))


def smoothed_share(successes: FloatArray, trials: FloatArray) -> FloatArray:
    result: FloatArray = (successes + 1.0) / (trials + 2.0)
    return result


def one_share_z(successes: FloatArray, trials: FloatArray) -> FloatArray:
    """z-score of "more than half" for a smoothed share."""
    share = smoothed_share(successes, trials)
    result: FloatArray = (share - 0.5) / np.sqrt(0.25 / (trials + 2.0))
    return result


def two_share_z(
    successes_in: FloatArray,
    trials_in: FloatArray,
    successes_out: FloatArray,
    trials_out: FloatArray,
) -> FloatArray:
    """z-score of "the share inside is higher than outside" (pooled two-proportion test)."""
    p_in = smoothed_share(successes_in, trials_in)
    p_out = smoothed_share(successes_out, trials_out)
    pooled = (successes_in + successes_out + 2.0) / (trials_in + trials_out + 4.0)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / (trials_in + 2.0) + 1 / (trials_out + 2.0)))
    result: FloatArray = (p_in - p_out) / spread
    return result


def _share(successes: float, trials: float) -> float:
    return successes / trials if trials > 0 else 0.0


@dataclass(frozen=True)
class Representative:
    statement_index: int
    direction: str  # "agree" or "disagree"
    group_agree: float
    group_disagree: float
    group_votes: int
    others_agree: float
    others_disagree: float
    others_votes: int
    z_group: float
    z_versus_others: float
    significant: bool


def representatives(counts: GroupCounts, group: int, limit: int) -> list[Representative]:
    """Statements that set ``group`` apart: its members agree (or disagree) with them
    clearly more than the rest of the grouped participants do.

    Both tests must pass at 90 %: the group's share is above one half, and above the share
    among everyone else. Ranked by (ratio to others) × (both z-scores) × (group share). If
    nothing passes, the single most distinctive statement is returned, marked not
    significant, so every group has something a page can show.
    """
    a, d, s = counts.agree[group], counts.disagree[group], counts.seen[group]
    oa = counts.agree.sum(axis=0) - a
    od = counts.disagree.sum(axis=0) - d
    os_ = counts.seen.sum(axis=0) - s
    candidates: list[tuple[float, int, str, float, float, bool]] = []
    for direction, mine, theirs in (("agree", a, oa), ("disagree", d, od)):
        share = smoothed_share(mine, s)
        ratio = share / smoothed_share(theirs, os_)
        z_in = one_share_z(mine, s)
        z_vs = two_share_z(mine, s, theirs, os_)
        passes = (z_in > Z_90) & (z_vs > Z_90) & (mine > 0)
        metric = ratio * z_vs * share * z_in
        for j in np.flatnonzero(s > 0):
            candidates.append(
                (
                    float(metric[j]),
                    int(j),
                    direction,
                    float(z_in[j]),
                    float(z_vs[j]),
                    bool(passes[j]),
                )
            )
    significant = [c for c in candidates if c[5]]
    if significant:
        chosen = sorted(significant, key=lambda c: (-c[0], c[1], c[2]))[:limit]
    elif candidates:
        chosen = [max(candidates, key=lambda c: (c[4], -c[1]))]
    else:
        chosen = []

    def describe(c: tuple[float, int, str, float, float, bool]) -> Representative:
        j = c[1]
        return Representative(
            statement_index=j,
            direction=c[2],
            group_agree=_share(a[j], s[j]),
            group_disagree=_share(d[j], s[j]),
            group_votes=int(s[j]),
            others_agree=_share(oa[j], os_[j]),
            others_disagree=_share(od[j], os_[j]),
            others_votes=int(os_[j]),
            z_group=c[3],
            z_versus_others=c[4],
            significant=c[5],
        )

    # Agreements first, then disagreements, each in rank order: easier to read.
    return [describe(c) for c in sorted(chosen, key=lambda c: c[2] != "agree")]


@dataclass(frozen=True)
class Consensus:
    statement_index: int
    direction: str  # "agree" or "disagree"
    score: float  # product over groups of the smoothed share
    shares: list[float]  # plain share per group
    votes: list[int]  # votes per group


def group_informed_consensus(counts: GroupCounts, limit: int) -> list[Consensus]:
    """Statements that most people in *every* group agree (or disagree) with.

    The score is the product over groups of (agree + 1) / (votes + 2), so one group that
    disagrees pulls it down however large the others are. Only statements that more than
    half of each group (smoothed) share a view on are listed.
    """
    found: list[Consensus] = []
    for direction, marks in (("agree", counts.agree), ("disagree", counts.disagree)):
        smoothed = smoothed_share(marks, counts.seen)
        score = smoothed.prod(axis=0)
        everyone = (smoothed > 0.5).all(axis=0) & (counts.seen > 0).all(axis=0)
        ranked = sorted(np.flatnonzero(everyone), key=lambda j: (-score[j], j))[:limit]
        for j in ranked:
            found.append(
                Consensus(
                    statement_index=int(j),
                    direction=direction,
                    score=float(score[j]),
                    shares=[
                        _share(m, n) for m, n in zip(marks[:, j], counts.seen[:, j], strict=True)
                    ],
                    votes=[int(n) for n in counts.seen[:, j]],
                )
            )
    return found
