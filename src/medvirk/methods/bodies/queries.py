"""Reads for the pages of councils and committees: a fixed number of queries each.

Residents see published bodies only, and a statement only once it is published (or, when a
moderator hid it, the reason in its place). The method's views read through here; they
import no other app's models.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from medvirk.accountability.models import Response
from medvirk.contributions.models import ModerationState
from medvirk.processes.models import MethodInstance, ProcessStatus

from .actions import GONE, current, meetings_to_choose, today
from .models import (
    STATUTORY_KINDS,
    VOTING_ROLES,
    AgendaItem,
    Body,
    BodyMeeting,
    BodyMember,
    MeetingStatus,
    MemberRole,
    Statement,
    StatementRequest,
)

# What residents see of a statement: published, or hidden with the moderator's reason.
PUBLIC_STATES = (ModerationState.PUBLISHED, ModerationState.HIDDEN)
ROLE_ORDER = {role: i for i, role in enumerate(MemberRole.values)}
VISIBLE_CASES = (ProcessStatus.PUBLISHED, ProcessStatus.CLOSED, ProcessStatus.DECIDED)


def response_of(statement: Statement) -> Response | None:
    try:
        return statement.contribution.response
    except Response.DoesNotExist:
        return None


# -- one case: the bodies asked and their statements ---------------------------------------------


@dataclass
class Asked:
    request: StatementRequest
    statement: Statement | None  # the one that counts (not rejected, not hidden … see below)
    today: dt.date

    @property
    def body(self) -> Body:
        return self.request.body

    @property
    def is_public(self) -> bool:
        """Residents see the statement (or the moderator's reason in its place)."""
        return (
            self.statement is not None and self.statement.contribution.moderation in PUBLIC_STATES
        )

    @property
    def is_hidden(self) -> bool:
        return (
            self.is_public
            and self.statement is not None
            and (self.statement.contribution.moderation == ModerationState.HIDDEN)
        )

    @property
    def is_given(self) -> bool:
        """The body's statement is published (not hidden): it counts as given."""
        return self.is_public and not self.is_hidden

    @property
    def is_waiting(self) -> bool:
        """Registered, but a moderator has still to look at it."""
        return self.statement is not None and not self.is_public

    @property
    def deadline_passed(self) -> bool:
        return self.today > self.request.deadline

    @property
    def response(self) -> Response | None:
        return response_of(self.statement) if self.statement is not None else None

    @property
    def statutory(self) -> bool:
        """A council kommuneloven § 5-12 requires (its statement follows the case)."""
        return self.body.kind in STATUTORY_KINDS


def _statements(requests: QuerySet[StatementRequest]) -> QuerySet[Statement]:
    return Statement.objects.filter(request__in=requests).select_related(
        "contribution__response", "meeting", "agenda_item"
    )


def asked(instance: MethodInstance, *, public: bool = True) -> list[Asked]:
    """The bodies this instance asks, each with its statement (two queries).

    ``public``: only published bodies. A statement rejected by a moderator does not count
    (the body may register a new one); a hidden one is shown as hidden, unless the body has
    registered a new one since.
    """
    requests = StatementRequest.objects.filter(method_instance=instance).select_related("body")
    if public:
        requests = requests.filter(body__is_published=True)
    rows = list(requests.order_by("body__name", "pk"))
    by_request: dict[int, list[Statement]] = defaultdict(list)
    for statement in _statements(requests).order_by("pk"):
        by_request[statement.request_id].append(statement)
    day = today()
    result = []
    for request in rows:
        candidates = by_request.get(request.pk, [])
        live = [s for s in candidates if s.contribution.moderation not in GONE]
        hidden = [s for s in candidates if s.contribution.moderation == ModerationState.HIDDEN]
        chosen = live[-1] if live else (hidden[-1] if hidden else None)
        result.append(Asked(request=request, statement=chosen, today=day))
    return result


def other_bodies(instance: MethodInstance) -> QuerySet[Body]:
    """The municipality's published bodies this instance has not asked (their pages are
    under every instance: members, mandate and delegation, meetings)."""
    return (
        Body.objects.filter(municipality_id=instance.process.municipality_id, is_published=True)
        .exclude(requests__method_instance=instance)
        .order_by("name", "pk")
    )


def request_of(instance: MethodInstance, body_slug: str) -> StatementRequest | None:
    """This instance's request to the body with this address (published bodies only)."""
    return (
        StatementRequest.objects.select_related("body")
        .filter(method_instance=instance, body__slug=body_slug, body__is_published=True)
        .first()
    )


def first_open_request(instance: MethodInstance) -> StatementRequest | None:
    """A request whose statement is still to come (where the statement form is)."""
    for row in asked(instance):
        if row.statement is None or row.is_hidden:
            return row.request
    return None


@dataclass(frozen=True)
class Summary:
    asked: int
    given: int
    next_deadline: dt.date | None


def summary(instance: MethodInstance) -> Summary:
    rows = asked(instance)
    given = sum(1 for r in rows if r.is_given)
    coming = [
        r.request.deadline for r in rows if r.statement is None and r.request.deadline >= r.today
    ]
    return Summary(asked=len(rows), given=given, next_deadline=min(coming, default=None))


# -- the statement form ---------------------------------------------------------------------


def meeting_choices(body: Body) -> list[tuple[int, str]]:
    """(pk, label) of the meetings a statement can have been adopted in, newest first."""
    return [(m.pk, meeting_label(m)) for m in meetings_to_choose(body)]


def meeting_label(meeting: BodyMeeting) -> str:
    when = date_format(timezone.localtime(meeting.starts_at), "SHORT_DATE_FORMAT")
    return f"{when}, {meeting.place}" if meeting.place else when


def agenda_choices(body: Body) -> list[tuple[str, list[tuple[int, str]]]]:
    """The agenda items of those meetings, grouped by meeting (for an ``<optgroup>``)."""
    items = (
        AgendaItem.objects.filter(meeting__body=body, meeting__starts_at__lte=timezone.now())
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "-meeting__pk", "position", "pk")
    )
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for item in items:
        label = f"{item.case_reference} {item.title}".strip()
        groups.setdefault(item.meeting_id, (meeting_label(item.meeting), []))[1].append(
            (item.pk, label)
        )
    return list(groups.values())


# -- a body's own page ---------------------------------------------------------------------


def body_by_slug(municipality_id: int, slug: str, *, public: bool = True) -> Body | None:
    bodies = Body.objects.filter(municipality_id=municipality_id, slug=slug)
    if public:
        bodies = bodies.filter(is_published=True)
    return bodies.first()


def sorted_members(members: list[BodyMember]) -> list[BodyMember]:
    return sorted(members, key=lambda m: (ROLE_ORDER.get(m.role, 99), m.name.lower(), m.pk))


def current_members(body: Body) -> list[BodyMember]:
    return sorted_members(list(current(BodyMember.objects.filter(body=body))))


@dataclass
class MeetingRow:
    meeting: BodyMeeting
    items: list[AgendaItem] = field(default_factory=list)
    minutes_url: str = ""  # set by the view when there is a file

    @property
    def is_cancelled(self) -> bool:
        return self.meeting.status == MeetingStatus.CANCELLED

    @property
    def has_minutes(self) -> bool:
        return bool(self.meeting.minutes or self.meeting.minutes_file.name)


def meetings(body: Body) -> tuple[list[MeetingRow], list[MeetingRow]]:
    """(coming, past): coming soonest first, past newest first; agenda in one more query."""
    rows = [
        MeetingRow(m, list(m.items.all()))
        for m in BodyMeeting.objects.filter(body=body)
        .prefetch_related(Prefetch("items", AgendaItem.objects.order_by("position", "pk")))
        .order_by("starts_at", "pk")
    ]
    now = timezone.now()
    coming = [r for r in rows if r.meeting.starts_at >= now]
    past = [r for r in rows if r.meeting.starts_at < now]
    past.reverse()
    return coming, past


def meeting_of(body: Body, pk: int) -> BodyMeeting | None:
    return BodyMeeting.objects.filter(body=body, pk=pk).select_related("body").first()


def public_statements(body: Body) -> list[Statement]:
    """The body's statements residents may see, on cases residents may see, newest first."""
    return list(
        Statement.objects.filter(
            request__body=body,
            contribution__moderation__in=PUBLIC_STATES,
            request__method_instance__is_published=True,
            request__method_instance__process__status__in=VISIBLE_CASES,
        )
        .select_related(
            "request__method_instance__process__municipality",
            "contribution__response",
            "meeting",
            "agenda_item",
        )
        .order_by("-adopted_on", "-pk")
    )


# -- staff ---------------------------------------------------------------------------------


def bodies_of(municipality_id: int) -> QuerySet[Body]:
    return Body.objects.filter(municipality_id=municipality_id).order_by("name", "pk")


def body_of(municipality_id: int, pk: int) -> Body | None:
    return Body.objects.filter(municipality_id=municipality_id, pk=pk).first()


def all_members(body: Body) -> list[BodyMember]:
    """Every member, current and earlier, the current ones first."""
    members = list(BodyMember.objects.filter(body=body).select_related("user"))
    day = today()
    now = [m for m in members if m.term_from <= day and (m.term_to is None or m.term_to >= day)]
    other = [m for m in members if m not in now]
    return sorted_members(now) + sorted(other, key=lambda m: (m.term_from, m.pk), reverse=True)


def member_of(body: Body, pk: int) -> BodyMember | None:
    return BodyMember.objects.filter(body=body, pk=pk).select_related("user").first()


def agenda_item_of(meeting: BodyMeeting, pk: int) -> AgendaItem | None:
    return AgendaItem.objects.filter(meeting=meeting, pk=pk).select_related("meeting__body").first()


def askable_bodies(instance: MethodInstance) -> QuerySet[Body]:
    """The municipality's published bodies this instance has not asked yet."""
    return other_bodies(instance)


def request_by_pk(instance: MethodInstance, pk: int) -> StatementRequest | None:
    return (
        StatementRequest.objects.select_related("body", "method_instance__process")
        .filter(method_instance=instance, pk=pk)
        .first()
    )


def statements_for_export(instance: MethodInstance, *, public: bool) -> list[Statement]:
    """The instance's statements for a download, by body; ``public``: published only."""
    statements = Statement.objects.filter(request__method_instance=instance)
    if public:
        statements = statements.filter(
            contribution__moderation=ModerationState.PUBLISHED, request__body__is_published=True
        )
    return list(
        statements.select_related(
            "request__body", "contribution__response", "meeting", "agenda_item"
        ).order_by("request__body__name", "pk")
    )


# -- voter groups ----------------------------------------------------------------------------


def published_bodies(municipality_id: int) -> QuerySet[Body]:
    return Body.objects.filter(municipality_id=municipality_id, is_published=True).order_by(
        "name", "pk"
    )


def sits_in(user_id: int, body_pk: int) -> bool:
    """Does the account sit in the published body now, with a vote (not a substitute or
    the secretary)?"""
    return current(
        BodyMember.objects.filter(
            body_id=body_pk, body__is_published=True, user_id=user_id, role__in=VOTING_ROLES
        )
    ).exists()


def writes_for(user_id: int) -> QuerySet[Body]:
    """The bodies the account is secretary of now (for a link on the case's page)."""
    return Body.objects.filter(
        pk__in=current(
            BodyMember.objects.filter(user_id=user_id, role=MemberRole.SECRETARY)
        ).values("body_id")
    )
