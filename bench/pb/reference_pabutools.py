"""pabutools 1.2.3 parse + rule on one .pb file; prints one JSON line (the reference side).

usage: python bench/pb/reference_pabutools.py FILE.pb greedy|equal-shares
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any


def points_cost_sat() -> Any:
    """Cost satisfaction weighted by points: pabutools' greedy then ranks by total points."""
    from pabutools.election.satisfaction.additivesatisfaction import AdditiveSatisfaction

    def func(instance: Any, profile: Any, ballot: Any, project: Any, pre: Any) -> Any:
        return ballot.get(project, 0) * project.cost

    class PointsCostSat(AdditiveSatisfaction):  # type: ignore[misc]
        def __init__(self, instance: Any, profile: Any, ballot: Any) -> None:
            AdditiveSatisfaction.__init__(self, instance, profile, ballot, func)

    return PointsCostSat


def main() -> None:
    path, rule = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    from pabutools.election import Additive_Cardinal_Sat, Cost_Sat
    from pabutools.election.pabulib import parse_pabulib
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    instance, profile = parse_pabulib(path)
    parsed = time.perf_counter()
    cumulative = instance.meta["vote_type"] == "cumulative"
    greedy_sat = points_cost_sat() if cumulative else Cost_Sat
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=greedy_sat)
    else:
        outcome = completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [
                {
                    "sat_class": Additive_Cardinal_Sat if cumulative else Cost_Sat,
                    "voter_budget_increment": 1,
                },
                {"sat_class": greedy_sat},
            ],
        )
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "selected": [p.name for p in outcome],
                "parse_s": round(parsed - start, 3),
                "rule_s": round(done - parsed, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
