"""Reads of answers and decisions, and of input by whether it has been answered.

Accountability stands on top of the core, so the reads that combine input with its answer
(the staff inbox, the dashboard's counts) live here. Each makes a bounded number of queries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Q, QuerySet

from medvirk.contributions.models import AWAITING_MODERATION, Contribution, ModerationState
from medvirk.processes.models import Process

from .models import FINAL_STATUSES, Decision, Notification, Response

# -- public -------------------------------------------------------------------------------

# In the public list: published input, and hidden input as the reason in its place.
PUBLIC_STATES = (ModerationState.PUBLISHED, ModerationState.HIDDEN)


def published_input(process: Process) -> QuerySet[Contribution]:
    """The case's published input with its answers, newest first (a fixed number of queries).

    Hidden input is in the list too: the page shows the moderator's reason in its place.
    Survey answers of ticks only are not: the survey's published results show them.
    """
    return (
        Contribution.objects.filter(
            process=process, moderation__in=PUBLIC_STATES, needs_answer=True
        )
        # Input to a method that is not (or no longer) published is not public either.
        .filter(Q(method_instance__isnull=True) | Q(method_instance__is_published=True))
        .select_related("response", "method_instance", "author")
        .order_by("-created_at", "-pk")
    )


def decisions(process: Process) -> QuerySet[Decision]:
    return Decision.objects.filter(process=process)


_CASE_NUMBER = re.compile(r"^\s*(\d{4})\s*/\s*(\d{1,9})\s*$")


def archive_case_number(process: Process) -> tuple[int | None, int | None]:
    """The archive's saksnummer (year, number), when a decision records one as "2025/1234"."""
    numbers = Decision.objects.filter(process=process).exclude(case_number="")
    for raw in numbers.order_by("pk").values_list("case_number", flat=True):
        found = _CASE_NUMBER.match(raw)
        if found:
            return int(found.group(1)), int(found.group(2))
    return None, None


def response_to(contribution: Contribution) -> Response | None:
    """The answer to a contribution; None until it is answered."""
    return Response.objects.filter(contribution_id=contribution.pk).first()


def decisions_explaining(response: Response | None) -> QuerySet[Decision]:
    """The decisions that link this answer (none for no answer)."""
    if response is None:
        return Decision.objects.none()
    return Decision.objects.filter(responses=response)


# -- staff --------------------------------------------------------------------------------


def decision_of(process: Process, pk: int) -> Decision | None:
    """The case's own decision; another case's is not found."""
    return Decision.objects.filter(process=process, pk=pk).first()


InboxFilter = Callable[[QuerySet[Contribution]], QuerySet[Contribution]]

# The inbox's lists, by the key in its address (``?vis=``); the first is the default.
# Only a final status (which always carries a reason) counts as answered: "received" and
# "under review" are acknowledgements, and the input still waits for its reasoned answer.
ANSWERED = Q(response__status__in=FINAL_STATUSES)
INBOX_FILTERS: dict[str, InboxFilter] = {
    "unanswered": lambda qs: qs.filter(needs_answer=True).exclude(ANSWERED),
    "answered": lambda qs: qs.filter(ANSWERED),
    "held": lambda qs: qs.filter(moderation=ModerationState.HELD),
    "all": lambda qs: qs,
}
INBOX_DEFAULT = "unanswered"


def inbox_filter(show: str | None) -> str:
    """The filter key to use: the one asked for if it exists, else the default."""
    return show if show in INBOX_FILTERS else INBOX_DEFAULT


def inbox(process: Process, show: str) -> QuerySet[Contribution]:
    """The case's input in one of the inbox's lists, newest first, with answer and method."""
    qs = (
        Contribution.objects.filter(process=process)
        .select_related("response", "method_instance")
        .order_by("-created_at", "-pk")
    )
    return INBOX_FILTERS[inbox_filter(show)](qs)


def staff_cases(municipality_ids: Iterable[int]) -> QuerySet[Process]:
    """The cases of these municipalities with counts of input, unanswered and held input."""
    return (
        Process.objects.filter(municipality_id__in=list(municipality_ids))
        .select_related("municipality")
        .annotate(
            n_contributions=Count("contributions", distinct=True),
            n_unanswered=Count(
                "contributions",
                filter=Q(contributions__needs_answer=True)
                & ~Q(contributions__response__status__in=FINAL_STATUSES),
                distinct=True,
            ),
            # What awaits a moderator: pending or held input, and published input with
            # reports no moderator has dealt with yet.
            n_held=Count(
                "contributions",
                filter=Q(contributions__moderation__in=AWAITING_MODERATION)
                | Q(
                    contributions__moderation=ModerationState.PUBLISHED,
                    contributions__reports__isnull=False,
                    contributions__reports__resolved_at__isnull=True,
                ),
                distinct=True,
            ),
        )
        .order_by("municipality__name", "-updated_at")
    )


def own_input(user: AbstractBaseUser) -> QuerySet[Contribution]:
    """A person's own input, newest first, with the answers (for My page)."""
    return (
        Contribution.objects.filter(author_id=user.pk)
        .select_related("process__municipality", "response")
        .order_by("-created_at", "-pk")
    )


def own_notifications(user: AbstractBaseUser) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")
