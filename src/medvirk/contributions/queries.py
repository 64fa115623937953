"""Reads of input (contributions) for public and staff pages; bounded queries each.

Answers belong to accountability, above this app: lists that show them join the answer by
its relation name (``response``), so this app never imports accountability.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, F, Prefetch, Q, QuerySet

from medvirk.core.models import AuditEntry
from medvirk.core.tokens import check_receipt_token

from .models import Channel, Contribution, ModerationState, Report, Theme

if TYPE_CHECKING:
    from medvirk.processes.models import Process

# A search of published input looks for at most this much text.
SEARCH_MAX_LENGTH = 100


def published_count(process: Process) -> int:
    """Published input that asks or proposes something (what the public list shows); a
    survey answer of ticks only is counted in the survey's results instead."""
    return Contribution.objects.filter(
        process=process, moderation=ModerationState.PUBLISHED, needs_answer=True
    ).count()


def contribution_by_receipt(pk: int, token: str) -> Contribution | None:
    """The contribution a private receipt link names, or None when the token does not fit."""
    contribution = (
        Contribution.objects.select_related("process__municipality", "method_instance")
        .filter(pk=pk)
        .first()
    )
    if contribution is None or not check_receipt_token(pk, contribution.receipt_nonce, token):
        return None
    return contribution


# -- staff ----------------------------------------------------------------------------------


def contribution_by_pk(pk: int) -> Contribution | None:
    """Any contribution with its case and municipality; the caller checks the role."""
    return (
        Contribution.objects.select_related("process__municipality", "method_instance", "author")
        .filter(pk=pk)
        .first()
    )


def contribution_in(process: Process, pk: int) -> Contribution | None:
    """The case's own contribution; another case's is not found."""
    return Contribution.objects.filter(process=process, pk=pk).first()


def ids_in_process(process: Process, ids: Iterable[int | str]) -> list[int]:
    """Those of ``ids`` that name the case's own contributions (anything else is dropped)."""
    wanted = [int(i) for i in ids if str(i).isdigit()]
    return list(
        Contribution.objects.filter(process=process, pk__in=wanted).values_list("pk", flat=True)
    )


# -- moderation ---------------------------------------------------------------------------

QueueFilter = Callable[[QuerySet[Contribution]], QuerySet[Contribution]]

# The moderation queue's lists, by the key in its address (``?vis=``); the first is the
# default. What waits comes oldest first; reported input with the most reports first.
MODERATION_TABS: dict[str, QueueFilter] = {
    "pending": lambda qs: qs.filter(moderation=ModerationState.PENDING).order_by(
        "created_at", "pk"
    ),
    "held": lambda qs: qs.filter(moderation=ModerationState.HELD).order_by("created_at", "pk"),
    "reported": lambda qs: (
        qs.filter(moderation=ModerationState.PUBLISHED)
        .annotate(n_open=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .filter(n_open__gt=0)
        .order_by("-n_open", "created_at", "pk")
    ),
    "hidden": lambda qs: qs.filter(moderation=ModerationState.HIDDEN).order_by(
        "-moderated_at", "-pk"
    ),
    "rejected": lambda qs: qs.filter(moderation=ModerationState.REJECTED).order_by(
        "-moderated_at", "-pk"
    ),
}


def moderation_tab(name: str | None) -> str:
    """The list to show: the one asked for if it exists, else the first."""
    return name if name in MODERATION_TABS else next(iter(MODERATION_TABS))


def moderation_queue(process: Process, tab: str) -> QuerySet[Contribution]:
    """One list of the case's moderation queue, with each item's open reports (a fixed
    number of queries per page: the list, and the reports of the page's items)."""
    qs = Contribution.objects.filter(process=process).select_related("method_instance", "author")
    return MODERATION_TABS[moderation_tab(tab)](qs).prefetch_related(
        Prefetch(
            "reports",
            queryset=Report.objects.filter(resolved_at__isnull=True).order_by("created_at"),
            to_attr="open_reports",
        )
    )


def moderation_counts(process: Process) -> dict[str, int]:
    """How many items each list of the queue holds (one query)."""
    counts = Contribution.objects.filter(process=process).aggregate(
        pending=Count("pk", filter=Q(moderation=ModerationState.PENDING), distinct=True),
        held=Count("pk", filter=Q(moderation=ModerationState.HELD), distinct=True),
        reported=Count(
            "pk",
            filter=Q(moderation=ModerationState.PUBLISHED, reports__resolved_at__isnull=True)
            & Q(reports__isnull=False),
            distinct=True,
        ),
        hidden=Count("pk", filter=Q(moderation=ModerationState.HIDDEN), distinct=True),
        rejected=Count("pk", filter=Q(moderation=ModerationState.REJECTED), distinct=True),
    )
    return {key: int(counts[key] or 0) for key in MODERATION_TABS}


def search_published(process: Process, query: str) -> QuerySet[Contribution]:
    """The case's published input whose text or given name contains ``query`` (or whose
    number it is), newest first; an empty query finds nothing."""
    query = query.strip()[:SEARCH_MAX_LENGTH]
    if not query:
        return Contribution.objects.none()
    match = Q(text__icontains=query) | Q(author_name__icontains=query)
    if query.lstrip("#").isdigit() and len(query) < 12:
        match |= Q(pk=int(query.lstrip("#")))
    return (
        Contribution.objects.filter(process=process, moderation=ModerationState.PUBLISHED)
        .filter(match)
        .select_related("method_instance", "author")
        .order_by("-created_at", "-pk")
    )


def reports_of(contribution: Contribution) -> QuerySet[Report]:
    """Every report of one input, open ones first, then by time."""
    return Report.objects.filter(contribution=contribution).order_by(
        F("resolved_at").desc(nulls_first=True), "created_at"
    )


def open_report_counts(contribution: Contribution) -> list[tuple[str, int]]:
    """Open reports of one input by reason: [(reason, count)], most first."""
    rows = (
        Report.objects.filter(contribution=contribution, resolved_at__isnull=True)
        .values("reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "reason")
    )
    return [(row["reason"], row["n"]) for row in rows]


def moderation_history(contribution: Contribution) -> QuerySet[AuditEntry]:
    """The audit rows about one input (moderation, answers written on it …), oldest first."""
    return AuditEntry.objects.filter(
        object_type=Contribution._meta.label_lower, object_id=str(contribution.pk)
    ).order_by("seq")


def reportable(process: Process, pk: int) -> Contribution | None:
    """The case's own published input (the public "report" page); else None."""
    return (
        Contribution.objects.filter(process=process, pk=pk, moderation=ModerationState.PUBLISHED)
        .select_related("method_instance", "author")
        .first()
    )


# -- themes across all input ------------------------------------------------------------------

# A theme suggestion reads at most this many inputs (the newest), so the page stays quick.
SUGGEST_MAX_INPUTS = 5000


def texts_for_theme_suggestions(process: Process) -> list[tuple[int, str]]:
    """``(id, text)`` of the case's input with text, every method and channel, as staff see
    it (masked where screening masked it); rejected input (spam, abuse) is left out."""
    rows = (
        Contribution.objects.filter(process=process)
        .exclude(moderation=ModerationState.REJECTED)
        .exclude(text="")
        .order_by("-created_at", "-pk")
        .values_list("pk", "text")[:SUGGEST_MAX_INPUTS]
    )
    return sorted((pk, text) for pk, text in rows)


def contributions_by_pks(process: Process, ids: Iterable[int]) -> dict[int, Contribution]:
    """The case's own inputs named by ``ids``, with their method (one query)."""
    return {
        c.pk: c
        for c in Contribution.objects.filter(process=process, pk__in=list(ids)).select_related(
            "method_instance"
        )
    }


@dataclass
class ThemeCounts:
    """How many inputs a theme holds, in all and per method and per channel."""

    theme: Theme
    total: int = 0
    by_method: list[tuple[str, int]] = field(default_factory=list)
    by_channel: list[tuple[str, int]] = field(default_factory=list)


def theme_counts(process: Process, whole_case: str) -> list[ThemeCounts]:
    """Every theme and group of the case with its counts (two queries whatever the size).

    ``whole_case`` names input about the case as a whole (no method), in the reader's words.
    """
    themes = list(Theme.objects.filter(process=process))
    out = {t.pk: ThemeCounts(theme=t) for t in themes}
    rows = (
        Contribution.themes.through.objects.filter(theme__process=process)
        .values(
            "theme_id",
            "contribution__method_instance_id",
            "contribution__method_instance__title",
            "contribution__channel",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    methods: dict[int, dict[str, int]] = {pk: {} for pk in out}
    channels: dict[int, dict[str, int]] = {pk: {} for pk in out}
    labels = dict(Channel.choices)
    for row in rows:
        pk, n = row["theme_id"], row["n"]
        out[pk].total += n
        method = row["contribution__method_instance__title"] or whole_case
        methods[pk][method] = methods[pk].get(method, 0) + n
        channel = str(labels.get(row["contribution__channel"], row["contribution__channel"]))
        channels[pk][channel] = channels[pk].get(channel, 0) + n
    for pk, counts in out.items():
        counts.by_method = sorted(methods[pk].items(), key=lambda kv: (-kv[1], kv[0]))
        counts.by_channel = sorted(channels[pk].items(), key=lambda kv: (-kv[1], kv[0]))
    return [out[t.pk] for t in themes]
