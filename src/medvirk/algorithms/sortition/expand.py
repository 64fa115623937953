"""From a lottery over type counts to a lottery over named panels, with exact marginals.

Picture the lottery as the interval [0, 1): panel j owns a stretch as long as its
probability, and a uniform random point picks the panel. For each type we now decide,
for every point, *which* of its members sit (as many as the panel has of that type),
so that every member is covered for the same total length, which is then exactly their
selection probability.

Per type this is scheduling identical jobs on a varying number of machines: at point u
we need x(u) different members, and each member needs total length pi. We hand the
members their stretches one after another, each taking the points where the most seats
are still unfilled. That greedy never gets stuck: if m members remain and some point
still needs m of them, that set of points is at most pi long, so the next member takes
all of it. Each member costs at most a couple of cut points, so the published lottery
has at most about (type panels + pool size) distinct panels, the same order as the
reference's basic solutions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medvirk.algorithms.sortition.types import TypeTable

SNAP = 1e-13  # cut points closer than this are the same point
DROP = 1e-9  # a stretch this short may be dropped if rounding spoiled it


@dataclass(frozen=True)
class PersonLottery:
    panels: list[npt.NDArray[np.int64]]  # sorted person indices per panel
    weights: npt.NDArray[np.float64]  # probabilities, summing to one
    probability: npt.NDArray[np.float64]  # per person: sum of weights of panels with them


def _assign_type(
    starts: npt.NDArray[np.float64],
    ends: npt.NDArray[np.float64],
    seats: npt.NDArray[np.int64],
    members: list[int],
) -> list[tuple[float, float, int]]:
    """Stretches (start, end, person) giving each member the same total length."""
    need_each = float(((ends - starts) * seats).sum()) / len(members)
    s, e, f = starts.copy(), ends.copy(), seats.copy()
    pieces: list[tuple[float, float, int]] = []
    for person in members:
        need = need_each
        mine = np.zeros(len(f), dtype=bool)  # a person takes each point at most once
        while need > SNAP:
            open_ = (f > 0) & ~mine
            if not open_.any():
                break
            level = f[open_].max()
            idx = np.flatnonzero(open_ & (f == level))
            cum = np.cumsum(e[idx] - s[idx])
            whole = int(np.searchsorted(cum, need - SNAP, side="left"))
            # Segments idx[:whole] are taken whole; idx[whole] (if any) is cut.
            taken = idx[:whole]
            for k in taken:
                pieces.append((float(s[k]), float(e[k]), person))
            f[taken] -= 1
            mine[taken] = True
            need -= float(cum[whole - 1]) if whole else 0.0
            if whole < len(idx) and need > SNAP:
                k = int(idx[whole])
                cut = float(s[k]) + need
                if e[k] - cut <= SNAP:
                    pieces.append((float(s[k]), float(e[k]), person))
                    f[k] -= 1
                    mine[k] = True
                else:
                    pieces.append((float(s[k]), cut, person))
                    s = np.insert(s, k + 1, cut)
                    e = np.insert(e, k, cut)
                    f = np.insert(f, k, f[k] - 1)
                    mine = np.insert(mine, k, True)
                need = 0.0
    return pieces


def expand(
    types: TypeTable,
    panels: list[npt.NDArray[np.int64]],
    weights: npt.NDArray[np.float64],
    n_people: int,
) -> PersonLottery:
    bounds = np.concatenate([[0.0], np.cumsum(weights)])
    bounds[-1] = 1.0
    counts = np.array(panels, dtype=np.int64)  # (panels, types)
    all_pieces: list[tuple[float, float, int]] = []
    for t in range(types.size):
        used = np.flatnonzero(counts[:, t] > 0)
        if len(used) == 0:
            continue
        all_pieces.extend(
            _assign_type(bounds[used], bounds[used + 1], counts[used, t], types.members[t])
        )

    # Elementary stretches between consecutive (snapped) cut points.
    piece_arr = np.array(all_pieces, dtype=np.float64).reshape(-1, 3)
    points = np.concatenate([bounds, piece_arr[:, 0], piece_arr[:, 1]])
    unique = np.unique(points)
    cluster = np.concatenate([[0], np.cumsum(np.diff(unique) > SNAP)])
    reps = unique[np.concatenate([[0], np.flatnonzero(np.diff(cluster)) + 1])]
    reps[0], reps[-1] = 0.0, 1.0
    a = cluster[np.searchsorted(unique, piece_arr[:, 0])]
    b = cluster[np.searchsorted(unique, piece_arr[:, 1])]
    keep = b > a
    a, b, who = a[keep], b[keep], piece_arr[keep, 2].astype(np.int64)
    span = b - a
    stretch = np.repeat(a, span) + (np.arange(span.sum()) - np.repeat(np.cumsum(span) - span, span))
    person = np.repeat(who, span)
    order = np.lexsort((person, stretch))
    stretch, person = stretch[order], person[order]
    lengths = np.diff(reps)
    cuts = np.searchsorted(stretch, np.arange(len(lengths) + 1))

    # Which type panel each stretch belongs to, to check its seat counts.
    panel_of = np.searchsorted(bounds, (reps[:-1] + reps[1:]) / 2, side="right") - 1
    merged: dict[bytes, int] = {}
    out_panels: list[npt.NDArray[np.int64]] = []
    out_weights: list[float] = []
    for k, length in enumerate(lengths):
        members = person[cuts[k] : cuts[k + 1]]
        by_type = np.bincount(types.person_type[members], minlength=types.size)
        if not np.array_equal(by_type, counts[panel_of[k]]):
            if length <= DROP:
                continue  # a sliver spoiled by rounding: drop it, renormalise below
            raise RuntimeError("internal error: expanded panel does not match its type panel")
        key = members.tobytes()
        found = merged.get(key)
        if found is None:
            merged[key] = len(out_panels)
            out_panels.append(members)
            out_weights.append(float(length))
        else:
            out_weights[found] += float(length)
    w = np.array(out_weights)
    w /= w.sum()
    probability = np.zeros(n_people)
    for panel, weight in zip(out_panels, w, strict=True):
        probability[panel] += weight
    return PersonLottery(out_panels, w, probability)
