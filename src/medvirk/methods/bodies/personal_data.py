"""What the councils-and-committees method keeps about a person («Mine data», erasure).

Members of councils and committees are named publicly by their role: the composition of a
folkevald body is the municipality's public record, not the member's own data, and erasing
an account does not rewrite it. What is the person's:

- the link between a membership and their account (it lets a secretary register the
  body's statements and a member vote where the body allocates a budget). Erasure removes
  the link; the membership stays, by name, as the municipality recorded it;
- the statements they registered as the body's secretary. A statement is the body's:
  erasure detaches the account (before the core's ``contributions`` section runs, so the
  body's name stays on it);
- a body whose contact address is the person's own verified address (a secretary who gave
  their own): erasure empties the address.

``BodyMeeting`` and ``StatementRequest`` hold no person; they are listed because they hang
on a body, whose contact address may be a person's.
"""

from __future__ import annotations

from typing import Any

from medvirk.contributions.models import Contribution
from medvirk.identity.models import User
from medvirk.identity.personal_data import EARLY, PersonalDataSection, iso

from .models import Body, BodyMeeting, BodyMember, Statement, StatementRequest


def _verified(user: User) -> str:
    return user.email.strip() if user.email and user.email_verified else ""


class BodyMemberships(PersonalDataSection):
    key = "body_memberships"
    models = (Body, BodyMember, BodyMeeting, StatementRequest, Statement)
    # Before "contributions": it finds the statements through the account as their author.
    order = EARLY

    def export(self, user: User) -> dict[str, Any]:
        members = (
            BodyMember.objects.filter(user=user)
            .select_related("body__municipality")
            .order_by("term_from", "pk")
        )
        statements = (
            Statement.objects.filter(contribution__author=user)
            .select_related("request__body", "request__method_instance__process")
            .order_by("pk")
        )
        address = _verified(user)
        bodies = (
            Body.objects.filter(contact_email__iexact=address).select_related("municipality")
            if address
            else Body.objects.none()
        )
        return {
            "memberships": [
                {
                    "municipality": m.body.municipality.name,
                    "body": m.body.name,
                    "name": m.name,
                    "name_public": m.name_public,
                    "role": m.role,
                    "represents": m.represents,
                    "term_from": iso(m.term_from),
                    "term_to": iso(m.term_to),
                }
                for m in members
            ],
            "statements_registered": [
                {
                    "body": s.request.body.name,
                    "case": s.request.method_instance.process.title,
                    "adopted_on": iso(s.adopted_on),
                    "registered_at": iso(s.created_at),
                    "contribution": s.contribution_id,
                }
                for s in statements
            ],
            "bodies_with_your_address": [
                {
                    "municipality": b.municipality.name,
                    "body": b.name,
                    "contact_email": b.contact_email,
                }
                for b in bodies
            ],
        }

    def erase(self, user: User) -> None:
        Contribution.objects.filter(author=user, body_statement__isnull=False).update(author=None)
        BodyMember.objects.filter(user=user).update(user=None)
        address = _verified(user)
        if address:
            Body.objects.filter(contact_email__iexact=address).update(contact_email="")


SECTIONS: tuple[PersonalDataSection, ...] = (BodyMemberships(),)
