"""Two-level k-means of the opinion map: ~100 base clusters, then 2–5 opinion groups.

Grouping base-cluster centres (weighted by how many people each holds) rather than
people keeps the group step cheap and stable however many take part, as Pol.is does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

BASE_CLUSTERS = 100
MAX_GROUPS = 5
# A larger k must beat a smaller one by this much silhouette to be chosen. Pol.is smooths
# k over successive updates (a new k must win several times running); with one snapshot
# we prefer the simpler map unless more groups fit clearly better.
K_MARGIN = 0.01


def _one_thread() -> threadpool_limits:
    """k-means on 2-D points is memory-bound: extra OpenMP threads only add start-up and
    contention (30× slower for 100 points on a busy 2-core machine), so use one."""
    return threadpool_limits(limits=1, user_api="openmp")


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


def base_clusters(points: FloatArray, seed: int, k: int = BASE_CLUSTERS) -> BaseClusters:
    """k-means with up to ``k`` clusters (fewer when there are fewer distinct positions)."""
    n_distinct = len(np.unique(points, axis=0))
    k = max(1, min(k, n_distinct))
    with _one_thread():
        model = KMeans(n_clusters=k, n_init=1, random_state=seed).fit(points)
    labels = np.asarray(model.labels_, dtype=np.int64)
    sizes = np.bincount(labels, minlength=k).astype(np.int64)
    keep = sizes > 0
    # Renumber in case k-means left a cluster empty.
    renumber = np.cumsum(keep) - 1
    return BaseClusters(renumber[labels], model.cluster_centers_[keep], sizes[keep])


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
        model = KMeans(n_clusters=k, n_init=10, random_state=seed)
        with _one_thread():
            model.fit(base.centres, sample_weight=weights)
        labels = np.asarray(model.labels_, np.int64)
        if len(np.unique(labels)) < 2:
            continue
        score = float(silhouette_score(base.centres, labels))
        silhouettes[k] = score
        if best is None or score > best[0] + K_MARGIN:
            best = (score, k, labels)
    if best is None:
        return Grouping(np.zeros(n_base, dtype=np.int64), 1, silhouettes)
    return Grouping(best[2], best[1], silhouettes)
