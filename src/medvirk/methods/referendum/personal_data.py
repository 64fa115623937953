"""What a referendum keeps about a person, in «Mine data», and what erasure does.

- ``referendum_roll``: that the person voted — the referendum, the day and the channel —
  found by computing their keyed roll hash for each referendum (the roll holds no account).
  Never the ballot: nothing stored leads from a person to a ballot, so it cannot be shown.
  Erasure deletes neither: the roll entry is kept (without any account; it keeps one vote
  per person and the turnout right), and the ballot is part of the published count.
- ``referendum_paper_entries``: paper counts a staff member entered. On erasure the
  entries stay (they are the count's record) without the account.
"""

from __future__ import annotations

from typing import Any

from medvirk.identity.models import User
from medvirk.identity.personal_data import DEFAULT_ORDER, PersonalDataSection, iso

from . import keys
from .models import PaperEntry, Referendum, RollEntry, Status


class Roll(PersonalDataSection):
    key = "referendum_roll"
    models = (RollEntry,)
    order = DEFAULT_ORDER

    def export(self, user: User) -> list[dict[str, Any]]:
        identity = user.national_id_hash
        if not identity:
            return []
        referendums = {
            keys.voter_key(r.pk, identity): r
            for r in Referendum.objects.exclude(status=Status.DRAFT).select_related(
                "method_instance__process__municipality"
            )
        }
        rows = RollEntry.objects.filter(voter_hash__in=list(referendums)).order_by("day", "id")
        out = []
        for entry in rows:
            referendum = referendums[entry.voter_hash]
            process = referendum.method_instance.process
            out.append(
                {
                    "municipality": process.municipality.name,
                    "case": process.title,
                    "question": referendum.question,
                    "voted_on": iso(entry.day),
                    "channel": entry.channel,
                    "district": entry.district,
                }
            )
        return out

    def erase(self, user: User) -> None:
        # Nothing: the roll entry holds no account (only a keyed hash, which stops a second
        # vote), and ballots are never linked to anyone.
        return None


class PaperEntries(PersonalDataSection):
    key = "referendum_paper_entries"
    models = (PaperEntry,)
    order = DEFAULT_ORDER

    def export(self, user: User) -> list[dict[str, Any]]:
        return [
            {
                "polling_place": e.place,
                "round": e.round,
                "entered_at": iso(e.entered_at),
                "state": e.state,
            }
            for e in PaperEntry.objects.filter(entered_by=user).order_by("entered_at", "pk")
        ]

    def erase(self, user: User) -> None:
        PaperEntry.objects.filter(entered_by=user).update(entered_by=None)


SECTIONS: tuple[PersonalDataSection, ...] = (Roll(), PaperEntries())
