"""A ballot checked against the instance's rules, before anything is stored.

Three ballots:

- **approval**: tick up to *k* projects;
- **knapsack**: tick projects whose costs together fit in the budget;
- **cumulative**: spread *P* points over the projects (optionally at most *m* on one).

:func:`check` either returns the ballot as it will be stored or raises
:class:`ActionRefused` saying, in the voter's language, what is wrong — nothing is stored
then. It is pure: the caller gives the projects of the voter's election.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medvirk.core.errors import ActionRefused

from .config import APPROVAL, CUMULATIVE, KNAPSACK, Rules

MAX_POINTS_INPUT = 10**6


def kr(amount: int | float) -> str:
    """An amount of kroner as people read it: "200 000 kr"."""
    return _("%(amount)s kr") % {
        "amount": number_format(round(amount), decimal_pos=0, force_grouping=True)
    }


@dataclass(frozen=True)
class Offered:
    """A project on the voter's ballot."""

    number: int
    title: str
    cost: int


@dataclass(frozen=True)
class Checked:
    choices: dict[str, int]  # project number (text) -> points (1 for ticks)
    total: int  # what the rules limit: the cost, the count or the points
    limit: int


def parse_points(raw: Mapping[int, str]) -> dict[int, int]:
    """Typed points per project (cumulative) as whole numbers; refuses anything else."""
    points: dict[int, int] = {}
    for number, text in raw.items():
        cleaned = str(text).strip()
        if not cleaned:
            continue
        if not cleaned.isdigit() or len(cleaned) > 7:
            raise ActionRefused(_("Points must be whole numbers, 0 or more."))
        if int(cleaned):
            points[number] = int(cleaned)
    return points


def check(
    rules: Rules,
    offered: Mapping[int, Offered],
    chosen: Mapping[int, int],
    budget: int,
) -> Checked:
    """The ballot as stored, or :class:`ActionRefused` with what is wrong.

    ``chosen`` maps a project's number to its points (1 for a tick); ``budget`` is the
    voter's election's budget (knapsack).
    """
    unknown = [n for n in chosen if n not in offered]
    if unknown:
        raise ActionRefused(
            _(
                "One of the projects you chose is not on this ballot. Reload the page and "
                "choose again."
            )
        )
    picked = {n: p for n, p in chosen.items() if p > 0}
    if rules.ballot == CUMULATIVE:
        return _cumulative(rules, offered, picked)
    if not picked:
        raise ActionRefused(_("Choose at least one project."))
    if rules.ballot == APPROVAL:
        if len(picked) > rules.max_choices:
            raise ActionRefused(
                ngettext(
                    "You chose %(n)d projects, but you may choose at most %(k)d project.",
                    "You chose %(n)d projects, but you may choose at most %(k)d projects.",
                    rules.max_choices,
                )
                % {"n": len(picked), "k": rules.max_choices}
            )
        return Checked({str(n): 1 for n in sorted(picked)}, len(picked), rules.max_choices)
    assert rules.ballot == KNAPSACK
    total = sum(offered[n].cost for n in picked)
    if total > budget:
        raise ActionRefused(
            _(
                "Your choices cost %(total)s, but the budget is %(budget)s: %(over)s too much. "
                "Take away a project and try again."
            )
            % {"total": kr(total), "budget": kr(budget), "over": kr(total - budget)}
        )
    return Checked({str(n): 1 for n in sorted(picked)}, total, budget)


def _cumulative(rules: Rules, offered: Mapping[int, Offered], picked: Mapping[int, int]) -> Checked:
    if not picked:
        raise ActionRefused(_("Give at least one point to a project."))
    cap = rules.cap_per_project
    for number in sorted(picked):
        if picked[number] > cap:
            raise ActionRefused(
                ngettext(
                    "At most %(max)d point on one project: «%(title)s» has %(n)d.",
                    "At most %(max)d points on one project: «%(title)s» has %(n)d.",
                    cap,
                )
                % {"max": cap, "title": offered[number].title, "n": picked[number]}
            )
    total = sum(picked.values())
    if total > rules.points:
        raise ActionRefused(
            ngettext(
                "You gave %(n)d points, but you have %(p)d point. Take %(over)d away and try "
                "again.",
                "You gave %(n)d points, but you have %(p)d points. Take %(over)d away and try "
                "again.",
                rules.points,
            )
            % {"n": total, "p": rules.points, "over": total - rules.points}
        )
    return Checked({str(n): picked[n] for n in sorted(picked)}, total, rules.points)
