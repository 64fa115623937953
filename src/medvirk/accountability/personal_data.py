"""The answers to a person's input, their notifications and e-mail subscriptions in
«Mine data», and what erasure does to them.

Registered with identity's personal-data registry when the app is ready.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from medvirk.identity.models import User
from medvirk.identity.personal_data import DEFAULT_ORDER, EARLY, PersonalDataSection, iso, register

from .models import Note, Notification, Response, Subscription


class Responses(PersonalDataSection):
    """The municipality's answer to each of the person's contributions (by contribution id
    in «contributions»), without who answered: that is staff data.

    Erasure keeps them: the answer stays with the contribution, which stays in its case.
    """

    key = "responses"
    models = (Response,)
    order = DEFAULT_ORDER

    def export(self, user: User) -> list[dict[str, Any]]:
        rows = (
            Response.objects.filter(contribution__author=user)
            .select_related("contribution__process")
            .order_by("contribution__created_at", "contribution_id")
        )
        return [
            {
                "contribution": r.contribution_id,
                "case": r.contribution.process.title,
                "status": r.status,
                "status_label": str(r.get_status_display()),
                "reason": r.reason,
                "updated_at": iso(r.updated_at),
            }
            for r in rows
        ]

    def erase(self, user: User) -> None:
        return None  # kept with the (anonymised) contribution; see the class docstring


class Notifications(PersonalDataSection):
    """Messages to the person, in the account or as e-mail about their own input.

    Erasure deletes them. It runs before contributions lose their author, because the
    e-mail copies are found through the person's contributions.
    """

    key = "notifications"
    models = (Notification,)
    order = EARLY

    def _own(self, user: User) -> QuerySet[Notification]:
        return Notification.objects.filter(Q(user=user) | Q(contribution__author=user))

    def export(self, user: User) -> list[dict[str, Any]]:
        return [
            {
                "created_at": iso(n.created_at),
                "subject": n.subject,
                "body": n.body,
                "link": n.link,
                "email": n.email,
                "sent_at": iso(n.sent_at),
                "read_at": iso(n.read_at),
            }
            for n in self._own(user).order_by("created_at", "pk")
        ]

    def erase(self, user: User) -> None:
        self._own(user).delete()


class Subscriptions(PersonalDataSection):
    """Cases followed by e-mail. Only an address the person has confirmed counts as
    theirs: anyone can type an address, so an unconfirmed one proves nothing."""

    key = "subscriptions"
    models = (Subscription,)
    order = DEFAULT_ORDER

    def _own(self, user: User) -> QuerySet[Subscription]:
        if not (user.email and user.email_verified):
            return Subscription.objects.none()
        return Subscription.objects.filter(email__iexact=user.email)

    def export(self, user: User) -> list[dict[str, Any]]:
        return [
            {"case": s.process.title, "confirmed_at": iso(s.confirmed_at)}
            for s in self._own(user).select_related("process").order_by("pk")
        ]

    def erase(self, user: User) -> None:
        self._own(user).delete()


class InternalNotes(PersonalDataSection):
    """Staff's internal notes about the person's input (GDPR art. 15: what the municipality
    holds about the person and their input is disclosed on request). Exported with the
    contribution and the time, without which staff member wrote them (staff data, as for
    answers). Only the notes on the person's own input: the notes a staff member wrote are
    the municipality's work, not that staff member's data (their name is set to nobody when
    their account goes).

    Erasure deletes the notes on the person's input: they are free text that may name the
    person, and the case keeps the input and its answer without them. They run before
    contributions lose their author, because they are found through them.
    """

    key = "internal_notes"
    models = (Note,)
    order = EARLY

    def _own(self, user: User) -> QuerySet[Note]:
        return Note.objects.filter(contribution__author=user)

    def export(self, user: User) -> list[dict[str, Any]]:
        return [
            {"contribution": n.contribution_id, "created_at": iso(n.created_at), "text": n.text}
            for n in self._own(user).order_by("contribution_id", "created_at", "pk")
        ]

    def erase(self, user: User) -> None:
        self._own(user).delete()


register(Responses())
register(Notifications())
register(Subscriptions())
register(InternalNotes())
