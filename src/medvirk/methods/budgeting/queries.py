"""Reads for the budget's pages: a fixed number of queries each, whatever the numbers.

The method's own queries may read the core's models; its views may not (they read through
here, as import-linter requires of ``medvirk.methods.*.views``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from medvirk.contributions.models import ModerationState
from medvirk.processes.types import MethodInstance

from . import explain, stages
from .actions import stage_of
from .config import Rules, rules_of
from .models import (
    Ballot,
    CodeBatch,
    Election,
    Project,
    ProjectStatus,
    ProjectUpdate,
    Tally,
    VotingCode,
)

# Any count of people under this is not shown publicly (as the survey does).
SUPPRESS_BELOW = 5


def election(instance: MethodInstance) -> Election | None:
    return Election.objects.filter(method_instance=instance).first()


def stage(instance: MethodInstance) -> stages.Stage:
    return stage_of(instance, election(instance))


def _visible() -> Q:
    """Projects the public sees: staff's own, accepted ones, and ideas a moderator let out."""
    return (
        Q(contribution__isnull=True)
        | Q(status=ProjectStatus.ACCEPTED)
        | Q(contribution__moderation=ModerationState.PUBLISHED)
    )


def public_projects(instance: MethodInstance) -> QuerySet[Project]:
    return (
        Project.objects.filter(_visible(), method_instance=instance)
        .select_related("contribution__response", "merged_into")
        .order_by("number")
    )


def public_project(instance: MethodInstance, number: int) -> Project | None:
    return (
        Project.objects.filter(_visible(), method_instance=instance, number=number)
        .select_related("contribution__response", "merged_into")
        .prefetch_related(
            Prefetch("updates", queryset=ProjectUpdate.objects.order_by("-date", "-pk"))
        )
        .first()
    )


def on_ballot(instance: MethodInstance, district: str) -> list[Project]:
    return list(
        Project.objects.filter(
            method_instance=instance, status=ProjectStatus.ACCEPTED, district=district
        ).order_by("number")
    )


def staff_projects(instance: MethodInstance) -> QuerySet[Project]:
    return (
        Project.objects.filter(method_instance=instance)
        .select_related("contribution__response", "merged_into")
        .order_by("number")
    )


def staff_project(instance: MethodInstance, number: int) -> Project | None:
    return (
        Project.objects.filter(method_instance=instance, number=number)
        .select_related("contribution__response", "contribution__author", "merged_into")
        .prefetch_related(
            Prefetch("updates", queryset=ProjectUpdate.objects.order_by("-date", "-pk"))
        )
        .first()
    )


def merge_targets(instance: MethodInstance, number: int) -> list[tuple[int, str]]:
    return list(
        Project.objects.filter(method_instance=instance, status=ProjectStatus.ACCEPTED)
        .exclude(number=number)
        .order_by("number")
        .values_list("number", "title")
    )


def ballot_counts(instance: MethodInstance) -> dict[str, int]:
    """Ballots per district ("" for a budget without districts): for staff, exact."""
    rows = (
        Ballot.objects.filter(method_instance=instance)
        .values("district")
        .annotate(n=Count("id"))
        .values_list("district", "n")
    )
    return dict(rows)


@dataclass(frozen=True)
class BatchRow:
    batch: CodeBatch
    total: int
    used: int
    void: int


def batches(instance: MethodInstance) -> list[BatchRow]:
    rows = CodeBatch.objects.filter(method_instance=instance).annotate(
        total=Count("codes"),
        used=Count("codes", filter=Q(codes__used=True)),
        void=Count("codes", filter=Q(codes__void=True)),
    )
    return [BatchRow(b, b.total, b.used, b.void) for b in rows]


def batch_of(instance: MethodInstance, pk: int) -> CodeBatch | None:
    return CodeBatch.objects.filter(method_instance=instance, pk=pk).first()


def codes_of(batch: CodeBatch) -> list[VotingCode]:
    return list(VotingCode.objects.filter(batch=batch).order_by("pk"))


# -- results ---------------------------------------------------------------------------------


@dataclass
class ElectionResult:
    district: str
    budget: int
    ballots: int
    cost: int
    rule: str
    cumulative: bool
    shown: bool  # False: fewer than SUPPRESS_BELOW ballots, no numbers shown
    items: list[explain.Explained] = field(default_factory=list)

    @property
    def funded(self) -> list[explain.Explained]:
        return [i for i in self.items if i.funded]

    @property
    def left(self) -> int:
        return self.budget - self.cost


def tallies(instance: MethodInstance) -> list[Tally]:
    return list(Tally.objects.filter(method_instance=instance).order_by("district"))


def titles_of(instance: MethodInstance) -> dict[str, str]:
    return {
        str(n): t
        for n, t in Project.objects.filter(method_instance=instance).values_list("number", "title")
    }


def results(instance: MethodInstance, rules: Rules | None = None) -> list[ElectionResult]:
    """Each counted election with every project explained in the active language, in the
    order of the districts in the settings."""
    chosen = rules or rules_of(instance)
    found = {t.district: t for t in tallies(instance)}
    titles = titles_of(instance)
    order = [d for d, _b in chosen.elections()]
    order += [d for d in found if d not in order]
    out: list[ElectionResult] = []
    for district in order:
        tally = found.get(district)
        if tally is None:
            continue
        result = tally.result
        out.append(
            ElectionResult(
                district=district,
                budget=round(float(result.get("budget", 0))),
                ballots=tally.ballots,
                cost=round(float(result.get("cost", 0))),
                rule=tally.rule,
                cumulative=result.get("vote_type") == "cumulative",
                shown=tally.ballots >= SUPPRESS_BELOW,
                items=explain.explain(result, titles),
            )
        )
    return out


def report_results(instance: MethodInstance) -> list[ElectionResult] | None:
    """The result for the council report, as the results page shows it: None before the
    vote is over, [] while the votes are being counted."""
    rules = rules_of(instance)
    if stage_of(instance, election(instance)) != stages.Stage.RESULTS:
        return None
    return results(instance, rules)


def explained_project(
    instance: MethodInstance, number: int
) -> tuple[ElectionResult, explain.Explained] | None:
    for result in results(instance):
        for item in result.items:
            if item.number == number:
                return result, item
    return None


def funded_projects(instance: MethodInstance) -> list[Project]:
    """Funded projects (the count set their progress), with their updates, newest first."""
    return list(
        Project.objects.filter(method_instance=instance)
        .exclude(delivery="")
        .prefetch_related(
            Prefetch("updates", queryset=ProjectUpdate.objects.order_by("-date", "-pk"))
        )
        .order_by("number")
    )


def update_with_photo(instance: MethodInstance, pk: int) -> ProjectUpdate | None:
    return (
        ProjectUpdate.objects.filter(
            pk=pk, project__method_instance=instance, project__delivery__gt=""
        )
        .exclude(photo="")
        .select_related("project")
        .first()
    )


def all_ideas(instance: MethodInstance) -> QuerySet[Project]:
    """Every project of the instance for the staff export, oldest first."""
    return (
        Project.objects.filter(method_instance=instance)
        .select_related("contribution", "merged_into")
        .order_by("number")
    )
