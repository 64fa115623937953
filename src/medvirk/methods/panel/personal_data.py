"""What the residents' panel keeps about a person, in «Mine data», and what erasure does.

A member's row holds their consented profile and their pseudonym (``code``); the
invitations they received hang on it. Erasing the account deletes the membership, as
leaving does: the invitations keep only the code and the stratum (for response rates),
with no link to anyone. A staff member's draws name them as ``created_by``; the draw is
the municipality's record, and the link goes (SET_NULL) with the account.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from medvirk.identity.models import User
from medvirk.identity.personal_data import PersonalDataSection, iso

from . import dimensions
from .models import Dimension, Draw, Invitation, PanelMember


class PanelMemberships(PersonalDataSection):
    """Each membership: the municipality, the member code, the answers as question and
    answer, when consent was given, and every invitation with its dates."""

    key = "panel_memberships"
    models = (PanelMember, Invitation)

    def export(self, user: User) -> list[dict[str, Any]]:
        members = list(
            PanelMember.objects.filter(user=user)
            .select_related("municipality__panel_settings")
            .order_by("joined_at", "pk")
        )
        questions = {
            (d.municipality_id, d.key): d
            for d in Dimension.objects.filter(municipality__in=[m.municipality for m in members])
        }
        invitations: dict[int, list[Invitation]] = {}
        for invitation in (
            Invitation.objects.filter(member__in=members)
            .select_related("draw__target__process")
            .order_by("draw__created_at", "pk")
        ):
            invitations.setdefault(invitation.member_id or 0, []).append(invitation)
        return [
            {
                "municipality": m.municipality.name,
                "member_code": m.code,
                "profile": self._profile(m, questions),
                "consent_given_at": iso(m.consent_at),
                "joined_at": iso(m.joined_at),
                "changed_at": iso(m.updated_at),
                "invitations": [self._invitation(i) for i in invitations.get(m.pk, [])],
            }
            for m in members
        ]

    def _profile(
        self, member: PanelMember, questions: dict[tuple[int, str], Dimension]
    ) -> list[dict[str, str]]:
        settings = getattr(member.municipality, "panel_settings", None)
        min_age = settings.min_age if settings is not None else 15
        rows = []
        for key, value in member.profile.items():
            dimension = questions.get((member.municipality_id, key))
            if dimension is None:
                rows.append({"question": key, "answer": str(value)})
                continue
            labels = {o.key: o.label for o in dimensions.options_of(dimension, min_age)}
            rows.append(
                {
                    "question": dimensions.name_of(dimension),
                    "answer": labels.get(str(value), str(value)),
                }
            )
        return rows

    def _invitation(self, invitation: Invitation) -> dict[str, Any]:
        target = invitation.draw.target
        return {
            "case": target.process.title,
            "invited_to": target.title,
            "sent_at": iso(invitation.sent_at),
            "reminded_at": iso(invitation.reminded_at),
            "opened_at": iso(invitation.opened_at),
            "answered_at": iso(invitation.responded_at),
        }

    def erase(self, user: User) -> None:
        # The invitations lose their member (SET_NULL) and keep only code and stratum.
        PanelMember.objects.filter(user=user).delete()


class PanelDrawsMade(PersonalDataSection):
    """Lotteries a staff member drew: the municipality's record of their work.

    Exported so the person sees what is tied to their account; erasure leaves the draw
    (published, and the basis of invitations) and the link goes when the account does.
    """

    key = "panel_draws_made"
    models = (Draw,)

    def export(self, user: User) -> list[dict[str, Any]]:
        draws = (
            Draw.objects.filter(created_by=user)
            .select_related("method_instance__process__municipality", "target")
            .order_by("created_at", "pk")
        )
        return [
            {
                "municipality": d.method_instance.process.municipality.name,
                "case": d.method_instance.process.title,
                "invited_to": d.target.title,
                "size": d.size,
                "drawn_at": iso(d.created_at),
                "role": _("drawn by you as staff"),
            }
            for d in draws
        ]

    def erase(self, user: User) -> None:
        Draw.objects.filter(created_by=user).update(created_by=None)


SECTIONS: tuple[PersonalDataSection, ...] = (PanelMemberships(), PanelDrawsMade())
