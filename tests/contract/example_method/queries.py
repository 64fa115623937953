"""Reads of one instance's ideas: one query each, whatever the number of ideas.

The method's own queries may read the core's ``Contribution``; its views may not (they
read through here, as import-linter requires of ``medvirk.methods.*.views``).
"""

from __future__ import annotations

from django.db.models import QuerySet

from medvirk.contributions.models import Contribution, ModerationState
from medvirk.processes.types import MethodInstance

from .actions import KIND


def published_ideas(instance: MethodInstance) -> QuerySet[Contribution]:
    """This instance's ideas a moderator has not held back, newest first, with the answer."""
    return (
        Contribution.objects.filter(
            method_instance=instance, kind=KIND, moderation=ModerationState.PUBLISHED
        )
        .select_related("response")
        .order_by("-created_at", "-pk")
    )


def all_ideas(instance: MethodInstance) -> QuerySet[Contribution]:
    """Every idea of this instance, oldest first (the staff export)."""
    return Contribution.objects.filter(method_instance=instance, kind=KIND).order_by(
        "created_at", "pk"
    )
