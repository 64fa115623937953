"""Reads of the meeting method, each a fixed number of queries whatever the numbers.

``meetings(instance)`` is one query (registrations counted by the database) and
``result_counts`` one more; a meeting's page reads its published results with their
answers in one query. Staff reads (registrations with needs) are here too: the views
decide who may see them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.accountability.models import Response
from medvirk.algorithms.representation import LIMIT, suppress_line
from medvirk.contributions.models import Contribution, ModerationState
from medvirk.processes.models import MethodInstance

from . import guides, needs, timeformat
from .guides import ResultType, Stage
from .models import Format, Meeting, Registration

RESULT_KIND = "meeting_result"
# In the public list: published results, and hidden ones as the reason in their place.
PUBLIC_STATES = (ModerationState.PUBLISHED, ModerationState.HIDDEN)


def _now(now: dt.datetime | None = None) -> dt.datetime:
    return now or timezone.now()


@dataclass
class MeetingRow:
    """A meeting with what every list shows about it."""

    meeting: Meeting
    registered: int = 0
    waiting: int = 0
    results: int = 0

    @property
    def places_left(self) -> int | None:
        if self.meeting.capacity is None:
            return None
        return max(self.meeting.capacity - self.registered, 0)

    @property
    def full(self) -> bool:
        left = self.places_left
        return left is not None and left == 0

    @property
    def is_hosted(self) -> bool:
        return self.meeting.format == Format.HOSTED

    def is_past(self, now: dt.datetime | None = None) -> bool:
        return self.meeting.ends_at <= _now(now)

    def has_started(self, now: dt.datetime | None = None) -> bool:
        return self.meeting.starts_at <= _now(now)

    @property
    def is_cancelled(self) -> bool:
        return self.meeting.cancelled_at is not None

    def takes_registrations(self, now: dt.datetime | None = None) -> bool:
        return (
            not self.is_cancelled
            and self.meeting.registration_open
            and not self.is_hosted
            and self.meeting.starts_at > _now(now)
        )

    @property
    def accessibility(self) -> list[str]:
        return accessibility_words(self.meeting)

    @property
    def guide(self) -> guides.Guide:
        return guides.guide(self.meeting.format)

    @property
    def format_label(self) -> str:
        return str(self.meeting.get_format_display())

    @property
    def when(self) -> str:
        return timeformat.when(self.meeting.starts_at, self.meeting.ends_at)

    @property
    def location(self) -> str:
        return ", ".join(p for p in (self.meeting.place_name, self.meeting.address) if p)


def accessibility_words(meeting: Meeting) -> list[str]:
    """The place's accessibility in words, as staff gave it."""
    words = []
    if meeting.step_free:
        words.append(_("Step-free access"))
    if meeting.hearing_loop:
        words.append(_("Hearing loop"))
    if meeting.accessible_toilet:
        words.append(_("Accessible toilet"))
    return words


def _annotated(qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return qs.annotate(
        n_registered=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
        ),
        n_waiting=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.WAITING)
        ),
    )


def _row(meeting: Meeting, results: int = 0) -> MeetingRow:
    return MeetingRow(
        meeting=meeting,
        registered=int(getattr(meeting, "n_registered", 0)),
        waiting=int(getattr(meeting, "n_waiting", 0)),
        results=results,
    )


def result_counts(instance: MethodInstance, *, public: bool = True) -> dict[int, int]:
    """Results per meeting (published ones for the public; every one not rejected for
    staff), in one query."""
    qs = Contribution.objects.filter(method_instance=instance, kind=RESULT_KIND)
    if public:
        qs = qs.filter(moderation=ModerationState.PUBLISHED)
    else:
        qs = qs.exclude(moderation=ModerationState.REJECTED)
    counted = (
        qs.annotate(meeting_key=KeyTextTransform("meeting", "data"))
        .values("meeting_key")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out: dict[int, int] = {}
    for row in counted:
        key = str(row["meeting_key"] or "")
        if key.isdigit():
            out[int(key)] = int(row["n"])
    return out


def meetings(instance: MethodInstance, *, public: bool = True) -> list[MeetingRow]:
    """Every meeting of the instance, in time order, with its counts (two queries)."""
    found = list(
        _annotated(Meeting.objects.filter(method_instance=instance)).order_by("starts_at", "pk")
    )
    counts = result_counts(instance, public=public) if found else {}
    return [_row(m, counts.get(m.pk, 0)) for m in found]


def split(
    rows: list[MeetingRow], now: dt.datetime | None = None
) -> tuple[list[MeetingRow], list[MeetingRow]]:
    """(upcoming and running, soonest first; past, latest first)."""
    moment = _now(now)
    upcoming = [r for r in rows if not r.is_past(moment)]
    past = [r for r in rows if r.is_past(moment)]
    past.reverse()
    return upcoming, past


def meeting_row(instance: MethodInstance, pk: int) -> MeetingRow | None:
    """One meeting of this instance with its counts; another instance's is not found."""
    meeting = _annotated(Meeting.objects.filter(method_instance=instance, pk=pk)).first()
    if meeting is None:
        return None
    return _row(meeting)


def meeting_of(instance: MethodInstance, pk: int) -> Meeting | None:
    return Meeting.objects.filter(method_instance=instance, pk=pk).first()


def next_meeting(instance: MethodInstance, now: dt.datetime | None = None) -> Meeting | None:
    """The next meeting that has not ended (one query)."""
    return (
        Meeting.objects.filter(
            method_instance=instance, ends_at__gt=_now(now), cancelled_at__isnull=True
        )
        .order_by("starts_at", "pk")
        .first()
    )


def next_open_for_registration(
    instance: MethodInstance, now: dt.datetime | None = None
) -> Meeting | None:
    """The next meeting that takes registrations (one query)."""
    return (
        Meeting.objects.filter(
            method_instance=instance,
            starts_at__gt=_now(now),
            registration_open=True,
            cancelled_at__isnull=True,
        )
        .exclude(format=Format.HOSTED)
        .order_by("starts_at", "pk")
        .first()
    )


def any_host_meeting(instance: MethodInstance) -> Meeting | None:
    """A meeting of the instance with a host link (the first), or None."""
    return (
        Meeting.objects.filter(method_instance=instance, format=Format.HOSTED)
        .exclude(host_nonce="")
        .order_by("starts_at", "pk")
        .first()
    )


def has_meetings(instance: MethodInstance) -> bool:
    return Meeting.objects.filter(method_instance=instance).exists()


# -- results -----------------------------------------------------------------------------


@dataclass
class ResultGroup:
    key: str
    heading: str
    items: list[Contribution] = field(default_factory=list)


def results(meeting: Meeting, *, public: bool = True) -> list[Contribution]:
    """The meeting's results with their answers (one query): published ones and hidden
    ones (shown as the reason) for the public, every one for the host and staff."""
    qs = Contribution.objects.filter(
        method_instance_id=meeting.method_instance_id, kind=RESULT_KIND, data__meeting=meeting.pk
    ).select_related("response")
    if public:
        qs = qs.filter(moderation__in=PUBLIC_STATES)
    else:
        qs = qs.exclude(moderation=ModerationState.REJECTED)
    return sorted(qs, key=_order)


def _order(c: Contribution) -> tuple[int, int, int, int]:
    data: dict[str, Any] = c.data or {}
    stage = (
        [s.value for s in Stage].index(data["stage"]) if data.get("stage") in Stage.values else 9
    )
    kind = (
        [t.value for t in ResultType].index(str(data.get("type")))
        if data.get("type") in ResultType.values
        else 9
    )
    rank = data.get("rank")
    return (stage, kind, int(rank) if isinstance(rank, int) else 10_000, c.pk)


def response_of(contribution: Contribution) -> Response | None:
    """The answer to a result (read with ``select_related("response")``), or None."""
    try:
        return contribution.response
    except Response.DoesNotExist:
        return None


def result_items(items: list[Contribution]) -> list[dict[str, Any]]:
    """What a page shows of each result: the input, its structure and its answer."""
    return [{"contribution": c, "data": c.data or {}, "response": response_of(c)} for c in items]


def grouped(meeting: Meeting, items: list[Contribution]) -> list[ResultGroup]:
    """The results by stage (a framtidsverkstad) and by kind: notes, post-its, priorities
    in their order, photos."""
    groups: dict[str, ResultGroup] = {}
    staged = meeting.format == Format.FUTURE_WORKSHOP
    for item in items:
        data: dict[str, Any] = item.data or {}
        if staged and data.get("stage") in Stage.values:
            key = str(data["stage"])
            heading = str(Stage(key).label)
        else:
            key = str(data.get("type") or ResultType.NOTE)
            heading = str(ResultType(key).label) if key in ResultType.values else _("Results")
            heading = _plural_heading(key, heading)
        groups.setdefault(key, ResultGroup(key, heading)).items.append(item)
    return list(groups.values())


def _plural_heading(key: str, fallback: str) -> str:
    return {
        ResultType.NOTE: _("Notes"),
        ResultType.POSTIT: _("Post-its"),
        ResultType.PRIORITY: _("Priorities, in order"),
        ResultType.PHOTO: _("Photos (described)"),
    }.get(key, fallback)  # type: ignore[call-overload]


# -- registrations (staff; the person's own through their link) --------------------------


def registrations(meeting: Meeting) -> list[Registration]:
    """Everyone registered or waiting, in the order they came, then the cancelled."""
    rows = list(Registration.objects.filter(meeting=meeting).select_related("user"))
    order: dict[str, int] = {Registration.Status.REGISTERED: 0, Registration.Status.WAITING: 1}
    return sorted(rows, key=lambda r: (order.get(r.status, 2), r.created_at, r.pk))


def needs_summary(meeting: Meeting) -> list[needs.NeedCount]:
    """The needs of those registered or waiting, counted for planning."""
    rows = (
        Registration.objects.filter(meeting=meeting)
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("needs", flat=True)
    )
    return needs.summary(r for r in rows if isinstance(r, dict))


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the wait list; None when not waiting."""
    if registration.status != Registration.Status.WAITING:
        return None
    ahead = Registration.objects.filter(
        meeting_id=registration.meeting_id, status=Registration.Status.WAITING
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def registrations_for_export(instance: MethodInstance) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(meeting__method_instance=instance)
        .select_related("meeting")
        .order_by("meeting__starts_at", "meeting_id", "created_at", "pk")
    )


# -- the council report ---------------------------------------------------------------------

# Priorities listed per meeting in the report; the rest are in the case's input.
REPORT_PRIORITIES = 10


@dataclass(frozen=True)
class Figure:
    """A count of people as the report may print it."""

    value: int | None  # None: hidden
    # Hidden because it is under the limit; else hidden so that no small one can be worked
    # out from the others and the total.
    small: bool = False


@dataclass
class ReportGroup:
    heading: str
    count: int


@dataclass
class ReportMeeting:
    """One meeting as the council report shows it: its public facts, counts of people
    (small ones hidden) and a summary of its published results."""

    row: MeetingRow
    held: bool
    registered: Figure | None  # None: it took no registrations (a gjestebod, "just come")
    attended: Figure | None  # None: not counted (or not held)
    groups: list[ReportGroup] = field(default_factory=list)
    priorities: list[str] = field(default_factory=list)
    more_priorities: int = 0

    @property
    def results(self) -> int:
        return sum(g.count for g in self.groups)


@dataclass
class Report:
    meetings: list[ReportMeeting]
    registered_total: Figure | None
    attended_total: Figure | None  # None: no meeting was counted
    limit: int

    @property
    def held(self) -> int:
        return sum(1 for m in self.meetings if m.held)

    @property
    def results(self) -> int:
        return sum(m.results for m in self.meetings)

    @property
    def suppressed(self) -> bool:
        figures = [self.registered_total, self.attended_total]
        figures += [m.registered for m in self.meetings] + [m.attended for m in self.meetings]
        return any(f is not None and f.value is None for f in figures)


def _figures(values: list[int]) -> tuple[list[Figure], Figure | None]:
    """The counts of one column and their total, as :func:`suppress_line` lets them out."""
    if not values:
        return [], None
    line = suppress_line(values, LIMIT)
    cells = [
        Figure(value if shown else None, small=not shown and value < LIMIT)
        for value, shown in zip(values, line.shown, strict=True)
    ]
    total = Figure(
        line.total if line.total_shown else None,
        small=not line.total_shown and line.total < LIMIT,
    )
    return cells, total


def report(instance: MethodInstance, now: dt.datetime | None = None) -> Report:
    """Every meeting with its public facts and, when published, a summary of its results
    (three queries). Counts of people under :data:`LIMIT` are hidden, and so is one more
    of a column when its total would give a hidden one away."""
    moment = _now(now)
    rows = meetings(instance)
    published = Contribution.objects.filter(
        method_instance=instance, kind=RESULT_KIND, moderation=ModerationState.PUBLISHED
    ).order_by("pk")
    by_meeting: dict[int, list[Contribution]] = {}
    for contribution in published:
        key = (contribution.data or {}).get("meeting")
        if isinstance(key, int):
            by_meeting.setdefault(key, []).append(contribution)
    # Registrations where the meeting took them (not a gjestebod, not "just come");
    # who took part where it was counted.
    registering = [
        r
        for r in rows
        if not r.is_hosted
        and not r.is_cancelled
        and (r.meeting.registration_open or r.registered > 0)
    ]
    registered, registered_total = _figures([r.registered for r in registering])
    by_registered = {r.meeting.pk: f for r, f in zip(registering, registered, strict=True)}
    counted = [
        r
        for r in rows
        if not r.is_cancelled and r.has_started(moment) and r.meeting.attendance is not None
    ]
    attended, attended_total = _figures([int(r.meeting.attendance or 0) for r in counted])
    by_attended = {r.meeting.pk: f for r, f in zip(counted, attended, strict=True)}
    out: list[ReportMeeting] = []
    for row in rows:
        items = sorted(by_meeting.get(row.meeting.pk, []), key=_order)
        priorities = [c.text for c in items if (c.data or {}).get("type") == ResultType.PRIORITY]
        out.append(
            ReportMeeting(
                row=row,
                held=row.has_started(moment) and not row.is_cancelled,
                registered=by_registered.get(row.meeting.pk),
                attended=by_attended.get(row.meeting.pk),
                groups=[ReportGroup(g.heading, len(g.items)) for g in grouped(row.meeting, items)],
                priorities=priorities[:REPORT_PRIORITIES],
                more_priorities=max(len(priorities) - REPORT_PRIORITIES, 0),
            )
        )
    return Report(
        meetings=out,
        registered_total=registered_total,
        attended_total=attended_total,
        limit=LIMIT,
    )
