"""Synthetic respondent pools for the sortition benchmark.

Four features (gender, age band, region, education) as selection bodies use them. The pool
is skewed against the population the quotas come from (older, highly educated people
answer invitations more often), which is what makes fair selection hard: the quotas pull
towards groups that are scarce in the pool. Everything is seeded, so the same name always
gives byte-identical files.
"""

from __future__ import annotations

import csv
import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# (value, share in the population, relative response rate in the pool)
FEATURES: dict[str, list[tuple[str, float, float]]] = {
    "gender": [("female", 0.50, 1.1), ("male", 0.49, 0.9), ("nonbinary", 0.01, 1.0)],
    "age": [
        ("16-29", 0.22, 0.55),
        ("30-44", 0.24, 0.85),
        ("45-59", 0.24, 1.1),
        ("60-74", 0.19, 1.4),
        ("75+", 0.11, 0.9),
    ],
    "region": [
        ("sentrum", 0.30, 1.3),
        ("nord", 0.18, 0.9),
        ("sør", 0.17, 1.0),
        ("øst", 0.15, 0.8),
        ("vest", 0.12, 1.0),
        ("øyene", 0.08, 0.6),
    ],
    "education": [("grunnskole", 0.25, 0.5), ("videregående", 0.40, 0.9), ("høyere", 0.35, 1.6)],
}


@dataclass(frozen=True)
class PoolSpec:
    name: str
    pool_size: int
    panel_size: int
    seed: int


POOLS = [
    PoolSpec("pool1500", 1500, 40, 1500),
    PoolSpec("pool2500", 2500, 50, 2500),
    PoolSpec("pool10000", 10000, 100, 10000),
]


def _draw_pool(spec: PoolSpec) -> list[dict[str, str]]:
    rng = np.random.default_rng(spec.seed)
    columns: dict[str, np.ndarray] = {}
    for feature, values in FEATURES.items():
        weights = np.array([share * rate for _, share, rate in values])
        columns[feature] = rng.choice(len(values), size=spec.pool_size, p=weights / weights.sum())
    # Correlate age and education a little: the youngest band has more without a degree yet.
    young = columns["age"] == 0
    flip = young & (rng.random(spec.pool_size) < 0.3)
    columns["education"][flip] = 0
    people = []
    for i in range(spec.pool_size):
        row = {"id": f"p{i + 1:05d}"}
        for feature, values in FEATURES.items():
            row[feature] = values[int(columns[feature][i])][0]
        row["address"] = f"addr{int(rng.integers(0, spec.pool_size * 9 // 10)):05d}"
        people.append(row)
    return people


def _quotas(spec: PoolSpec) -> list[tuple[str, str, int, int]]:
    """Quotas from population shares: the rounded target, give or take about 10 %."""
    rows = []
    for feature, values in FEATURES.items():
        for value, share, _ in values:
            target = spec.panel_size * share
            slack = max(1.0, 0.1 * target)
            low = max(0, math.floor(target - slack))
            high = math.ceil(target + slack)
            rows.append((feature, value, low, high))
    return rows


def write_pool(spec: PoolSpec, directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    people_path = directory / f"{spec.name}_people.csv"
    features_path = directory / f"{spec.name}_features.csv"
    people = _draw_pool(spec)
    with people_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", *FEATURES, "address"])
        writer.writeheader()
        writer.writerows(people)
    with features_path.open("w", newline="", encoding="utf-8") as handle:
        writer_f = csv.writer(handle)
        writer_f.writerow(["feature", "value", "min", "max"])
        writer_f.writerows(_quotas(spec))
    return people_path, features_path


def digest(*paths: Path) -> str:
    """A short fingerprint of the input files, stored with reference results."""
    sha = hashlib.sha256()
    for path in paths:
        sha.update(path.read_bytes())
    return sha.hexdigest()[:16]
