"""What a staff member accepted into participation plans, in «Mine data».

Registered with identity's personal-data registry when the app is ready.
"""

from __future__ import annotations

from typing import Any

from medvirk.identity.models import User
from medvirk.identity.personal_data import DEFAULT_ORDER, PersonalDataSection, iso, register

from .models import PlannedActivity


class PlannedActivities(PersonalDataSection):
    """Activities the person (as staff) accepted into a plan. Erasure keeps the activity in
    the plan, which belongs to the municipality, and forgets who accepted it."""

    key = "planned_activities"
    models = (PlannedActivity,)
    order = DEFAULT_ORDER

    def export(self, user: User) -> list[dict[str, Any]]:
        rows = (
            PlannedActivity.objects.filter(created_by=user)
            .select_related("plan__process")
            .order_by("created_at", "pk")
        )
        return [
            {
                "case": a.plan.process.title,
                "method": a.catalogue_key,
                "phase": a.phase_kind,
                "created_at": iso(a.created_at),
            }
            for a in rows
        ]

    def erase(self, user: User) -> None:
        PlannedActivity.objects.filter(created_by=user).update(created_by=None)


register(PlannedActivities())
