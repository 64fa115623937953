"""What the council report says, gathered from every part of the case (public figures only).

The report is a public document (it goes with the saksframlegg into the public journal), so
it is built from the same reads as the case's public pages: published methods and input
only, names only where the person chose to show theirs, and the "who took part" figures of
the public page (every count under 5 hidden, with secondary suppression).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.safestring import SafeString

from medvirk.accountability import queries as accountability_queries
from medvirk.accountability.models import FINAL_STATUSES, Decision, Response, ResponseStatus
from medvirk.contributions.models import Contribution, ModerationState, Theme
from medvirk.planning import queries as planning_queries
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, Phase, Process

from .. import queries as insights_queries
from .. import themes as insights_themes

EXAMPLES_PER_THEME = 3
REASONS_PER_THEME = 3


@dataclass(frozen=True)
class PlannedRow:
    """One activity the municipality accepted in its participation plan, and what came of it."""

    name: str
    phase: str
    instance: MethodInstance | None  # the Medvirk method that ran it, if any
    ran: bool  # published in Medvirk (a method outside Medvirk: unknown, False)
    inputs: int


@dataclass(frozen=True)
class ThemeEntry:
    name: str
    count: int
    examples: list[Contribution]
    statuses: list[tuple[str, int]]  # answer status label, how many of its inputs have it
    reasons: list[str]  # the municipality's answers, most given first
    unanswered: int


@dataclass(frozen=True)
class MethodEntry:
    instance: MethodInstance
    method: str  # the method's name
    phase: Phase
    inputs: int  # published input
    section: SafeString


@dataclass
class CouncilReport:
    process: Process
    generated: dt.date
    plan: planning_queries.PlanView | None
    planned: list[PlannedRow]
    unplanned: list[MethodInstance]  # methods run that the plan did not name
    who: insights_queries.Report
    themes: list[ThemeEntry]
    theme_groups: insights_themes.ThemeGroups
    unthemed: int
    methods: list[MethodEntry]
    statuses: list[tuple[str, int]]
    answered: int
    inputs: int  # published input that asks for an answer
    all_inputs: int  # all published input, survey ticks included
    decisions: list[Decision]
    appendix: list[Contribution] = field(default_factory=list)

    @property
    def unanswered(self) -> int:
        """Input with no answer of any status yet."""
        return self.inputs - sum(n for _label, n in self.statuses)

    @property
    def answered_percent(self) -> int | None:
        return round(100 * self.answered / self.inputs) if self.inputs else None


def _published_counts(process: Process) -> dict[int | None, int]:
    rows = (
        Contribution.objects.filter(process=process, moderation=ModerationState.PUBLISHED)
        .values_list("method_instance_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {instance_id: n for instance_id, n in rows}


def _public_methods(process: Process) -> list[MethodInstance]:
    return list(
        MethodInstance.objects.filter(process=process, is_published=True)
        .select_related("phase")
        .order_by("phase__start", "pk")
    )


def _planned(
    plan: planning_queries.PlanView | None, counts: dict[int | None, int]
) -> list[PlannedRow]:
    if plan is None:
        return []
    rows = []
    for phase in plan.accepted_phases:
        for row in phase["rows"]:
            instance = row["instance"]
            ran = instance is not None and instance.is_published
            rows.append(
                PlannedRow(
                    name=str(row["name"]),
                    phase=str(phase["label"]),
                    instance=instance,
                    ran=ran,
                    inputs=counts.get(instance.pk, 0) if ran else 0,
                )
            )
    return rows


def _methods(instances: list[MethodInstance], counts: dict[int | None, int]) -> list[MethodEntry]:
    out = []
    for instance in instances:
        try:
            plugin = registry.get(instance.method_key)
        except registry.RegistryError:
            continue  # a method no longer installed: its input is still in the appendix
        out.append(
            MethodEntry(
                instance=instance,
                method=str(plugin.name),
                phase=instance.phase,
                inputs=counts.get(instance.pk, 0),
                section=plugin.report_section(instance),
            )
        )
    return out


def _status_counts(contributions: list[Contribution]) -> tuple[list[tuple[str, int]], int]:
    """(status label, count) in the order of the statuses, and how many are answered."""
    counts: dict[str, int] = {}
    answered = 0
    for contribution in contributions:
        response = _response_of(contribution)
        if response is None:
            continue
        counts[response.status] = counts.get(response.status, 0) + 1
        if response.status in FINAL_STATUSES:
            answered += 1
    labelled = [(str(s.label), counts[s.value]) for s in ResponseStatus if counts.get(s.value)]
    return labelled, answered


def _response_of(contribution: Contribution) -> Response | None:
    # A missing reverse one-to-one raises an AttributeError subclass: getattr's default.
    return getattr(contribution, "response", None)


def _themes(process: Process, public_ids: set[int]) -> tuple[list[ThemeEntry], int]:
    themes = list(Theme.objects.filter(process=process, kind=Theme.Kind.THEME).order_by("name"))
    links = Contribution.themes.through.objects.filter(
        theme__in=themes, contribution_id__in=public_ids
    ).values_list("theme_id", "contribution_id")
    members: dict[int, list[int]] = {t.pk: [] for t in themes}
    for theme_id, contribution_id in links:
        members[theme_id].append(contribution_id)
    wanted = {pk for ids in members.values() for pk in ids}
    by_pk = {
        c.pk: c
        for c in Contribution.objects.filter(pk__in=wanted)
        .select_related("response", "method_instance", "author")
        .order_by("pk")
    }
    entries = []
    for theme in themes:
        mine = [by_pk[pk] for pk in sorted(members[theme.pk]) if pk in by_pk]
        shown, texts = [], set()
        for c in mine:
            text = " ".join(c.text.split()).casefold()
            if c.moderation == ModerationState.PUBLISHED and text and text not in texts:
                texts.add(text)  # the same words twice say nothing new
                shown.append(c)
        # Examples: the longest few (they say most), in the order given.
        longest = sorted(shown, key=lambda c: (-len(c.text), c.pk))[:EXAMPLES_PER_THEME]
        examples = sorted(longest, key=lambda c: c.pk)
        statuses, _answered = _status_counts(mine)
        reasons: dict[str, int] = {}
        unanswered = 0
        for contribution in mine:
            response = _response_of(contribution)
            if response is None or response.status not in FINAL_STATUSES:
                unanswered += 1
                continue
            reason = response.reason.strip()
            if reason:
                reasons[reason] = reasons.get(reason, 0) + 1
        top = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:REASONS_PER_THEME]
        entries.append(
            ThemeEntry(
                name=theme.name,
                count=len(mine),
                examples=examples,
                statuses=statuses,
                reasons=[text for text, _n in top],
                unanswered=unanswered,
            )
        )
    themed = {pk for ids in members.values() for pk in ids}
    entries.sort(key=lambda e: (-e.count, e.name))
    return [e for e in entries if e.count], len(public_ids - themed)


def build(process: Process, *, today: dt.date | None = None) -> CouncilReport:
    """Everything the report says about ``process``, in the active language."""
    counts = _published_counts(process)
    instances = _public_methods(process)
    stored_plan = planning_queries.published_plan(process)
    plan = planning_queries.plan_view(stored_plan) if stored_plan is not None else None
    planned = _planned(plan, counts)
    named = {row.instance.pk for row in planned if row.instance is not None}
    appendix = list(accountability_queries.published_input(process).order_by("created_at", "pk"))
    public_ids = {c.pk for c in appendix if c.moderation == ModerationState.PUBLISHED}
    themes, unthemed = _themes(process, public_ids)
    statuses, answered = _status_counts(
        [c for c in appendix if c.moderation == ModerationState.PUBLISHED]
    )
    shown_ids = {i.pk for i in instances}
    all_inputs = sum(n for pk, n in counts.items() if pk is None or pk in shown_ids)
    return CouncilReport(
        process=process,
        generated=today or timezone.localdate(),
        plan=plan,
        planned=planned,
        unplanned=[i for i in instances if i.pk not in named] if plan is not None else [],
        who=insights_queries.report(process, public=True),
        themes=themes,
        theme_groups=insights_themes.theme_groups(process, public=True),
        unthemed=unthemed,
        methods=_methods(instances, counts),
        statuses=statuses,
        answered=answered,
        inputs=len(public_ids),
        all_inputs=all_inputs,
        decisions=list(Decision.objects.filter(process=process).order_by("date", "pk")),
        appendix=appendix,
    )
