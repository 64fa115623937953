"""Reads for process pages: each returns a bounded number of queries whatever the size."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from medvirk.contributions.models import Contribution, ModerationState

from .models import MethodInstance, Phase, Process, ProcessStatus


def public_processes() -> QuerySet[Process]:
    return (
        Process.objects.exclude(status=ProcessStatus.DRAFT)
        .select_related("municipality")
        .order_by("-updated_at")
    )


def process_for_page(municipality_slug: str, slug: str) -> Process:
    """The process with its phases and published methods, in three queries."""
    return (
        Process.objects.select_related("municipality")
        .prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("start")),
            Prefetch(
                "methods",
                queryset=MethodInstance.objects.filter(is_published=True).select_related("phase"),
            ),
        )
        .annotate(
            published_count=Count(
                "contributions", filter=Q(contributions__moderation=ModerationState.PUBLISHED)
            )
        )
        .get(municipality__slug=municipality_slug, slug=slug)
    )


def published_contributions(process: Process) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(process=process, moderation=ModerationState.PUBLISHED)
        .select_related("response", "method_instance", "author")
        .order_by("-created_at", "-pk")
    )
