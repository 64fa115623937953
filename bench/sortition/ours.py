"""Run Medvirk's lottery once on one pool and write a JSON summary.

Usage: python bench/sortition/ours.py PEOPLE.csv FEATURES.csv SIZE ALGORITHM OUT.json

Runs in its own process so that its time and peak memory are separate from the reference.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from medvirk.algorithms.sortition import find_lottery, verify_lottery
from medvirk.algorithms.sortition.io import read_features, read_people


def main() -> int:
    people_path, features_path, size_text, algorithm, out_path = sys.argv[1:6]
    size = int(size_text)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    features = read_features(features_path)
    pool = read_people(people_path, features)
    lottery = find_lottery(pool, features, size, algorithm)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    published = [(entry["panel"], entry["probability"]) for entry in lottery.distribution()]
    check = verify_lottery(pool, features, size, published)
    result = {
        "algorithm": algorithm,
        "wall_seconds": wall,
        "cpu_seconds": cpu,
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "panels": len(lottery.panels),
        "types": lottery.types.size,
        "pricing_rounds": lottery.type_lottery.pricing_rounds,
        "levels": lottery.type_lottery.levels,
        "min_probability": lottery.min_probability,
        "gap": lottery.gap,
        "quotas_met": check.ok,
        "problems": check.problems[:5],
        "weights_sum": float(sum(w for _, w in published)),
        "probabilities": check.probability,
    }
    Path(out_path).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
