"""A person's contributions in «Mine data», and what erasure does to them.

Registered with identity's personal-data registry when the app is ready.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from medvirk.core.tokens import new_nonce
from medvirk.identity.models import User
from medvirk.identity.personal_data import DEFAULT_ORDER, PersonalDataSection, iso, register

from . import attachments  # noqa: F401  (connects deleting a file with its row)
from .actions import reporter_hash
from .models import Attachment, Contribution, Report


class Contributions(PersonalDataSection):
    """What the person wrote, with the private receipt link to each contribution.

    Erasure keeps the contribution in its case (the municipality must use and archive
    input) but removes author, name and contact e-mail, and revokes the receipt link (a
    new nonce), so a link left in an old e-mail no longer ties the person to the text.
    Contributions a staff member registered for others are theirs, not the staff member's
    (``registered_by`` is set to null when the staff account goes).
    """

    key = "contributions"
    models = (Contribution, Attachment)
    order = DEFAULT_ORDER

    def export(self, user: User) -> list[dict[str, Any]]:
        base = settings.MEDVIRK_BASE_URL.rstrip("/")
        rows = (
            Contribution.objects.filter(author=user)
            .select_related("process__municipality", "method_instance")
            .prefetch_related("attachments")
            .order_by("created_at", "pk")
        )
        return [
            {
                "id": c.pk,
                "created_at": iso(c.created_at),
                "municipality": c.process.municipality.name,
                "case": c.process.title,
                "method": str(c.method_instance) if c.method_instance else "",
                "kind": c.kind,
                "channel": c.channel,
                "text": c.text,
                "data": c.data,
                "name_given": c.author_name,
                "show_name": c.show_name,
                "contact_email": c.contact_email,
                "language": c.language,
                "moderation": c.moderation,
                # The files given with it (never public); erasure deletes them.
                "attachments": [
                    {"name": a.name, "content_type": a.content_type, "size": a.size}
                    for a in c.attachments.all()
                ],
                # Rebuilt from the stored nonce: the link itself is never stored.
                "receipt_link": base + c.receipt_url(),
            }
            for c in rows
        ]

    def erase(self, user: User) -> None:
        # A file cannot be stripped of the person the way a row can: the files go (from
        # storage too, once committed: contributions.attachments), the text stays.
        Attachment.objects.filter(contribution__author=user).delete()
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


class Reports(PersonalDataSection):
    """Input the person reported to the moderators while logged in.

    A report keeps no person, only a keyed hash of the account (or of a browser session)
    so one person counts once; this section finds the account's own by that hash. Erasure
    keeps the report (a moderator may still need it) but gives it a hash no one can be
    recognised by and drops the note the person wrote. Reports *of* a person's input are
    other people's and stay with the input (deleting input deletes its reports).
    """

    key = "reports"
    models = (Report,)
    order = DEFAULT_ORDER

    def _own(self, user: User) -> QuerySet[Report]:
        return Report.objects.filter(reporter_hash=reporter_hash(f"user:{user.pk}"))

    def export(self, user: User) -> list[dict[str, Any]]:
        return [
            {
                "contribution": r.contribution_id,
                "reason": r.reason,
                "note": r.note,
                "created_at": iso(r.created_at),
                "dealt_with_at": iso(r.resolved_at),
            }
            for r in self._own(user).order_by("created_at", "pk")
        ]

    def erase(self, user: User) -> None:
        own = list(self._own(user).select_for_update())
        for report in own:
            report.reporter_hash = "erased:" + new_nonce()
            report.note = ""
        Report.objects.bulk_update(own, ["reporter_hash", "note"])


register(Contributions())
register(Reports())
