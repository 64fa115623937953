"""Reads of the information method: the residents' questions, counted as published."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from medvirk.accountability.models import FINAL_STATUSES, ResponseStatus
from medvirk.contributions.models import Contribution, ModerationState
from medvirk.processes.models import MethodInstance

# The one kind of input the method takes.
KIND = "question"


@dataclass(frozen=True)
class StatusCount:
    label: str
    count: int


@dataclass(frozen=True)
class Questions:
    """The published questions and how the municipality has answered them. Only a final,
    reasoned answer counts as answered ("received" and "under review" do not)."""

    asked: int
    answered: int
    by_answer: list[StatusCount]

    @property
    def unanswered(self) -> int:
        return self.asked - self.answered


def questions(instance: MethodInstance) -> Questions:
    """The instance's published questions counted by their answer's status (1 query)."""
    per_status: dict[str | None, int] = dict(
        Contribution.objects.filter(
            method_instance=instance, kind=KIND, moderation=ModerationState.PUBLISHED
        )
        .order_by()
        .values_list("response__status")
        .annotate(n=Count("pk"))
        .values_list("response__status", "n")
    )
    final = [s for s in ResponseStatus if s in FINAL_STATUSES and per_status.get(s.value)]
    return Questions(
        asked=sum(per_status.values()),
        answered=sum(per_status[s.value] for s in final),
        by_answer=[StatusCount(str(s.label), per_status[s.value]) for s in final],
    )
