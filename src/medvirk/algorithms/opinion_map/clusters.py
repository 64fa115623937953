"""Two-level k-means of the opinion map: ~100 base clusters, then 2–5 opinion groups.

Grouping base-cluster centres (weighted by how many people each holds) rather than
people keeps the group step cheap and stable however many take part, as Pol.is does.

The points live in two dimensions, so k-means, k-means++ seeding and the silhouette are
written directly in numpy (loading scikit-learn took longer than the whole computation):
greedy k-means++ (Arthur & Vassilvitskii 2007, with 2 + ln k candidates per step as in
scikit-learn), then Lloyd iterations until no point changes cluster or the centres move
less than a small tolerance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

BASE_CLUSTERS = 100
MAX_GROUPS = 5
# A larger k must beat a smaller one by this much silhouette to be chosen. Pol.is smooths
# k over successive updates (a new k must win several times running); with one snapshot
# we prefer the simpler map unless more groups fit clearly better.
K_MARGIN = 0.01
# Lloyd iterations stop when the squared centre movement falls below this share of the
# points' mean variance (scikit-learn's default), or after this many rounds.
_TOLERANCE = 1e-4
_MAX_ITERATIONS = 300
# Points per block when measuring distances to all centres (keeps temporaries in cache).
_BLOCK = 4096
# Random starts for grouping the base clusters (the best, by inertia, is kept).
_GROUP_STARTS = 10


@dataclass(frozen=True)
class BaseClusters:
    labels: IntArray  # base cluster of each clustered participant
    centres: FloatArray  # (clusters, 2)
    sizes: IntArray  # participants per base cluster


@dataclass(frozen=True)
class Grouping:
    group_of_base: IntArray  # opinion group of each base cluster
    k: int
    silhouettes: dict[int, float]  # k → silhouette of the grouping with k groups


@dataclass(frozen=True)
class KMeansResult:
    labels: IntArray
    centres: FloatArray  # (k, dims); a centre left without points keeps its last place
    inertia: float  # weighted sum of squared distances to the own centre


def _augmented(points: FloatArray) -> FloatArray:
    """Points with two more columns, 1 and |p|², for :func:`_squared_distances`."""
    dims = points.shape[1]
    left = np.empty((len(points), dims + 2))
    left[:, :dims] = points
    left[:, dims] = 1.0
    left[:, dims + 1] = (points * points).sum(axis=1)
    return left


def _squared_distances(left: FloatArray, centres: FloatArray) -> FloatArray:
    """(points, centres) squared Euclidean distances, as |p|² + |c|² − 2 p·c, from the
    augmented points: one matrix product, over ten times faster than coordinate
    differences and exact enough to compare distances."""
    dims = centres.shape[1]
    right = np.empty((dims + 2, len(centres)))
    right[:dims] = -2.0 * centres.T
    right[dims] = (centres * centres).sum(axis=1)
    right[dims + 1] = 1.0
    result: FloatArray = left @ right
    np.maximum(result, 0.0, out=result)
    return result


def _nearest_two(left: FloatArray, centres: FloatArray) -> tuple[IntArray, FloatArray, FloatArray]:
    """Nearest centre of each (augmented) point, lowest index on ties; the distance to it
    and the distance to the second nearest (infinite with a single centre)."""
    n, k = len(left), len(centres)
    labels = np.empty(n, dtype=np.int64)
    first = np.empty(n)
    second = np.full(n, np.inf)
    for start in range(0, n, _BLOCK):
        block = slice(start, start + _BLOCK)
        dist = _squared_distances(left[block], centres)
        labels[block] = dist.argmin(axis=1)
        if k > 1:
            two = np.partition(dist, 1, axis=1)
            first[block], second[block] = two[:, 0], two[:, 1]
        else:
            first[block] = dist[:, 0]
    return labels, np.sqrt(first), np.sqrt(second)


def _plus_plus(
    points: FloatArray, left: FloatArray, weights: FloatArray, k: int, rng: np.random.Generator
) -> FloatArray:
    """Greedy k-means++ seeding: each new centre is the best of several candidates drawn
    with probability proportional to weight × squared distance to the nearest centre."""
    n = len(points)
    trials = 2 + int(math.log(k))
    centres = np.empty((k, points.shape[1]))
    first = int(rng.choice(n, p=weights / weights.sum()))
    centres[0] = points[first]
    closest = _squared_distances(left, centres[:1])[:, 0]
    potential = float(weights @ closest)
    for c in range(1, k):
        if potential <= 0:  # every point already sits on a centre
            centres[c:] = centres[0]
            break
        cumulative = np.cumsum(weights * closest)
        draws = rng.random(trials) * cumulative[-1]
        candidates = np.minimum(np.searchsorted(cumulative, draws), n - 1)
        with_candidate = _squared_distances(left, points[candidates])
        np.minimum(with_candidate, closest[:, None], out=with_candidate)
        potentials = weights @ with_candidate
        best = int(np.argmin(potentials))
        centres[c] = points[candidates[best]]
        closest = with_candidate[:, best]
        potential = float(potentials[best])
    return centres


def kmeans(
    points: FloatArray,
    k: int,
    rng: np.random.Generator,
    weights: FloatArray | None = None,
) -> KMeansResult:
    """Weighted k-means from a greedy k-means++ start.

    Lloyd's algorithm, with Hamerly's (2010) bounds so that a point is only measured
    against every centre when the centres' movement could have changed its nearest one:
    the same clusters as plain Lloyd, with far fewer distance computations.
    """
    points = np.ascontiguousarray(points, dtype=np.float64)
    left = _augmented(points)
    w = np.ones(len(points)) if weights is None else np.asarray(weights, dtype=np.float64)
    dims = points.shape[1]
    mean = (w @ points) / w.sum()
    tolerance = _TOLERANCE * float(np.mean((w @ (points - mean) ** 2) / w.sum()))
    centres = _plus_plus(points, left, w, k, rng)
    # upper: distance to the own centre (or more); lower: to any other centre (or less).
    labels, upper, lower = _nearest_two(left, centres)
    for _ in range(_MAX_ITERATIONS):
        mass = np.bincount(labels, weights=w, minlength=k)
        moved = centres.copy()
        filled = mass > 0
        for d in range(dims):
            sums = np.bincount(labels, weights=w * points[:, d], minlength=k)
            moved[filled, d] = sums[filled] / mass[filled]
        step = np.sqrt(((moved - centres) ** 2).sum(axis=1))
        shift = float((step**2).sum())
        centres = moved
        upper += step[labels]
        lower -= step.max()
        # Half the distance to the nearest other centre: a point closer than that to its
        # own centre cannot be nearer to another one.
        if k > 1:
            between = np.sqrt(_squared_distances(_augmented(centres), centres))
            np.fill_diagonal(between, np.inf)
            half = 0.5 * between.min(axis=1)[labels]
        else:
            half = np.full(len(points), np.inf)
        bound = np.maximum(lower, half)
        check = np.flatnonzero(upper > bound)
        own = centres[labels[check]]
        upper[check] = np.sqrt(((points[check] - own) ** 2).sum(axis=1))
        check = check[upper[check] > bound[check]]
        changed = 0
        if len(check):
            new_labels, upper[check], lower[check] = _nearest_two(left[check], centres)
            changed = int((new_labels != labels[check]).sum())
            labels[check] = new_labels
        if changed == 0 or shift <= tolerance:
            break
    labels, nearest, _ = _nearest_two(left, centres)
    return KMeansResult(labels, centres, float(w @ nearest**2))


def silhouette(points: FloatArray, labels: IntArray) -> float:
    """Mean silhouette (Rousseeuw 1987) of the points; 0 for points alone in a cluster."""
    distances = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    k = int(labels.max()) + 1
    sizes = np.bincount(labels, minlength=k).astype(np.float64)
    onehot = np.zeros((len(points), k))
    onehot[np.arange(len(points)), labels] = 1.0
    totals = distances @ onehot  # (points, clusters): summed distance to each cluster
    own = sizes[labels]
    inside = totals[np.arange(len(points)), labels] / np.maximum(own - 1, 1)
    mean_to = np.divide(totals, sizes[None, :], out=np.full_like(totals, np.inf), where=sizes > 0)
    mean_to[np.arange(len(points)), labels] = np.inf
    nearest_other = mean_to.min(axis=1)
    scores = (nearest_other - inside) / np.maximum(inside, nearest_other)
    scores = np.where(own > 1, np.nan_to_num(scores), 0.0)
    return float(scores.mean())


def base_clusters(points: FloatArray, seed: int, k: int = BASE_CLUSTERS) -> BaseClusters:
    """k-means with up to ``k`` clusters (fewer when there are fewer distinct positions)."""
    if k > 1:
        order = np.lexsort(points.T[::-1])
        ordered = points[order]
        n_distinct = 1 + int(np.any(ordered[1:] != ordered[:-1], axis=1).sum())
        k = min(k, n_distinct)
    k = max(1, k)
    result = kmeans(points, k, np.random.default_rng(seed))
    sizes = np.bincount(result.labels, minlength=k).astype(np.int64)
    keep = sizes > 0
    # Renumber in case k-means left a cluster empty.
    renumber = np.cumsum(keep) - 1
    return BaseClusters(renumber[result.labels], result.centres[keep], sizes[keep])


def group_clusters(base: BaseClusters, seed: int, max_groups: int = MAX_GROUPS) -> Grouping:
    """Group the base clusters into 2..max_groups opinion groups, k chosen by silhouette.

    The silhouette is taken over the base-cluster centres, unweighted, as Pol.is does; on
    the published Pol.is conversations this reproduces Pol.is's own choice of k.
    """
    n_base = len(base.sizes)
    # Pol.is allows more groups only as the number of base clusters grows.
    max_k = min(max_groups, 2 + n_base // 12, n_base - 1)
    if max_k < 2:
        return Grouping(np.zeros(n_base, dtype=np.int64), 1, {})
    weights = base.sizes.astype(np.float64)
    best: tuple[float, int, IntArray] | None = None
    silhouettes: dict[int, float] = {}
    for k in range(2, max_k + 1):
        rng = np.random.default_rng(seed)
        runs = [kmeans(base.centres, k, rng, weights) for _ in range(_GROUP_STARTS)]
        labels = min(runs, key=lambda run: run.inertia).labels
        used, labels = np.unique(labels, return_inverse=True)
        if len(used) < 2:
            continue
        score = silhouette(base.centres, labels.astype(np.int64))
        silhouettes[k] = score
        if best is None or score > best[0] + K_MARGIN:
            best = (score, k, labels.astype(np.int64))
    if best is None:
        return Grouping(np.zeros(n_base, dtype=np.int64), 1, silhouettes)
    return Grouping(best[2], best[1], silhouettes)
