"""Can the quotas be met at all? And if not, which ones are to blame?

Cheap counting checks come first, because their messages are the clearest ("the minimums
for age add up to 45, more than the 40 seats"). If they pass but no valid panel exists, a
deletion filter over the quotas finds a small set that cannot be met together: drop each
quota in turn and keep it out if the rest is still impossible. What remains is a set where
every quota matters, which is what a case officer needs to relax.
"""

from __future__ import annotations

from medvirk.algorithms.sortition.highs import PanelProgram, quota_members
from medvirk.algorithms.sortition.io import Features, Pool, Quota, SortitionInputError
from medvirk.algorithms.sortition.types import TypeTable


def _lines(quotas: list[Quota]) -> str:
    lines = [q.line for q in quotas]
    if lines == list(range(lines[0], lines[0] + len(lines))) and len(lines) > 1:
        return f"lines {lines[0]}-{lines[-1]}"
    return "line" + ("s " if len(lines) > 1 else " ") + ", ".join(str(n) for n in lines)


def check_request(pool: Pool, features: Features, types: TypeTable, size: int) -> None:
    """Raise a SortitionInputError naming the problem if the request obviously cannot work."""
    if size < 1:
        raise SortitionInputError(f"the panel size must be at least 1 (got {size})")
    if size > len(pool):
        raise SortitionInputError(
            f"the panel size {size} is larger than the pool ({len(pool)} people)", pool.path
        )
    if pool.households is not None:
        households = len(set(pool.households))
        if size > households:
            raise SortitionInputError(
                f"the panel size {size} is larger than the number of households in the pool "
                f"({households}), and only one person per household may sit",
                pool.path,
            )
    for feature in features.names:
        quotas = [q for q in features.quotas if q.feature == feature]
        low, high = sum(q.min for q in quotas), sum(q.max for q in quotas)
        if low > size:
            raise SortitionInputError(
                f"quotas for '{feature}' cannot be met: their minimums add up to {low}, "
                f"more than the panel size {size} ({_lines(quotas)})",
                features.path,
            )
        if high < size:
            raise SortitionInputError(
                f"quotas for '{feature}' cannot be met: their maximums add up to {high}, "
                f"less than the panel size {size} ({_lines(quotas)})",
                features.path,
            )
    members = quota_members(types, features)
    for quota, group in zip(features.quotas, members, strict=True):
        available = int(types.counts[group].sum())
        if quota.min > available:
            have = {0: "nobody", 1: "only 1 person"}.get(available, f"only {available} people")
            raise SortitionInputError(
                f"quota {quota.label} cannot be met: minimum {quota.min}, "
                f"but {have} in the pool {'has' if available < 2 else 'have'} it",
                features.path,
                quota.line,
            )


def conflicting_quotas(types: TypeTable, features: Features, size: int) -> tuple[list[Quota], bool]:
    """A small set of quotas (and whether the household rule) that cannot all hold at once.

    Assumes the full set is infeasible. Every member of the returned set is needed: drop
    any one and a valid panel exists.
    """
    kept = list(range(len(features.quotas)))
    households = bool(types.households)

    def feasible(quotas: list[int], with_households: bool) -> bool:
        program = PanelProgram(types, features, size, quotas=quotas, households=with_households)
        return program.feasible()

    if households and not feasible(kept, False):
        households = False
    elif households:
        # Without the household rule it works, so the rule is part of every conflict.
        pass
    for q in list(kept):
        trial = [k for k in kept if k != q]
        if not feasible(trial, households):
            kept = trial
    return [features.quotas[q] for q in kept], households


def describe_conflict(quotas: list[Quota], households: bool, size: int) -> str:
    parts = [f"{q.label} (min {q.min}, max {q.max}, line {q.line})" for q in quotas]
    if households:
        parts.append("one person per household")
    if not quotas and households:
        return (
            f"no panel of {size} can meet the one-person-per-household rule "
            "together with the panel size"
        )
    if len(parts) == 1:
        return f"no panel of {size} meets quota {parts[0]}"
    return f"no panel of {size} meets these together: " + "; ".join(parts)
