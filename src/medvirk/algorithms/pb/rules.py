"""Counting rules for participatory budgeting: greedy and Equal Shares (with completion).

Both reproduce pabutools 1.2.3 exactly (see docs/algorithms.md):

* ``greedy``: ``greedy_utilitarian_welfare`` with ``Cost_Sat`` -- projects by number of
  approvals (cumulative ballots: total points), ties by project id compared as text, each
  taken if it still fits the remaining budget (:mod:`.greedy`).
* ``equal-shares``: ``completion_by_rule_combination`` of ``method_of_equal_shares``
  (``Cost_Sat`` for approval, ``Additive_Cardinal_Sat`` -- the points -- for cumulative,
  ``voter_budget_increment=1``) and then the greedy rule above for what is left
  (:mod:`.equal_shares`).

Imports run one way: ``format`` → ``results`` → ``greedy`` → ``equal_shares`` (with
``mes``) → ``rules`` → ``cli``. Only this module knows every rule.
"""

from __future__ import annotations

from medvirk.algorithms.pb.equal_shares import count_equal_shares
from medvirk.algorithms.pb.format import Election
from medvirk.algorithms.pb.greedy import count_greedy
from medvirk.algorithms.pb.results import PbResult

RULES = ("greedy", "equal-shares")


def count(election: Election, rule: str, exact: bool = False, payers: bool = False) -> PbResult:
    """Count ``election`` with ``rule`` ("greedy" or "equal-shares").

    ``exact=True`` makes Equal Shares use exact fractions throughout (slow; for audits);
    ``payers=True`` lists, for each project Equal Shares funds, the voter ids who paid.
    """
    if rule == "greedy":
        return count_greedy(election)
    if rule == "equal-shares":
        return count_equal_shares(election, exact, payers)
    raise ValueError(f"unknown rule {rule!r}; choose from {', '.join(RULES)}")
