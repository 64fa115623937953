"""The greedy rule, and the greedy completion Equal Shares ends with.

pabutools 1.2.3's ``greedy_utilitarian_welfare`` with ``Cost_Sat``: projects by number of
approvals (cumulative ballots: total points), ties by project id compared as text, each
taken if it still fits the remaining budget.
"""

from __future__ import annotations

from fractions import Fraction

from medvirk.algorithms.pb.format import Election
from medvirk.algorithms.pb.results import PbResult, ProjectResult, fresh_results, money


def greedy_order(election: Election, support: list[Fraction], skip: set[int]) -> list[int]:
    """pabutools' greedy order: by support per unit of satisfaction, ties by id as text.

    With cost satisfaction a project's score is its approvals (points); a free project
    scores 0 there (its total satisfaction is 0), so it comes last among equals.
    """
    projects = election.projects

    def key(j: int) -> tuple[Fraction, str]:
        score = support[j] if projects[j].cost > 0 else Fraction(0)
        return -score, projects[j].id

    return sorted((j for j in range(len(projects)) if j not in skip), key=key)


def greedy_fill(
    election: Election,
    results: list[ProjectResult],
    chosen: list[int],
    stage: str,
) -> None:
    """Add projects in greedy order while they fit; explain each decision."""
    projects = election.projects
    taken = set(chosen)
    left = election.budget - sum((projects[j].cost for j in chosen), Fraction(0))
    support = [r.support for r in results]
    unit = "points" if election.vote_type == "cumulative" else "approvals"
    # (remaining budget after each pick, project id) to find who used up the money.
    after: list[tuple[Fraction, str]] = []
    for rank, j in enumerate(greedy_order(election, support, taken), start=1):
        result = results[j]
        result.budget_left = float(left)
        cost = projects[j].cost
        if cost <= left:
            left -= cost
            chosen.append(j)
            after.append((left, projects[j].id))
            result.funded, result.stage, result.position = True, stage, len(chosen)
            result.explanation = (
                f"Funded ({stage} step, place {rank} in the ranking by {unit}: "
                f"{money(result.support)}). It cost {money(cost)} and "
                f"{money(left + cost)} was left when its turn came."
            )
        else:
            result.lacked = float(cost - left)
            blocker = next((pid for rest, pid in after if rest < cost), None)
            result.displaced_by = blocker
            why = (
                f"the money ran out when {blocker} was funded"
                if blocker
                else "it costs more than the whole budget available"
            )
            text = (
                f"Not funded: place {rank} in the ranking by {unit} "
                f"({money(result.support)}); it costs {money(cost)} but only "
                f"{money(left)} was left when its turn came ({why})."
            )
            result.explanation = (
                f"{result.explanation} {text}".strip() if stage == "completion" else text
            )


def count_greedy(election: Election) -> PbResult:
    results = fresh_results(election)
    chosen: list[int] = []
    greedy_fill(election, results, chosen, "greedy")
    return PbResult(
        "greedy",
        election.budget,
        [election.projects[j].id for j in chosen],
        results,
        election.vote_type,
        election.num_voters,
    )
