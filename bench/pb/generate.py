"""Generated Pabulib elections for the benchmark (deterministic for a seed).

Costs are spread like real municipal PB projects (a few expensive ones, many small),
popularity varies a lot between projects, and the budget (1000 per voter) covers about a
third of the total cost -- so Equal Shares needs many Add1 steps, as in real elections.
"""

from __future__ import annotations

import random
from fractions import Fraction

from medvirk.algorithms.pb.format import Election, Project, write_pb


def generate(
    voters: int,
    projects: int,
    seed: int = 1,
    cumulative: bool = False,
    per_voter: int = 1000,
    approvals: float = 8.0,
) -> Election:
    rng = random.Random(seed)
    raw = [rng.lognormvariate(0.0, 0.8) for _ in range(projects)]
    # Budget = `per_voter` per voter = a third of the total cost (so the Equal Shares
    # completion needs hundreds of +1 steps, as the issue describes). Costs in 1000s.
    budget = Fraction(voters * per_voter)
    unit = 3 * voters * per_voter / sum(raw)
    costs = [max(1, round(r * unit / 1000)) * 1000 for r in raw]
    # About `approvals` ticks per ballot whatever the number of projects (real PBs: 5-10),
    # with popularity very uneven between projects.
    shape = 1.2
    popularity = [
        rng.betavariate(shape, shape * (projects / approvals - 1)) for _ in range(projects)
    ]
    offsets, flat, points = [0], [], []
    for _ in range(voters):
        chosen = [j for j in range(projects) if rng.random() < popularity[j]]
        if not chosen and rng.random() < 0.9:
            chosen = [rng.randrange(projects)]
        for j in chosen:
            flat.append(j)
            points.append(rng.randint(1, 5))
        offsets.append(len(flat))
    kind = "cumulative" if cumulative else "approval"
    return Election(
        path="<generated>",
        meta={
            "description": f"Generated benchmark election, seed {seed}",
            "country": "Norway",
            "unit": "Benchmark",
            "instance": str(seed),
            "vote_type": kind,
            "rule": "greedy",
        },
        budget=budget,
        vote_type=kind,
        projects=[
            Project(str(j + 1), Fraction(c), {"name": f"Project {j + 1}"})
            for j, c in enumerate(costs)
        ],
        offsets=offsets,
        ballot_projects=flat,
        ballot_points=points if cumulative else None,
        voter_ids=[str(v + 1) for v in range(voters)],
    )


def write(path: str, voters: int, projects: int, seed: int = 1, cumulative: bool = False) -> None:
    write_pb(generate(voters, projects, seed, cumulative), path)
