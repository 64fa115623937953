"""Run sortition-algorithms' maximin once on one pool and print a JSON summary.

Usage: python bench/sortition/reference_maximin.py PEOPLE.csv FEATURES.csv SIZE OUT.json

Runs in its own process so that its time and peak memory are separate from ours.
"""

from __future__ import annotations

import csv
import json
import logging
import platform
import resource
import sys
import time
from pathlib import Path

from sortition_algorithms import Settings, read_in_features, read_in_people
from sortition_algorithms.committee_generation import (
    find_distribution_maximin,
    standardize_distribution,
)


def main() -> int:
    people_path, features_path, size_text, out_path = sys.argv[1:5]
    size = int(size_text)
    logging.disable(logging.INFO)
    with open(features_path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        features, _, _ = read_in_features(list(reader.fieldnames or []), list(reader), size)
    with open(people_path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        settings = Settings(id_column="id", columns_to_keep=[])
        people, _ = read_in_people(list(reader.fieldnames or []), list(reader), features, settings)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    committees, probabilities, _ = find_distribution_maximin(features, people, size, [])
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    committees, probabilities = standardize_distribution(committees, probabilities)
    marginal = dict.fromkeys(people, 0.0)
    for committee, p in zip(committees, probabilities, strict=True):
        for person in committee:
            marginal[person] += p
    result = {
        "package": "sortition-algorithms",
        "algorithm": "maximin",
        "solver_backend": "highspy",
        "wall_seconds": wall,
        "cpu_seconds": cpu,
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "panels": len(committees),
        "min_probability": min(marginal.values()),
        "probabilities": marginal,
        "distribution": [
            {"panel": sorted(c), "probability": p}
            for c, p in zip(committees, probabilities, strict=True)
        ],
        "python": platform.python_version(),
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    Path(out_path).write_text(json.dumps(result), encoding="utf-8")
    print(
        json.dumps({k: v for k, v in result.items() if k not in ("probabilities", "distribution")})
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
