"""Reads of the opinion map for its pages: a fixed number of queries each, whatever the size
of the conversation (the map itself is read from the stored result, never computed here).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from medvirk.contributions.models import AWAITING_MODERATION, Contribution, ModerationState
from medvirk.processes.models import MethodInstance

from .actions import STATEMENT_KIND, VOTABLE
from .models import OpinionMap, Participant, Statement, Vote

# Published counts of people hide every number smaller than this (the open-data promise):
# a group under 5 is not shown as a group, a share of fewer than 5 votes is not shown.
SUPPRESS_BELOW = 5


PUBLISHED = ModerationState.PUBLISHED
# Statements in the public export: the municipality's and imported ones, and participants'
# once published (one a moderator hid later keeps its votes there, without its text).
EXPORTED = Q(contribution__isnull=True) | Q(
    contribution__moderation__in=[ModerationState.PUBLISHED, ModerationState.HIDDEN]
)


def map_row(instance: MethodInstance) -> OpinionMap | None:
    return OpinionMap.objects.filter(method_instance=instance).first()


def result_of(row: OpinionMap | None) -> dict[str, Any]:
    result = row.result if row is not None else {}
    return result if isinstance(result, dict) else {}


def participant(instance: MethodInstance, key: str | None) -> Participant | None:
    if not key:
        return None
    return Participant.objects.filter(method_instance=instance, key=key).first()


# --- the next statement ---------------------------------------------------------------------


@dataclass
class Next:
    statement: Statement | None
    answered: int
    total: int

    @property
    def done(self) -> bool:
        return self.total > 0 and self.statement is None


def _rank(key: str, statement_id: int) -> bytes:
    """A participant's own random order of the statements (stable between their visits)."""
    return hashlib.blake2b(f"{key}:{statement_id}".encode(), digest_size=8).digest()


def next_statement(
    instance: MethodInstance,
    key: str | None,
    participant_id: int | None,
    totals: dict[str, list[int]] | None = None,
) -> Next:
    """The next statement this participant has not voted on: the municipality's first (in
    the order written), then the most-voted (by the latest map), then at random. Three
    queries."""
    rows = list(
        Statement.objects.filter(VOTABLE, method_instance=instance).values_list("pk", "is_seed")
    )
    voted: set[int] = set()
    if participant_id is not None:
        voted = set(
            Vote.objects.filter(participant_id=participant_id).values_list(
                "statement_id", flat=True
            )
        )
    counts = totals or {}
    open_rows = [(pk, seed) for pk, seed in rows if pk not in voted]

    def order(row: tuple[int, bool]) -> tuple[int, int, int, bytes]:
        pk, seed = row
        if seed:
            return (0, 0, pk, b"")
        return (1, -sum(counts.get(str(pk), [0])), 0, _rank(key or "", pk))

    open_rows.sort(key=order)
    chosen = None
    if open_rows:
        chosen = Statement.objects.filter(pk=open_rows[0][0]).first()
    return Next(statement=chosen, answered=len(rows) - len(open_rows), total=len(rows))


def own_votes(instance: MethodInstance, participant_id: int | None) -> list[Vote]:
    """This participant's votes on the statements still in the vote, in statement order."""
    if participant_id is None:
        return []
    return list(
        Vote.objects.filter(participant_id=participant_id)
        .filter(
            statement__is_active=True,
            statement__method_instance=instance,
        )
        .filter(
            Q(statement__contribution__isnull=True)
            | Q(statement__contribution__moderation=ModerationState.PUBLISHED)
        )
        .select_related("statement")
        .order_by("statement_id")
    )


# --- the map ---------------------------------------------------------------------------------


def percent(share: float) -> str:
    return f"{round(share * 100)} %"


@dataclass
class Representative:
    statement: Statement
    direction: str
    share: float  # of the group's votes, in ``direction``
    others: float  # of everyone else's votes, in ``direction``
    significant: bool

    @property
    def percent(self) -> str:
        return percent(self.share)

    @property
    def others_percent(self) -> str:
        return percent(self.others)


@dataclass
class Group:
    id: int
    label: str
    size: int
    shown: bool
    mine: bool = False
    representative: list[Representative] = field(default_factory=list)
    symbol: int = 0  # the mark drawn for the group (−1: drawn as not in a group)
    key: str = ""  # the mark as a small drawing, for the table


@dataclass
class GroupShare:
    group: Group
    share: float | None  # None: fewer than SUPPRESS_BELOW votes from the group

    @property
    def percent(self) -> str:
        return "" if self.share is None else percent(self.share)


@dataclass
class Consensus:
    statement: Statement
    direction: str
    shares: list[GroupShare]


@dataclass
class Count3:
    """One statement's votes: agree, disagree, pass. A count under 5 is hidden (None), and
    then so are the total and the shares, from which it could be worked out."""

    agree: int | None
    disagree: int | None
    passed: int | None
    total: int | None

    def _percent(self, n: int | None) -> str:
        if n is None or not self.total:
            return ""
        return f"{round(100 * n / self.total)} %"

    @property
    def agree_percent(self) -> str:
        return self._percent(self.agree)

    @property
    def disagree_percent(self) -> str:
        return self._percent(self.disagree)

    @property
    def pass_percent(self) -> str:
        return self._percent(self.passed)

    @property
    def any_hidden(self) -> bool:
        return self.total is None


@dataclass
class StatementResult:
    statement: Statement
    counts: Count3 | None  # None: fewer than SUPPRESS_BELOW votes in all

    @property
    def response(self) -> Any:
        contribution = self.statement.contribution
        return getattr(contribution, "response", None) if contribution else None


@dataclass
class MapView:
    row: OpinionMap | None
    participants: int
    grouped: int
    votes: int
    groups: list[Group]
    consensus: list[Consensus]
    results: list[StatementResult]
    dots: list[list[float]]
    own: Group | None
    outside: int  # participants not in a group shown (no group, or a group under 5)

    @property
    def drawn(self) -> bool:
        return self.row is not None and self.row.computed_at is not None and self.votes > 0

    @property
    def shown_groups(self) -> list[Group]:
        return [g for g in self.groups if g.shown]

    @property
    def pending(self) -> bool:
        return self.row is not None and self.row.requested_at is not None

    @property
    def outside_hidden(self) -> bool:
        return 0 < self.outside < SUPPRESS_BELOW


def suppress(counts: list[int]) -> Count3 | None:
    """Votes per answer as the public pages show them: None under 5 votes in all; a count
    under 5 is hidden, and with it the total (and so every share), so it cannot be worked
    out; the other counts stay."""
    total = sum(counts)
    if total < SUPPRESS_BELOW:
        return None
    shown: list[int | None] = [None if 0 < n < SUPPRESS_BELOW else n for n in counts]
    hidden = None in shown
    return Count3(shown[0], shown[1], shown[2], None if hidden else total)


def statements_for_map(instance: MethodInstance) -> dict[int, Statement]:
    """Every statement of the conversation, with its contribution and the answer (one
    query)."""
    rows = Statement.objects.filter(method_instance=instance).select_related(
        "contribution__response"
    )
    return {s.pk: s for s in rows}


def map_view(instance: MethodInstance, row: OpinionMap | None, own_group: int | None) -> MapView:
    """The stored map as the page shows it: groups (those under 5 people are not shown as
    groups), what sets each apart, what every group agrees on, and each statement's result.
    One query beyond the map's row."""
    result = result_of(row)
    statements = statements_for_map(instance)
    votable = {
        pk
        for pk, s in statements.items()
        if s.is_active
        and (s.contribution is None or s.contribution.moderation == ModerationState.PUBLISHED)
    }
    groups: list[Group] = []
    symbol = 0
    for raw in result.get("groups", []):
        size = int(raw.get("size", 0))
        shown = size >= SUPPRESS_BELOW
        group = Group(
            id=int(raw["id"]),
            label=str(raw.get("label", "")),
            size=size,
            shown=shown,
            mine=shown and own_group is not None and int(raw["id"]) == own_group,
            symbol=symbol if shown else -1,
        )
        symbol += shown
        if shown:
            for rep in raw.get("representative", []):
                statement = statements.get(int(rep["statement"]))
                if statement is None or statement.pk not in votable:
                    continue
                if int(rep.get("votes", 0)) < SUPPRESS_BELOW:
                    continue
                direction = str(rep.get("direction", "agree"))
                group.representative.append(
                    Representative(
                        statement=statement,
                        direction=direction,
                        share=float(rep.get(direction, 0.0)),
                        others=float(rep.get(f"others_{direction}", 0.0)),
                        significant=bool(rep.get("significant")),
                    )
                )
        groups.append(group)
    by_id = {g.id: g for g in groups}
    consensus: list[Consensus] = []
    for raw in result.get("consensus", []):
        statement = statements.get(int(raw["statement"]))
        if statement is None or statement.pk not in votable:
            continue
        direction = str(raw.get("direction", "agree"))
        shares = []
        for gid, share in raw.get(direction, {}).items():
            member = by_id.get(int(gid))
            if member is None or not member.shown:
                continue
            votes = int(raw.get("votes", {}).get(gid, 0))
            shares.append(GroupShare(member, float(share) if votes >= SUPPRESS_BELOW else None))
        if shares:
            consensus.append(Consensus(statement, direction, shares))
    totals = result.get("totals", {})
    results = [
        StatementResult(statements[pk], suppress(list(totals.get(str(pk), [0, 0, 0]))))
        for pk in sorted(votable)
    ]
    participants = int(result.get("participants", 0))
    return MapView(
        row=row,
        participants=participants,
        grouped=int(result.get("grouped", 0)),
        votes=int(result.get("votes", 0)),
        groups=groups,
        consensus=consensus,
        results=results,
        dots=list(result.get("dots", [])),
        own=next((g for g in groups if g.mine), None),
        outside=participants - sum(g.size for g in groups if g.shown),
    )


def report_view(instance: MethodInstance) -> MapView:
    """The stored map as everyone sees it on the map page (no one's own group), for the
    council report. Two queries."""
    return map_view(instance, map_row(instance), None)


def own_group(row: OpinionMap | None, group: int | None) -> Group | None:
    """The participant's group as the pages name it, if it is shown (5 people or more)."""
    if group is None:
        return None
    for raw in result_of(row).get("groups", []):
        if int(raw.get("id", -1)) == group and int(raw.get("size", 0)) >= SUPPRESS_BELOW:
            return Group(
                id=group,
                label=str(raw.get("label", "")),
                size=int(raw["size"]),
                shown=True,
                mine=True,
            )
    return None


# --- the export ------------------------------------------------------------------------------


def export_ready(instance: MethodInstance) -> bool:
    """The conversation is open data once its map was drawn from 5 participants or more."""
    return OpinionMap.objects.filter(
        method_instance=instance, participants_seen__gte=SUPPRESS_BELOW
    ).exists()


def shown_group_ids(row: OpinionMap | None) -> set[int]:
    """The groups of the latest map big enough to be shown (5 people or more)."""
    return {
        int(g["id"])
        for g in result_of(row).get("groups", [])
        if int(g.get("size", 0)) >= SUPPRESS_BELOW
    }


def agree_disagree(instance: MethodInstance) -> dict[int, tuple[int, int]]:
    """Statement → (agrees, disagrees), counted by the database (one query)."""
    rows = (
        Vote.objects.filter(statement__method_instance=instance)
        .values_list("statement_id")
        .annotate(agrees=Count("id", filter=Q(value=1)), disagrees=Count("id", filter=Q(value=-1)))
        .order_by()
    )
    return {sid: (int(a), int(d)) for sid, a, d in rows}


# --- staff -----------------------------------------------------------------------------------


@dataclass
class StaffStatement:
    statement: Statement
    votes: int
    waiting: bool  # a participant's, not yet decided by a moderator
    published: bool
    edit_url: str = ""
    status_url: str = ""


def staff_statements(instance: MethodInstance) -> list[StaffStatement]:
    """Every statement with its votes counted by the database (two queries)."""
    counted = dict(
        Vote.objects.filter(statement__method_instance=instance)
        .values_list("statement_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = Statement.objects.filter(method_instance=instance).select_related("contribution")
    out = []
    for s in rows.order_by("-is_seed", "pk"):
        moderation = s.contribution.moderation if s.contribution else ModerationState.PUBLISHED
        out.append(
            StaffStatement(
                statement=s,
                votes=int(counted.get(s.pk, 0)),
                waiting=moderation in AWAITING_MODERATION,
                published=moderation == ModerationState.PUBLISHED,
            )
        )
    return out


def statement(instance: MethodInstance, pk: int) -> Statement | None:
    return (
        Statement.objects.filter(method_instance=instance, pk=pk)
        .select_related("contribution")
        .first()
    )


def vote_count(found: Statement) -> int:
    return Vote.objects.filter(statement=found).count()


def waiting_count(instance: MethodInstance) -> int:
    """Participants' statements a moderator has still to read."""
    return Contribution.objects.filter(
        method_instance=instance, kind=STATEMENT_KIND, moderation__in=AWAITING_MODERATION
    ).count()


def has_votes(instance: MethodInstance) -> bool:
    return Vote.objects.filter(statement__method_instance=instance).exists()
