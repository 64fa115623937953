"""Reads of innbyggerforslag for the pages, the exports and the daily command.

A :class:`Row` is a proposal with its signature count and everything computed from its
dates on read: the stage, the progress, the closing day, the council's deadline and
whether staff should be warned. List reads make a fixed number of queries (the count is an
annotation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.algorithms.text import similarity
from medvirk.contributions.models import ModerationState
from medvirk.identity.models import User
from medvirk.organisations import capabilities
from medvirk.organisations.models import Membership
from medvirk.processes.models import MethodInstance
from medvirk.vocabulary import Capability

from . import config, keys, rules
from .models import Initiative, Signature, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# Counts of people under this are not shown publicly ("fewer than 5").
SUPPRESS_BELOW = 5


class Stage(StrEnum):
    """Where a proposal is, computed from its status and dates."""

    SUBMITTED = "submitted"
    REFUSED = "refused"
    COLLECTING = "collecting"
    ENDED = "ended"  # signing is over without delivery
    DELIVERED = "delivered"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"
    REPLACED = "replaced"


# The public list's filters: the stages each shows.
FILTERS: dict[str, frozenset[Stage]] = {
    "alle": frozenset(Stage),
    "samlar": frozenset({Stage.COLLECTING}),
    "levert": frozenset({Stage.DELIVERED}),
    "avgjort": frozenset({Stage.DECIDED}),
}
ORDER = [
    Stage.COLLECTING,
    Stage.SUBMITTED,
    Stage.DELIVERED,
    Stage.DECIDED,
    Stage.ENDED,
    Stage.WITHDRAWN,
    Stage.REPLACED,
    Stage.REFUSED,
]


def stage_labels() -> dict[Stage, str]:
    return {
        Stage.SUBMITTED: _("Waiting for the municipality's check"),
        Stage.REFUSED: _("Not accepted for signing"),
        Stage.COLLECTING: _("Collecting signatures"),
        Stage.ENDED: _("Signing ended"),
        Stage.DELIVERED: _("Delivered, waiting for the council"),
        Stage.DECIDED: _("Decided"),
        Stage.WITHDRAWN: _("Withdrawn by the proposer"),
        Stage.REPLACED: _("Replaced by a corrected version"),
    }


def stage_of(initiative: Initiative, now: dt.datetime) -> Stage:
    if initiative.status == Status.COLLECTING:
        closes = initiative.signing_closes_at
        return Stage.ENDED if closes is not None and now >= closes else Stage.COLLECTING
    return Stage(initiative.status)


@dataclass
class Row:
    initiative: Initiative
    count: int
    now: dt.datetime = field(default_factory=timezone.now)
    eid: int = 0
    paper: int = 0

    @property
    def stage(self) -> Stage:
        return stage_of(self.initiative, self.now)

    @property
    def stage_label(self) -> str:
        return stage_labels()[self.stage]

    @property
    def needed(self) -> int:
        return self.initiative.threshold or 0

    @property
    def reached(self) -> bool:
        return self.needed > 0 and self.count >= self.needed

    @property
    def percent(self) -> int:
        return rules.percent(self.count, self.needed)

    @property
    def suppressed(self) -> bool:
        """Is the count too small to show publicly (1 to 4)?"""
        return 0 < self.count < SUPPRESS_BELOW

    @property
    def public_count(self) -> int:
        """The count as the public sees it: 0 while it is under five (the text says so)."""
        return 0 if self.suppressed else self.count

    @property
    def kinds_shown(self) -> bool:
        """May the signatures be published by kind (e-ID, paper)? Only when the total is
        shown and neither kind is from 1 to 4: a small kind would be the total minus the
        other."""
        small = any(0 < n < SUPPRESS_BELOW for n in (self.eid, self.paper))
        return not self.suppressed and not small

    @property
    def delivered_suppressed(self) -> bool:
        """Was it delivered with too few signatures to show the number (1 to 4)?"""
        delivered = self.initiative.delivered_count
        return delivered is not None and 0 < delivered < SUPPRESS_BELOW

    @property
    def response(self) -> Any:
        """The municipality's answer to the proposal (shown with the council's position)."""
        return getattr(self.initiative.contribution, "response", None)

    @property
    def public_proposer(self) -> str:
        """The proposer's name where the proposal shows it (they chose so); else ""."""
        return proposer_name(self.initiative) if self.initiative.contribution.show_name else ""

    @property
    def public_percent(self) -> int:
        return rules.percent(self.public_count, self.needed)

    @property
    def bar_value(self) -> int:
        """The count for a progress bar (which stops at the threshold)."""
        return min(self.count, self.needed)

    @property
    def public_bar_value(self) -> int:
        return min(self.public_count, self.needed)

    @property
    def is_county(self) -> bool:
        return bool(self.initiative.method_instance.process.municipality.is_county)

    @property
    def closes_on(self) -> dt.date | None:
        closes = self.initiative.signing_closes_at
        return timezone.localtime(closes).date() if closes is not None else None

    @property
    def obliged(self) -> bool:
        """Delivered with enough signatures: the council must take it up."""
        delivered = self.initiative.delivered_count
        return delivered is not None and delivered >= self.needed > 0

    @property
    def deadline(self) -> dt.date | None:
        """The council's last day: six months from delivery, unless it was delivered below
        the threshold or is referred to a plan case (then there is none)."""
        initiative = self.initiative
        if initiative.delivered_at is None or not self.obliged or initiative.referred_at:
            return None
        delivered_on = timezone.localtime(initiative.delivered_at).date()
        return rules.decision_deadline(delivered_on, config.decision_months())

    @property
    def days_left(self) -> int | None:
        deadline = self.deadline
        if deadline is None or self.stage != Stage.DELIVERED:
            return None
        return (deadline - timezone.localtime(self.now).date()).days

    @property
    def warn(self) -> bool:
        """Show staff the deadline as near (or passed) while the council has not decided."""
        left = self.days_left
        return left is not None and left <= config.warning_days()

    @property
    def overdue(self) -> bool:
        left = self.days_left
        return left is not None and left < 0


def _annotated(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    return queryset.annotate(
        n_signatures=Count("signatures"),
        n_eid=Count("signatures", filter=Q(signatures__kind=Signature.Kind.EID)),
        n_paper=Count("signatures", filter=Q(signatures__kind=Signature.Kind.PAPER)),
    ).select_related("contribution__author", "contribution__response", "decision", "corrects")


def _rows(
    queryset: Iterable[Initiative], now: dt.datetime, instance: MethodInstance | None = None
) -> list[Row]:
    found = list(queryset)
    if instance is not None:
        for initiative in found:
            initiative.method_instance = instance  # read once, not once per row
    return [
        Row(
            i,
            int(getattr(i, "n_signatures", 0)),
            now,
            eid=int(getattr(i, "n_eid", 0)),
            paper=int(getattr(i, "n_paper", 0)),
        )
        for i in found
    ]


def _sorted(rows: list[Row]) -> list[Row]:
    def key(row: Row) -> tuple[int, float]:
        moment = row.initiative.signing_opens_at or row.initiative.submitted_at
        return ORDER.index(row.stage), -moment.timestamp()

    return sorted(rows, key=key)


def _public(instance: MethodInstance) -> QuerySet[Initiative]:
    """Proposals anyone may see: signing has started and the text is published."""
    return Initiative.objects.filter(
        method_instance=instance,
        signing_opens_at__isnull=False,
        contribution__moderation=ModerationState.PUBLISHED,
    )


def public_rows(
    instance: MethodInstance, shown: str = "alle", now: dt.datetime | None = None
) -> list[Row]:
    """The public list, filtered by stage ("alle", "samlar", "levert", "avgjort")."""
    moment = now or timezone.now()
    stages = FILTERS.get(shown, FILTERS["alle"])
    rows = _rows(_annotated(_public(instance)), moment, instance)
    return _sorted([r for r in rows if r.stage in stages])


def staff_rows(instance: MethodInstance, now: dt.datetime | None = None) -> list[Row]:
    """Every proposal of the instance, for staff."""
    moment = now or timezone.now()
    found = _annotated(Initiative.objects.filter(method_instance=instance))
    return _sorted(_rows(found, moment, instance))


def row_of(initiative: Initiative, now: dt.datetime | None = None) -> Row:
    return Row(
        initiative, Signature.objects.filter(initiative=initiative).count(), now or timezone.now()
    )


def _is_staff(user: User | AnonymousUser, instance: MethodInstance) -> bool:
    return capabilities.staff_can(user, Capability.MANAGE_PROCESS, instance.process.municipality_id)


def visible_row(
    instance: MethodInstance, pk: int, user: User | AnonymousUser, now: dt.datetime | None = None
) -> Row | None:
    """One proposal as this person may see it: public ones for everyone, the proposer's
    own before signing starts, everything for the municipality's staff."""
    found = _annotated(Initiative.objects.filter(method_instance=instance, pk=pk)).first()
    if found is None:
        return None
    found.method_instance = instance
    public = (
        found.signing_opens_at is not None
        and found.contribution.moderation == ModerationState.PUBLISHED
    )
    own = user.is_authenticated and found.contribution.author_id == user.pk
    if not (public or own or _is_staff(user, instance)):
        return None
    return _rows([found], now or timezone.now(), instance)[0]


def initiative_of(instance: MethodInstance, pk: int) -> Initiative | None:
    """The instance's proposal (for staff pages); another instance's is not found."""
    found = (
        Initiative.objects.filter(method_instance=instance, pk=pk)
        .select_related("contribution__author", "contribution__response", "decision")
        .first()
    )
    if found is not None:
        found.method_instance = instance
    return found


def own_signature(user: User | AnonymousUser, initiative: Initiative) -> Signature | None:
    """The person's signature on the proposal, by account or by identity."""
    if not isinstance(user, User):
        return None
    mine = Q(user_id=user.pk)
    identity = keys.identity_of(user)
    if identity is not None:
        mine |= Q(identity_hash=keys.signature_key(initiative.pk, identity))
    return Signature.objects.filter(mine, initiative=initiative, kind=Signature.Kind.EID).first()


def signatures(initiative: Initiative) -> QuerySet[Signature]:
    """Every signature of a proposal in the order given, for staff and the archive."""
    return (
        Signature.objects.filter(initiative=initiative)
        .select_related("registered_by")
        .order_by("created_at", "pk")
    )


def paper_signatures(initiative: Initiative) -> QuerySet[Signature]:
    return signatures(initiative).filter(kind=Signature.Kind.PAPER)


def counts_by_kind(initiative: Initiative) -> dict[str, int]:
    counted = dict(
        Signature.objects.filter(initiative=initiative)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return {kind: int(counted.get(kind, 0)) for kind in Signature.Kind.values}


def proposer_name(initiative: Initiative) -> str:
    """The proposer's name as given (never an account's user name); "" when none."""
    contribution = initiative.contribution
    if contribution.author_name:
        return str(contribution.author_name)
    author = contribution.author
    if author is None:
        return ""
    return str(author.display_name or author.get_full_name()).strip()


# -- the same content earlier in the valgperiode ----------------------------------------------


@dataclass(frozen=True)
class Similar:
    initiative: Initiative
    score: float


def similar_earlier(initiative: Initiative, limit: int = 5) -> list[Similar]:
    """Earlier proposals in the municipality in the same valgperiode whose text is like
    this one's, best first (the council decides whether the content is the same)."""
    municipality_id = initiative.method_instance.process.municipality_id
    submitted = timezone.localtime(initiative.submitted_at).date()
    start, _end = config.valgperiode(submitted)
    start_at = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    earlier = list(
        Initiative.objects.filter(
            method_instance__process__municipality_id=municipality_id,
            submitted_at__gte=start_at,
            submitted_at__lt=initiative.submitted_at,
        )
        .exclude(pk=initiative.pk)
        .select_related("method_instance__process__municipality")
        .order_by("submitted_at", "pk")
    )
    by_pk = {other.pk: other for other in earlier}
    matches = similarity.rank(
        f"{initiative.title}\n{initiative.text}",
        ((other.pk, f"{other.title}\n{other.text}") for other in earlier),
        min_score=config.similarity_min(),
        limit=limit,
    )
    return [Similar(by_pk[m.key], m.score) for m in matches]


# -- the daily command ----------------------------------------------------------------------


def awaiting_position() -> list[Row]:
    """Delivered proposals the council has not decided on, with a deadline, everywhere."""
    found = _annotated(
        Initiative.objects.filter(status=Status.DELIVERED, referred_at__isnull=True)
    ).select_related("method_instance__process__municipality")
    return [r for r in _rows(found, timezone.now()) if r.deadline is not None]


def staff_to_warn(municipality_id: int) -> list[tuple[str, str]]:
    """(address, language) of the municipality's staff who run cases or decide."""
    roles = [
        role
        for role, granted in capabilities.STAFF_CAPABILITIES.items()
        if Capability.MANAGE_PROCESS in granted or Capability.DECIDE in granted
    ]
    people = (
        Membership.objects.filter(
            municipality_id=municipality_id, role__in=roles, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )
    seen: dict[str, tuple[str, str]] = {}
    for membership in people:
        address = membership.user.email.strip()
        if address:
            seen.setdefault(address.lower(), (address, membership.user.preferred_language))
    return list(seen.values())
