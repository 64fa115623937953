"""Helpers (no tests): pabutools 1.2.3 as the reference, and generated elections."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from medvirk.algorithms.pb.format import Election, Project, election_to_text


def points_cost_sat_class() -> Any:
    """Cost satisfaction weighted by points: pabutools' greedy then orders by total points."""
    from pabutools.election.satisfaction.additivesatisfaction import AdditiveSatisfaction

    def func(instance: Any, profile: Any, ballot: Any, project: Any, pre: Any) -> Any:
        return ballot.get(project, 0) * project.cost

    class PointsCostSat(AdditiveSatisfaction):  # type: ignore[misc]
        def __init__(self, instance: Any, profile: Any, ballot: Any) -> None:
            AdditiveSatisfaction.__init__(self, instance, profile, ballot, func)

    return PointsCostSat


def reference_outcome(text: str, rule: str) -> list[str]:
    """Selected project ids, in pabutools' order, for the .pb text."""
    from pabutools.election import Additive_Cardinal_Sat, Cost_Sat
    from pabutools.election.pabulib import parse_pabulib_from_string
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    instance, profile = parse_pabulib_from_string(text)
    cumulative = instance.meta["vote_type"] == "cumulative"
    greedy_sat = points_cost_sat_class() if cumulative else Cost_Sat
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=greedy_sat)
    else:
        mes_sat = Additive_Cardinal_Sat if cumulative else Cost_Sat
        outcome = completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": mes_sat, "voter_budget_increment": 1}, {"sat_class": greedy_sat}],
        )
    return [p.name for p in outcome]


def random_election(rng: random.Random, cumulative: bool, voters: int, projects: int) -> Election:
    """A small election rich in ties: few distinct costs, copied ballots, ids 1..m as text."""
    costs = [
        rng.choice([0, 1, 2, 3, 5, 6, 10, 12, 15])
        if rng.random() < 0.1
        else rng.choice([2, 3, 4, 5, 6, 10, 12])
        for _ in range(projects)
    ]
    plist = [Project(str(i + 1), Fraction(c)) for i, c in enumerate(costs)]
    total = sum(costs) or 1
    budget = Fraction(max(1, int(total * rng.uniform(0.2, 0.8))))
    offsets, flat, points = [0], [], []
    previous: list[tuple[int, int]] = []
    for _ in range(voters):
        if previous and rng.random() < 0.3:
            ballot = list(previous)
        else:
            size = rng.randint(0, max(1, projects // 2 + 1))
            chosen = rng.sample(range(projects), min(size, projects))
            ballot = [(j, rng.choice([1, 1, 2, 3, 5])) for j in chosen]
        previous = ballot
        for j, pts in ballot:
            flat.append(j)
            points.append(pts)
        offsets.append(len(flat))
    return Election(
        path="<generated>",
        meta={"description": "generated", "vote_type": "cumulative" if cumulative else "approval"},
        budget=budget,
        vote_type="cumulative" if cumulative else "approval",
        projects=plist,
        offsets=offsets,
        ballot_projects=flat,
        ballot_points=points if cumulative else None,
        voter_ids=[str(v) for v in range(voters)],
    )


def as_text(election: Election) -> str:
    return election_to_text(election)
