"""A person's staff roles in «Mine data», and what erasure does to them.

Registered with identity's personal-data registry when the app is ready.
"""

from __future__ import annotations

from typing import Any

from medvirk.identity.models import User
from medvirk.identity.personal_data import DEFAULT_ORDER, PersonalDataSection, iso, register

from .models import Membership


class Memberships(PersonalDataSection):
    """Roles the person holds as staff. Erasure deletes them with the account (what they
    did as staff stays in the audit log under a pseudonym)."""

    key = "memberships"
    models = (Membership,)
    order = DEFAULT_ORDER

    def export(self, user: User) -> list[dict[str, Any]]:
        return [
            {"municipality": m.municipality.name, "role": m.role, "since": iso(m.created_at)}
            for m in Membership.objects.filter(user=user)
            .select_related("municipality")
            .order_by("pk")
        ]

    def erase(self, user: User) -> None:
        Membership.objects.filter(user=user).delete()


register(Memberships())
