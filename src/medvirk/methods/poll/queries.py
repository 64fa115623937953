"""Reads of the quick poll. Results are counted by the database: three queries whatever
the number of votes."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from medvirk.contributions.models import ModerationState
from medvirk.processes.models import MethodInstance

from .actions import KIND, is_closed
from .models import PollOption, PollQuestion, PollVote

# Published counts of people hide every group smaller than this (the open-data promise).
SUPPRESS_BELOW = 5


def poll(instance: MethodInstance) -> PollQuestion | None:
    return PollQuestion.objects.filter(method_instance=instance).first()


def options(question: PollQuestion | None) -> list[PollOption]:
    if question is None:
        return []
    return list(question.options.all())


def own_vote(instance: MethodInstance, once_key: str | None) -> PollVote | None:
    """The vote given under this person's or browser's key, if any."""
    if once_key is None:
        return None
    return (
        PollVote.objects.select_related("option", "contribution")
        .filter(contribution__method_instance=instance, contribution__once_key=once_key)
        .first()
    )


@dataclass
class Row:
    pk: int
    label: str
    count: int | None  # None when hidden because the group is small
    share: float | None = None

    @property
    def suppressed(self) -> bool:
        return self.count is None

    @property
    def percent(self) -> str:
        return "" if self.share is None else f"{self.share * 100:.0f} %"


@dataclass
class Results:
    question: PollQuestion | None
    total: int
    rows: list[Row] = field(default_factory=list)

    @property
    def any_suppressed(self) -> bool:
        return any(r.suppressed for r in self.rows)


def results(instance: MethodInstance, *, exact: bool = False) -> Results:
    """Votes per option; a moderator's rejected votes do not count.

    ``exact`` (staff) shows every count; otherwise counts under :data:`SUPPRESS_BELOW` are
    hidden, and when only one would be, the next smallest too, so it cannot be worked out
    from the total.
    """
    question = poll(instance)
    opts = options(question)
    counted = dict(
        PollVote.objects.filter(option__question=question, contribution__kind=KIND)
        .exclude(contribution__moderation=ModerationState.REJECTED)
        .values_list("option_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    total = sum(counted.values())
    rows = [
        Row(
            pk=o.pk,
            label=o.label,
            count=counted.get(o.pk, 0),
            share=counted.get(o.pk, 0) / total if total else None,
        )
        for o in opts
    ]
    if not exact:
        _suppress(rows)
    return Results(question=question, total=total, rows=rows)


def _suppress(rows: list[Row]) -> None:
    small = [r for r in rows if r.count and r.count < SUPPRESS_BELOW]
    if len(small) == 1:
        others = sorted(
            (r for r in rows if r.count and r is not small[0]), key=lambda r: r.count or 0
        )
        if others:
            small.append(others[0])
    for row in small:
        row.count = None
        row.share = None


def report_results(instance: MethodInstance) -> Results | None:
    """The result as everyone sees it (small counts hidden), for the council report; None
    until the poll has closed: before that only those who voted may see it."""
    return results(instance) if is_closed(instance) else None
