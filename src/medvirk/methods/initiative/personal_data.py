"""What innbyggerforslag keep about a person, in «Mine data», and what erasure does.

- ``initiatives``: the proposals the person made. The text and name are the contribution's
  (the core's ``contributions`` section exports them and takes the author off on erasure);
  here the proposal's own course (status, dates, the count). The proposal stays after
  erasure: it is the municipality's case, with other people's signatures on it. Staff who
  checked or delivered it are unlinked when their account goes.
- ``initiative_signatures``: the person's e-ID signatures (the proposal, the day, how
  residence was checked, a declared address). Erasure while signing is open withdraws the
  signature (the row goes, as when the person withdraws). Once signing has ended the count
  is part of a delivered or closed proposal: the row stays without the account and without
  any address, keeping only the keyed hash that makes "one signature per person" hold.
  Paper signers have no account here; staff who registered them are unlinked.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from medvirk.identity.models import User
from medvirk.identity.personal_data import DEFAULT_ORDER, PersonalDataSection, iso

from . import actions
from .models import Initiative, Signature


class Initiatives(PersonalDataSection):
    key = "initiatives"
    models = (Initiative,)
    order = DEFAULT_ORDER

    def export(self, user: User) -> list[dict[str, Any]]:
        rows = (
            Initiative.objects.filter(contribution__author=user)
            .select_related("method_instance__process__municipality")
            .order_by("submitted_at", "pk")
        )
        return [
            {
                "municipality": i.method_instance.process.municipality.name,
                "case": i.method_instance.process.title,
                "title": i.title,
                "status": i.status,
                "submitted_at": iso(i.submitted_at),
                "signing_opened_at": iso(i.signing_opens_at),
                "signing_closes_at": iso(i.signing_closes_at),
                "signatures_needed": i.threshold,
                "signatures": i.signatures.count(),
                "delivered_at": iso(i.delivered_at),
                "position_recorded_at": iso(i.decided_at),
            }
            for i in rows
        ]

    def erase(self, user: User) -> None:
        # The proposal itself stays (see above); only staff links to this account go.
        Initiative.objects.filter(checked_by=user).update(checked_by=None)
        Initiative.objects.filter(delivered_by=user).update(delivered_by=None)


class InitiativeSignatures(PersonalDataSection):
    key = "initiative_signatures"
    models = (Signature,)
    order = DEFAULT_ORDER

    def export(self, user: User) -> list[dict[str, Any]]:
        rows = (
            Signature.objects.filter(user=user)
            .select_related("initiative__method_instance__process__municipality")
            .order_by("created_at", "pk")
        )
        return [
            {
                "municipality": s.initiative.method_instance.process.municipality.name,
                "proposal": s.initiative.title,
                "signed_at": iso(s.created_at),
                "residence_checked_by": s.residence,
                "kommunenummer": s.kommunenummer,
                "address": s.address,
            }
            for s in rows
        ]

    def erase(self, user: User) -> None:
        now = timezone.now()
        for signature in list(Signature.objects.filter(user=user).select_related("initiative")):
            with transaction.atomic():
                locked = Initiative.objects.select_for_update().get(pk=signature.initiative_id)
                if actions.is_open(locked, now):
                    Signature.objects.filter(pk=signature.pk).delete()
                else:
                    Signature.objects.filter(pk=signature.pk).update(user=None, address="")
        Signature.objects.filter(registered_by=user).update(registered_by=None)


SECTIONS: tuple[PersonalDataSection, ...] = (Initiatives(), InitiativeSignatures())
