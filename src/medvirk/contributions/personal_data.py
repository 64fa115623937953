"""A person's contributions in «Mine data», and what erasure does to them.

Registered with identity's personal-data registry when the app is ready.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from medvirk.core.tokens import new_nonce
from medvirk.identity.models import User
from medvirk.identity.personal_data import DEFAULT_ORDER, PersonalDataSection, iso, register

from .models import Contribution


class Contributions(PersonalDataSection):
    """What the person wrote, with the private receipt link to each contribution.

    Erasure keeps the contribution in its case (the municipality must use and archive
    input) but removes author, name and contact e-mail, and revokes the receipt link (a
    new nonce), so a link left in an old e-mail no longer ties the person to the text.
    Contributions a staff member registered for others are theirs, not the staff member's
    (``registered_by`` is set to null when the staff account goes).
    """

    key = "contributions"
    models = (Contribution,)
    order = DEFAULT_ORDER

    def export(self, user: User) -> list[dict[str, Any]]:
        base = settings.MEDVIRK_BASE_URL.rstrip("/")
        rows = (
            Contribution.objects.filter(author=user)
            .select_related("process__municipality", "method_instance")
            .order_by("created_at", "pk")
        )
        return [
            {
                "id": c.pk,
                "created_at": iso(c.created_at),
                "municipality": c.process.municipality.name,
                "case": c.process.title,
                "method": str(c.method_instance),
                "kind": c.kind,
                "channel": c.channel,
                "text": c.text,
                "data": c.data,
                "name_given": c.author_name,
                "show_name": c.show_name,
                "contact_email": c.contact_email,
                "language": c.language,
                "moderation": c.moderation,
                # Rebuilt from the stored nonce: the link itself is never stored.
                "receipt_link": base + c.receipt_url(),
            }
            for c in rows
        ]

    def erase(self, user: User) -> None:
        own = list(Contribution.objects.select_for_update().filter(author=user))
        for contribution in own:
            contribution.author = None
            contribution.author_name = ""
            contribution.show_name = False
            contribution.contact_email = ""
            contribution.receipt_nonce = new_nonce()
        Contribution.objects.bulk_update(
            own, ["author", "author_name", "show_name", "contact_email", "receipt_nonce"]
        )


register(Contributions())
