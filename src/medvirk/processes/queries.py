"""Reads of processes, phases and method instances for the pages above (public and staff).

Each returns a bounded number of queries whatever the size. Counts of input and answers
live in the apps that own them (``contributions.queries``, ``accountability.queries``).
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

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
        .get(municipality__slug=municipality_slug, slug=slug)
    )


# -- staff ----------------------------------------------------------------------------------


def process_by_pk(pk: int) -> Process | None:
    """Any process with its municipality; the caller checks the staff member's role."""
    return Process.objects.select_related("municipality").filter(pk=pk).first()


def phases_of(process: Process) -> QuerySet[Phase]:
    return Phase.objects.filter(process=process).order_by("start")


def phase_of(process: Process, pk: int) -> Phase | None:
    """The process's own phase; another process's phase is not found."""
    return Phase.objects.filter(process=process, pk=pk).first()


def methods_of(process: Process) -> QuerySet[MethodInstance]:
    """Every method instance of the process, published or not, with its phase."""
    return (
        MethodInstance.objects.filter(process=process)
        .select_related("phase")
        .order_by("phase__start", "pk")
    )


def method_of(process: Process, pk: int) -> MethodInstance | None:
    """The process's own method instance; another process's is not found."""
    return MethodInstance.objects.filter(process=process, pk=pk).first()
