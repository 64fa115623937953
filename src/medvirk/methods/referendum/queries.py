"""Reads of a referendum for its pages: a fixed number of queries each, whatever the number
of voters (the result is read from the stored result, never recounted on a page)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.utils import formats

from medvirk.processes.types import MethodInstance

from . import actions, chain
from .models import Channel, CountEntry, Option, PaperBatch, PaperEntry, Referendum, RollEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.types import User


def referendum_of(instance: MethodInstance) -> Referendum | None:
    return Referendum.objects.filter(method_instance=instance).first()


def options(referendum: Referendum | None) -> list[Option]:
    if referendum is None:
        return []
    return list(Option.objects.filter(referendum=referendum).order_by("position", "pk"))


def own_entry(user: User | AnonymousUser, referendum: Referendum | None) -> RollEntry | None:
    """The person's roll entry (that they voted, how and on which day), if any."""
    if referendum is None:
        return None
    key = actions.roll_key(user, referendum)
    return actions.has_voted(referendum, key) if key else None


def voters_so_far(referendum: Referendum) -> dict[str, int]:
    """How many have voted, by channel (staff only: it says nothing of what they chose)."""
    rows = (
        RollEntry.objects.filter(referendum=referendum)
        .values("channel")
        .annotate(n=Count("id"))
        .order_by()  # the default ordering would split the groups
    )
    counts = {row["channel"]: int(row["n"]) for row in rows}
    return {
        "electronic": counts.get(Channel.ELECTRONIC, 0),
        "paper": counts.get(Channel.PAPER, 0),
        "total": sum(counts.values()),
    }


def count_entries(referendum: Referendum) -> list[dict[str, Any]]:
    return [e.as_entry() for e in CountEntry.objects.filter(referendum=referendum).order_by("seq")]


def count_document(instance: MethodInstance, referendum: Referendum, url: str) -> dict[str, Any]:
    """The public count record with its header."""
    process = instance.process
    header = {
        "municipality": process.municipality.name,
        "case": process.title,
        "title": instance.title,
        "url": url,
        "status": referendum.status,
    }
    return chain.document(header, count_entries(referendum))


@dataclass
class PlaceState:
    key: str
    name: str
    district: str
    batch: PaperBatch | None
    pending: list[PaperEntry]
    mismatch: list[PaperEntry]  # the last round that did not match (shown to both)
    marked: int  # paper voters marked in the roll in this place's district

    @property
    def accepted(self) -> bool:
        return self.batch is not None


def paper_places(referendum: Referendum) -> list[PlaceState]:
    batches = {b.place: b for b in PaperBatch.objects.filter(referendum=referendum)}
    entries = list(
        PaperEntry.objects.filter(referendum=referendum)
        .select_related("entered_by")
        .order_by("place", "round", "pk")
    )
    marked = {
        row["district"]: int(row["n"])
        for row in RollEntry.objects.filter(referendum=referendum, channel=Channel.PAPER)
        .values("district")
        .annotate(n=Count("id"))
        .order_by()
    }
    places = []
    for place in referendum.polling_places:
        own = [e for e in entries if e.place == place["key"]]
        pending = [e for e in own if e.state == PaperEntry.State.PENDING]
        rounds = [e.round for e in own if e.state == PaperEntry.State.MISMATCH]
        last = max(rounds, default=None)
        mismatch = [e for e in own if e.round == last and e.state == PaperEntry.State.MISMATCH]
        places.append(
            PlaceState(
                key=place["key"],
                name=place["name"],
                district=place.get("district", ""),
                batch=batches.get(place["key"]),
                pending=pending,
                mismatch=mismatch if not pending and place["key"] not in batches else [],
                marked=marked.get(place.get("district", ""), 0),
            )
        )
    return places


def place_state(referendum: Referendum, key: str) -> PlaceState | None:
    return next((p for p in paper_places(referendum) if p.key == key), None)


@dataclass(frozen=True)
class ResultRow:
    label: str
    electronic: int
    paper: int
    total: int
    percent: str | None


@dataclass(frozen=True)
class DistrictRow:
    name: str
    voters: int | None  # None: fewer than five, hidden
    roll: int | None
    percent: str | None


@dataclass(frozen=True)
class Result:
    rows: list[ResultRow]
    blank: dict[str, int]
    rejected: int
    valid: int
    voters: dict[str, int]
    roll_size: int | None
    turnout: str | None
    floor: int | None
    floor_reached: bool | None
    districts: list[DistrictRow]
    head: str
    suppressed_below: int
    winner: str | None  # the option with the most votes, None on a tie

    @property
    def any_suppressed(self) -> bool:
        return any(d.voters is None for d in self.districts)

    @property
    def paper_ballots(self) -> int:
        """Paper ballots the polling places counted (options, blank and rejected)."""
        return sum(r.paper for r in self.rows) + int(self.blank["paper"]) + self.rejected

    @property
    def paper_differs(self) -> bool:
        """The polling places counted another number of ballots than voters were marked."""
        return self.paper_ballots != int(self.voters["paper"])


def _percent(stored: str | None) -> str | None:
    """A percentage as stored ("55.7") written the reader's way ("55,7" in Norwegian)."""
    if stored in (None, ""):
        return None
    try:
        value = Decimal(str(stored))
    except InvalidOperation:
        return str(stored)
    places = max(0, -int(value.as_tuple().exponent))
    return formats.number_format(value, places)


def result(referendum: Referendum | None) -> Result | None:
    """The published result (None until the vote is closed)."""
    if referendum is None or referendum.result is None:
        return None
    data = referendum.result
    rows = [
        ResultRow(r["label"], r["electronic"], r["paper"], r["total"], _percent(r["percent"]))
        for r in data["options"]
    ]
    top = max((r.total for r in rows), default=0)
    leaders = [r.label for r in rows if r.total == top]
    return Result(
        rows=rows,
        blank=data["blank"],
        rejected=int(data["rejected"]["paper"]),
        valid=int(data["valid_votes"]),
        voters=data["voters"],
        roll_size=data.get("roll_size"),
        turnout=_percent(data.get("turnout_percent")),
        floor=data.get("turnout_floor_percent"),
        floor_reached=data.get("floor_reached"),
        districts=[
            DistrictRow(d["name"], d["voters"], d.get("roll"), _percent(d.get("turnout_percent")))
            for d in data.get("districts", [])
        ],
        head=str(data.get("head", "")),
        suppressed_below=int(data.get("suppressed_below", 5)),
        winner=leaders[0] if len(leaders) == 1 and top > 0 else None,
    )


def report_result(instance: MethodInstance) -> tuple[Referendum | None, Result | None]:
    """The referendum and its published result (None until closed and counted), for the
    council report. One query."""
    referendum = referendum_of(instance)
    return referendum, result(referendum)
