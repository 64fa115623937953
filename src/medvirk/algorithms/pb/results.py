"""Results of a participatory-budget count: per project and overall, ready for JSON.

Shared by every counting rule (``greedy``, ``equal_shares``), so it imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from medvirk.algorithms.pb.format import Election


@dataclass
class ProjectResult:
    """What happened to one project, with the facts a resident-facing page can show."""

    id: str
    name: str
    cost: Fraction
    support: Fraction  # approvals, or total points for cumulative ballots
    supporters: int
    funded: bool = False
    stage: str = ""  # "free", "equal-shares", "completion" or "greedy"
    position: int | None = None  # 1-based place in the order of funding
    round: int | None = None  # Equal Shares round
    price_per_supporter: float | None = None  # approval: what each full payer paid
    price_per_point: float | None = None  # cumulative: what one point cost
    paid_full_share: int = 0
    paid_all_they_had: int = 0
    supporters_money: float | None = None  # Equal Shares: supporters' money when it stopped
    lacked: float | None = None
    budget_left: float | None = None  # greedy: budget left when its turn came
    displaced_by: str | None = None
    explanation: str = ""
    payers: list[str] | None = None  # Equal Shares, on request: voter ids who paid

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "funded": self.funded,
            "cost": _num(self.cost),
            "support": _num(self.support),
            "supporters": self.supporters,
        }
        optional: dict[str, Any] = {
            "name": self.name or None,
            "stage": self.stage or None,
            "position": self.position,
            "round": self.round,
            "price_per_supporter": _round(self.price_per_supporter),
            "price_per_point": _round(self.price_per_point, 6),
            "supporters_money": _round(self.supporters_money),
            "lacked": _round(self.lacked),
            "budget_left": _round(self.budget_left),
            "displaced_by": self.displaced_by,
        }
        out.update({k: v for k, v in optional.items() if v is not None})
        if self.stage == "equal-shares":
            out["paid_full_share"] = self.paid_full_share
            out["paid_all_they_had"] = self.paid_all_they_had
        out["explanation"] = self.explanation
        if self.payers is not None:
            out["payers"] = self.payers
        return out


@dataclass
class PbResult:
    rule: str
    budget: Fraction
    selected: list[str]
    projects: list[ProjectResult]
    vote_type: str
    num_voters: int
    budget_per_voter: Fraction | None = None  # Equal Shares: the final per-voter budget
    increments: int = 0  # Equal Shares: how many times 1 unit was added per voter
    mes_runs: int = 0
    exact_runs: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def cost(self) -> Fraction:
        by_id = {p.id: p for p in self.projects}
        return sum((by_id[i].cost for i in self.selected), Fraction(0))

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "vote_type": self.vote_type,
            "voters": self.num_voters,
            "selected": self.selected,
            "cost": _num(self.cost),
            "budget": _num(self.budget),
        }
        if self.budget_per_voter is not None:
            out["equal_shares"] = {
                "start_budget_per_voter": _round(float(self.budget_per_voter - self.increments)),
                "final_budget_per_voter": _round(float(self.budget_per_voter)),
                "increments": self.increments,
                "runs": self.mes_runs,
                "exact_runs": self.exact_runs,
            }
        out["explanations"] = {p.id: p.as_json() for p in self.projects}
        return out


def _num(value: Fraction) -> int | float:
    return value.numerator if value.denominator == 1 else float(value)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def money(value: Fraction | float) -> str:
    amount = float(value)
    if abs(amount - round(amount)) < 0.005:
        return f"{round(amount):,}".replace(",", " ")
    return f"{amount:,.2f}".replace(",", " ")


def support_totals(election: Election) -> tuple[list[Fraction], list[int]]:
    """Per project: approvals (or total points) and number of supporters."""
    m = len(election.projects)
    counts = [0] * m
    if election.ballot_points is None:
        for j in election.ballot_projects:
            counts[j] += 1
        return [Fraction(c) for c in counts], counts
    points = [0] * m
    for j, p in zip(election.ballot_projects, election.ballot_points, strict=True):
        if p > 0:
            points[j] += p
            counts[j] += 1
    return [Fraction(p, election.points_scale) for p in points], counts


def fresh_results(election: Election) -> list[ProjectResult]:
    support, supporters = support_totals(election)
    return [
        ProjectResult(p.id, p.name, p.cost, support[j], supporters[j])
        for j, p in enumerate(election.projects)
    ]
