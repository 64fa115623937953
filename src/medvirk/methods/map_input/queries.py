"""Reads for the map's pages, each a fixed number of queries whatever the number of marks.

The method's queries may read the core's ``Contribution``; its views may not (they read
through here, as import-linter requires of ``medvirk.methods.*.views``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from medvirk.accountability.models import FINAL_STATUSES
from medvirk.algorithms import geo
from medvirk.contributions.models import Contribution, ModerationState
from medvirk.processes.types import MethodInstance

from .actions import KIND
from .models import Place, SchoolClass, TeacherLink

MAX_LISTED_PLACES = 60


@dataclass(frozen=True)
class MarkRow:
    """One mark as the results and exports use it; ``shape`` None if its data is unreadable."""

    pk: int
    category: str
    shape: geo.Geometry | None
    school: str
    grade: int | None
    text: str
    moderation: str
    moderation_label: str
    created_at: dt.datetime
    answered: bool
    status_label: str
    reason: str

    @property
    def published(self) -> bool:
        return self.moderation == ModerationState.PUBLISHED


def _shape(data: dict[str, Any]) -> geo.Geometry | None:
    try:
        # Stored marks were checked when made; read them without the area (it may have
        # changed since) and without the size limits.
        return geo.from_geojson(
            data.get("geometry"),
            allowed=geo.KINDS,
            limits=geo.Limits(max_bytes=10**9, max_vertices=10**6, max_polygon_m2=1e15),
        )
    except geo.InvalidGeometry:
        return None


def _row(c: Contribution) -> MarkRow:
    data = c.data if isinstance(c.data, dict) else {}
    response = getattr(c, "response", None)
    grade = data.get("grade")
    return MarkRow(
        pk=c.pk,
        category=str(data.get("category", "")),
        shape=_shape(data),
        school=str(data.get("school", "")),
        grade=grade if isinstance(grade, int) else None,
        text=c.text,
        moderation=c.moderation,
        moderation_label=str(c.get_moderation_display()),
        created_at=c.created_at,
        answered=response is not None and response.status in FINAL_STATUSES,
        status_label=str(response.get_status_display()) if response is not None else "",
        reason=response.reason if response is not None else "",
    )


def marks(instance: MethodInstance, *, published_only: bool) -> list[MarkRow]:
    """The instance's marks, oldest first (published only: what the public may see)."""
    found = Contribution.objects.filter(method_instance=instance, kind=KIND)
    if published_only:
        found = found.filter(moderation=ModerationState.PUBLISHED)
    return [_row(c) for c in found.select_related("response").order_by("created_at", "pk")]


def answered_comments(instance: MethodInstance, limit: int = 50) -> list[MarkRow]:
    """Published marks with a comment and the municipality's reasoned answer, newest first."""
    found = (
        Contribution.objects.filter(
            method_instance=instance,
            kind=KIND,
            moderation=ModerationState.PUBLISHED,
            response__status__in=list(FINAL_STATUSES),
        )
        .exclude(text="")
        .select_related("response")
        .order_by("-created_at", "-pk")[:limit]
    )
    return [_row(c) for c in found]


def mark_counts(instance: MethodInstance) -> dict[str, int]:
    """All marks, and how many wait for an answer (the staff hub)."""
    return Contribution.objects.filter(method_instance=instance, kind=KIND).aggregate(
        total=Count("pk"),
        waiting=Count(
            "pk", filter=Q(needs_answer=True) & ~Q(response__status__in=list(FINAL_STATUSES))
        ),
    )


# -- places --------------------------------------------------------------------------------


def places(instance: MethodInstance) -> list[Place]:
    return list(Place.objects.filter(method_instance=instance).order_by("name", "pk"))


def place_count(instance: MethodInstance) -> int:
    return Place.objects.filter(method_instance=instance).count()


def search_places(
    instance: MethodInstance, search: str, limit: int = MAX_LISTED_PLACES
) -> tuple[list[Place], int]:
    """Places whose name or kind contains every word searched for; (the first ``limit``,
    how many in all)."""
    found = Place.objects.filter(method_instance=instance)
    for word in search.split()[:5]:
        found = found.filter(Q(name__icontains=word) | Q(kind__icontains=word))
    total = found.count()
    return list(found.order_by("name", "pk")[:limit]), total


def places_by_id(instance: MethodInstance, ids: list[int]) -> dict[int, Place]:
    return {p.pk: p for p in Place.objects.filter(method_instance=instance, pk__in=ids)}


# -- classes -------------------------------------------------------------------------------


def classes(instance: MethodInstance) -> list[SchoolClass]:
    return list(
        SchoolClass.objects.filter(method_instance=instance).order_by(
            "school", "grade", "label", "pk"
        )
    )


def class_of(instance: MethodInstance, pk: int) -> SchoolClass | None:
    return SchoolClass.objects.filter(method_instance=instance, pk=pk).first()


def schools(instance: MethodInstance) -> list[str]:
    """The schools with a class (the join form's choices; a closed class's school too, so
    its pupils hear that the code is closed)."""
    return list(
        SchoolClass.objects.filter(method_instance=instance)
        .order_by("school")
        .values_list("school", flat=True)
        .distinct()
    )


def teacher_links(instance: MethodInstance) -> list[TeacherLink]:
    return list(
        TeacherLink.objects.filter(method_instance=instance, revoked_at__isnull=True).annotate(
            n_classes=Count("classes")
        )
    )


def classes_of_link(link: TeacherLink) -> list[SchoolClass]:
    return list(SchoolClass.objects.filter(teacher_link=link).order_by("grade", "label", "pk"))
