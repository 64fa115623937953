"""Reads of the idea board for its pages and files, each a fixed number of queries.

Supports and comments are counted by the database as each list is read (subqueries), so a
merge, a withdrawn support or a moderator's decision shows everywhere at once; the state
(:mod:`.states`) is worked out in the same query, so the board filters and sorts on it.
The method's own reads may use the core's models; its views may not (they read here).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from medvirk.accountability.models import FINAL_STATUSES, ResponseStatus
from medvirk.contributions.models import AWAITING_MODERATION, ModerationState
from medvirk.processes.models import MethodInstance, Process, ProcessStatus

from . import states
from .actions import PUBLIC_STATES
from .forms import MOST_COMMENTED, MOST_SUPPORTED, NEWEST, SORTS
from .models import Idea, IdeaComment, Outcome, Support
from .states import IdeaState

# Published counts of people hide every count from 1 to 4 (the open-data promise).
SUPPRESS_BELOW = 5
PER_PAGE = 20
STAFF_PER_PAGE = 50


def _count(rows: QuerySet[Any], link: str) -> Coalesce:
    """A correlated count (a subquery, so two counts never multiply each other's rows)."""
    counted = rows.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


def _state() -> Case:
    return Case(
        When(merged_into__isnull=False, then=Value(IdeaState.MERGED.value)),
        When(outcome=Outcome.NEW_CASE, then=Value(IdeaState.NEW_CASE.value)),
        When(outcome=Outcome.MOVED, then=Value(IdeaState.MOVED.value)),
        When(
            contribution__response__status__in=list(FINAL_STATUSES),
            then=Value(IdeaState.ANSWERED.value),
        ),
        When(
            contribution__response__status=ResponseStatus.UNDER_REVIEW,
            then=Value(IdeaState.CONSIDERING.value),
        ),
        default=Value(IdeaState.NEW.value),
        output_field=CharField(),
    )


def _annotated(rows: QuerySet[Idea], key: str = "") -> QuerySet[Idea]:
    """Ideas with their counts, their state and whether ``key``'s person supports each."""
    published_comments = IdeaComment.objects.filter(
        contribution__moderation=ModerationState.PUBLISHED
    )
    own: Any = (
        Exists(Support.objects.filter(idea=OuterRef("pk"), person_key=key)) if key else Value(False)
    )
    return rows.select_related(
        "contribution__response",
        "contribution__author",
        "merged_into",
        "taken_up_in__municipality",
    ).annotate(
        n_supports=_count(Support.objects.all(), "idea"),
        n_comments=_count(published_comments, "idea"),
        board_state=_state(),
        supported=own,
    )


# --- the board ------------------------------------------------------------------------------


@dataclass
class Board:
    page: Page[Idea]
    sort: str
    category: str
    state: str
    total: int


def sort_of(value: str | None) -> str:
    return value if value in SORTS else NEWEST


def board(
    instance: MethodInstance,
    *,
    sort: str = NEWEST,
    category: str = "",
    state: str = "",
    page: int = 1,
    key: str = "",
) -> Board:
    """One page of the published ideas (2 queries: the count and the page). Merged ideas
    show only when asked for (``state="merged"``): the kept idea lists them."""
    rows = _annotated(
        Idea.objects.filter(
            method_instance=instance, contribution__moderation=ModerationState.PUBLISHED
        ),
        key,
    )
    if state in {s.value for s in IdeaState}:
        rows = rows.filter(Q(board_state=state))  # an annotation: typed checks miss it
    else:
        state = ""
        rows = rows.exclude(Q(board_state=IdeaState.MERGED.value))
    if category:
        rows = rows.filter(category=category)
    sort = sort_of(sort)
    if sort == MOST_SUPPORTED:
        rows = rows.order_by("-n_supports", "-pk")
    elif sort == MOST_COMMENTED:
        rows = rows.order_by("-n_comments", "-pk")
    else:
        rows = rows.order_by("-pk")
    shown = Paginator(rows, PER_PAGE).get_page(page)
    return Board(page=shown, sort=sort, category=category, state=state, total=shown.paginator.count)


def public_idea(instance: MethodInstance, pk: int, key: str = "") -> Idea | None:
    """An idea shown on this board (published, or hidden with the reason in its place)."""
    return (
        _annotated(Idea.objects.filter(pk=pk, method_instance=instance), key)
        .filter(contribution__moderation__in=PUBLIC_STATES)
        .first()
    )


def comments(idea: Idea) -> list[IdeaComment]:
    """The idea's comments shown publicly, oldest first, with their answers (1 query)."""
    return list(
        IdeaComment.objects.filter(idea=idea, contribution__moderation__in=PUBLIC_STATES)
        .select_related("contribution__response", "contribution__author")
        .order_by("pk")
    )


def merged_into_this(idea: Idea) -> list[Idea]:
    """The published ideas merged into this one (1 query)."""
    return list(
        Idea.objects.filter(merged_into=idea, contribution__moderation=ModerationState.PUBLISHED)
        .only("pk", "title")
        .order_by("pk")
    )


# --- staff ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    ideas: int
    published: int
    waiting: int
    merged: int
    taken_up: int
    unanswered: int
    supports: int
    comments: int


def summary(instance: MethodInstance) -> Summary:
    """The board's numbers for the staff editor (3 queries)."""
    ideas = Idea.objects.filter(method_instance=instance).aggregate(
        ideas=Count("pk"),
        published=Count("pk", filter=Q(contribution__moderation=ModerationState.PUBLISHED)),
        waiting=Count("pk", filter=Q(contribution__moderation__in=AWAITING_MODERATION)),
        merged=Count("pk", filter=Q(merged_into__isnull=False)),
        taken_up=Count("pk", filter=~Q(outcome=Outcome.NONE)),
        unanswered=Count(
            "pk",
            filter=~Q(contribution__response__status__in=list(FINAL_STATUSES))
            & ~Q(contribution__moderation=ModerationState.REJECTED),
        ),
    )
    supports = Support.objects.filter(idea__method_instance=instance).count()
    comments = IdeaComment.objects.filter(idea__method_instance=instance).count()
    return Summary(supports=supports, comments=comments, **ideas)


def staff_board(instance: MethodInstance, page: int = 1) -> Page[Idea]:
    """Every idea of the board, whatever its moderation, newest first (2 queries)."""
    rows = _annotated(
        Idea.objects.filter(method_instance=instance).select_related("contribution")
    ).order_by("-pk")
    return Paginator(rows, STAFF_PER_PAGE).get_page(page)


def staff_idea(instance: MethodInstance, pk: int) -> Idea | None:
    """One idea of the board whatever its moderation, with its counts and state."""
    return (
        _annotated(Idea.objects.filter(pk=pk, method_instance=instance))
        .select_related("contribution")
        .first()
    )


def supports_by_level(idea: Idea) -> dict[int, int]:
    """How many supporters at each identity level (0 anonymous, 1 e-mail, 2 verified)."""
    return dict(
        Support.objects.filter(idea=idea)
        .order_by()
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )


def merge_choices(instance: MethodInstance, idea: Idea) -> list[tuple[str, str]]:
    """The ideas this one can be merged into: published, not merged, not itself."""
    rows = (
        Idea.objects.filter(
            method_instance=instance,
            contribution__moderation=ModerationState.PUBLISHED,
            merged_into__isnull=True,
        )
        .exclude(pk=idea.pk)
        .order_by("title", "pk")
        .values_list("pk", "title")
    )
    return [(str(pk), f"{title} (#{pk})") for pk, title in rows]


def case_choices(instance: MethodInstance) -> list[tuple[str, str]]:
    """The municipality's cases that can take an idea up (every one not yet decided)."""
    rows = (
        Process.objects.filter(municipality_id=instance.process.municipality_id)
        .exclude(status=ProcessStatus.DECIDED)
        .order_by("title", "pk")
    )
    return [(str(p.pk), f"{p.title} ({p.get_status_display()})") for p in rows]


# --- files ----------------------------------------------------------------------------------


def export_rows(instance: MethodInstance, *, public: bool) -> Iterator[Idea]:
    """The ideas for a CSV file, oldest first, with counts and state: the published ones
    (``public``) or all. Streamed in chunks."""
    rows = Idea.objects.filter(method_instance=instance)
    if public:
        rows = rows.filter(contribution__moderation=ModerationState.PUBLISHED)
    return _annotated(rows).select_related("contribution").order_by("pk").iterator(chunk_size=500)


def public_count(n: int) -> str:
    """A count of people as published: from 1 to 4 it is hidden as "<5"."""
    return f"<{SUPPRESS_BELOW}" if 0 < n < SUPPRESS_BELOW else str(n)


# --- the council report ---------------------------------------------------------------------

REPORT_TOP = 10


@dataclass(frozen=True)
class StateCount:
    label: str
    count: int


@dataclass(frozen=True)
class RankedIdea:
    """One idea in the report: what the board shows of it, with no name."""

    rank: int
    title: str
    category: str
    state: str
    # The public case it was taken up in ("" when none, or the case is not public).
    case: str
    # Supporters as published: None from 1 to 4 (shown as "fewer than 5").
    supporters: int | None
    comments: int


@dataclass(frozen=True)
class Report:
    """The board as the council report shows it: the published ideas ranked as the board's
    "most supported" sort ranks them (by comments when supports are off), the first
    :data:`REPORT_TOP` of them, and how many there are in each state."""

    top: list[RankedIdea]
    total: int
    merged: int
    comments: int
    states: list[StateCount]
    supports_on: bool

    @property
    def rest(self) -> int:
        return max(0, self.total - len(self.top))


def report(instance: MethodInstance, *, supports_on: bool) -> Report:
    """What the council report shows of the board (3 queries, whatever its size). Published
    ideas only; merged ones are counted, not ranked (their kept idea carries the support)."""
    published = Idea.objects.filter(
        method_instance=instance, contribution__moderation=ModerationState.PUBLISHED
    )
    per_state = dict(
        published.annotate(board_state=_state())
        .order_by()
        .values_list("board_state")
        .annotate(n=Count("pk"))
        .values_list("board_state", "n")
    )
    ranked = _annotated(published).exclude(Q(board_state=IdeaState.MERGED.value))
    order = ("-n_supports", "-pk") if supports_on else ("-n_comments", "-pk")
    comments = IdeaComment.objects.filter(
        idea__method_instance=instance,
        idea__contribution__moderation=ModerationState.PUBLISHED,
        contribution__moderation=ModerationState.PUBLISHED,
    ).count()
    shown = [s for s in states.ORDER if s != IdeaState.MERGED and per_state.get(s.value)]
    top = [
        RankedIdea(
            rank=rank,
            title=idea.title,
            category=idea.category,
            state=str(states.label(idea.board_state)),  # type: ignore[attr-defined]
            case=_public_case(idea),
            supporters=_published_count(idea.n_supports),  # type: ignore[attr-defined]
            comments=idea.n_comments,  # type: ignore[attr-defined]
        )
        for rank, idea in enumerate(ranked.order_by(*order)[:REPORT_TOP], start=1)
    ]
    return Report(
        top=top,
        total=sum(n for s, n in per_state.items() if s != IdeaState.MERGED.value),
        merged=per_state.get(IdeaState.MERGED.value, 0),
        comments=comments,
        states=[StateCount(str(states.LABELS[s]), per_state[s.value]) for s in shown],
        supports_on=supports_on,
    )


def _public_case(idea: Idea) -> str:
    case = idea.taken_up_in
    return case.title if case is not None and case.is_public else ""


def _published_count(n: int) -> int | None:
    """A count of people as the report prints it: None (fewer than 5) from 1 to 4."""
    return None if 0 < n < SUPPRESS_BELOW else n
