"""Adjusted Rand index for the opinion-map tests (so they need no scikit-learn).

Hubert & Arabie (1985): the Rand index corrected for chance; 1 for the same partition,
about 0 for unrelated ones.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest


def adjusted_rand_index(
    truth: Sequence[int] | npt.NDArray[np.int64], found: Sequence[int] | npt.NDArray[np.int64]
) -> float:
    """Adjusted Rand index of two labellings of the same items."""
    _, a = np.unique(np.asarray(truth), return_inverse=True)
    _, b = np.unique(np.asarray(found), return_inverse=True)
    a, b = a.ravel(), b.ravel()
    if len(a) != len(b):
        raise ValueError("the labellings must have the same length")
    table = np.zeros((int(a.max(initial=-1)) + 1, int(b.max(initial=-1)) + 1))
    np.add.at(table, (a, b), 1)

    def pairs(counts: npt.NDArray[np.float64]) -> float:
        return float((counts * (counts - 1) / 2).sum())

    together = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    total = len(a) * (len(a) - 1) / 2
    expected = rows * cols / total if total else 0.0
    best = (rows + cols) / 2
    if best == expected:  # both labellings trivial (one cluster each, or all singletons)
        return 1.0
    return (together - expected) / (best - expected)


def test_adjusted_rand_index() -> None:
    assert adjusted_rand_index([0, 0, 1, 1], [5, 5, 3, 3]) == 1.0
    assert adjusted_rand_index([0, 0, 0, 0], [1, 1, 1, 1]) == 1.0
    # Worked example: contingency [[2, 1], [0, 3]]; pairs together 1 + 3 = 4, rows 3 + 3,
    # columns 1 + 6, all 15: expected 6 × 7 / 15 = 2.8, best 6.5.
    assert adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 1, 1]) == pytest.approx(
        (4 - 2.8) / (6.5 - 2.8)
    )
    assert adjusted_rand_index([0, 1, 0, 1], [0, 0, 1, 1]) < 0
