"""Reads of input (contributions) for public and staff pages; bounded queries each.

Answers belong to accountability, above this app: lists that show them join the answer by
its relation name (``response``), so this app never imports accountability.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from medvirk.core.tokens import check_receipt_token

from .models import Contribution, ModerationState

if TYPE_CHECKING:
    from medvirk.processes.models import Process

# The staff moderation queue shows at most this many held items at once (oldest first).
MODERATION_QUEUE_SIZE = 200


def published_count(process: Process) -> int:
    return Contribution.objects.filter(
        process=process, moderation=ModerationState.PUBLISHED
    ).count()


def contribution_by_receipt(pk: int, token: str) -> Contribution | None:
    """The contribution a private receipt link names, or None when the token does not fit."""
    contribution = (
        Contribution.objects.select_related("process__municipality", "method_instance")
        .filter(pk=pk)
        .first()
    )
    if contribution is None or not check_receipt_token(pk, contribution.receipt_nonce, token):
        return None
    return contribution


# -- staff ----------------------------------------------------------------------------------


def contribution_by_pk(pk: int) -> Contribution | None:
    """Any contribution with its case and municipality; the caller checks the role."""
    return (
        Contribution.objects.select_related("process__municipality", "method_instance", "author")
        .filter(pk=pk)
        .first()
    )


def contribution_in(process: Process, pk: int) -> Contribution | None:
    """The case's own contribution; another case's is not found."""
    return Contribution.objects.filter(process=process, pk=pk).first()


def ids_in_process(process: Process, ids: Iterable[int | str]) -> list[int]:
    """Those of ``ids`` that name the case's own contributions (anything else is dropped)."""
    wanted = [int(i) for i in ids if str(i).isdigit()]
    return list(
        Contribution.objects.filter(process=process, pk__in=wanted).values_list("pk", flat=True)
    )


def held_for_moderation(process: Process) -> QuerySet[Contribution]:
    """Input held for a moderator, oldest first (the queue shows a bounded number)."""
    return (
        Contribution.objects.filter(process=process, moderation=ModerationState.HELD)
        .select_related("method_instance")
        .order_by("created_at")[:MODERATION_QUEUE_SIZE]
    )
