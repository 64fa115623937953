"""Reads of the survey. Results are counted by the database: a fixed number of queries
whatever the number of answer sets (see tests/methods/survey/test_results.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, QuerySet

from medvirk.contributions.models import Contribution, ModerationState
from medvirk.processes.models import MethodInstance

from .actions import KIND
from .models import SCALE_MAX, SCALE_MIN, Answer, Question, QuestionKind

# Published statistics about people hide every group smaller than this.
SUPPRESS_BELOW = 5


def questions(instance: MethodInstance) -> list[Question]:
    return list(Question.objects.filter(method_instance=instance))


def answer_sets(instance: MethodInstance) -> QuerySet[Contribution]:
    """Answer sets that count: every one but those a moderator rejected."""
    return Contribution.objects.filter(method_instance=instance, kind=KIND).exclude(
        moderation=ModerationState.REJECTED
    )


def answer_set(instance: MethodInstance, pk: int) -> Contribution | None:
    return Contribution.objects.filter(pk=pk, method_instance=instance, kind=KIND).first()


def own_answer_set(
    instance: MethodInstance, user: AbstractBaseUser | AnonymousUser
) -> Contribution | None:
    """The logged-in person's own answer set to the survey, if they gave one."""
    if not user.is_authenticated:
        return None
    return (
        Contribution.objects.filter(method_instance=instance, kind=KIND, author_id=user.pk)
        .order_by("created_at", "pk")
        .first()
    )


def _answers(instance: MethodInstance) -> QuerySet[Answer]:
    return Answer.objects.filter(
        question__method_instance=instance, contribution__kind=KIND
    ).exclude(contribution__moderation=ModerationState.REJECTED)


@dataclass
class Row:
    key: str
    label: str
    count: int | None  # None when hidden because the group is small
    share: float | None = None  # of those who answered the question, 0..1
    mean_rank: float | None = None
    points: int | None = None  # Borda points: n-1 for first place … 0 for last
    firsts: int | None = None

    @property
    def suppressed(self) -> bool:
        return self.count is None

    @property
    def percent(self) -> str:
        return "" if self.share is None else f"{self.share * 100:.0f} %"


@dataclass
class QuestionResult:
    question: Question
    respondents: int
    rows: list[Row] = field(default_factory=list)
    mean: float | None = None
    too_few: bool = False  # a demographic question with fewer than SUPPRESS_BELOW answers
    chart: str = ""

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def any_suppressed(self) -> bool:
        return any(r.suppressed for r in self.rows)


@dataclass
class SurveyResults:
    total: int
    results: list[QuestionResult]

    @property
    def main(self) -> list[QuestionResult]:
        return [r for r in self.results if not r.question.is_demographic]

    @property
    def demographic(self) -> list[QuestionResult]:
        return [r for r in self.results if r.question.is_demographic]


def results(instance: MethodInstance) -> SurveyResults:
    """Counts, shares, means and rankings of every question, in four queries."""
    qs = questions(instance)
    total = answer_sets(instance).count()
    respondents = dict(
        _answers(instance)
        .values_list("question_id")
        .annotate(n=Count("contribution_id", distinct=True))
        .order_by()
    )
    grouped: dict[int, list[tuple[str, int | None, int | None, int]]] = defaultdict(list)
    for qid, choice, value, rank, n in (
        _answers(instance)
        .exclude(question__kind=QuestionKind.TEXT)
        .values_list("question_id", "choice", "value", "rank")
        .annotate(n=Count("id"))
        .order_by()
    ):
        grouped[qid].append((choice, value, rank, n))
    out = []
    for question in qs:
        answered = respondents.get(question.pk, 0)
        result = QuestionResult(question=question, respondents=answered)
        cells = grouped.get(question.pk, [])
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            _choices(result, cells)
        elif question.kind == QuestionKind.SCALE:
            _scale(result, cells)
        elif question.kind == QuestionKind.RANKING:
            _ranking(result, cells)
        if question.is_demographic:
            _suppress(result)
        out.append(result)
    return SurveyResults(total=total, results=out)


def results_public(instance: MethodInstance) -> bool:
    """Staff chose to show the results to everyone (else only staff see them)."""
    return bool(instance.settings.get("results_public", False))


def report_results(instance: MethodInstance) -> SurveyResults | None:
    """The results for the council report: what the public results page shows (the same
    counts, small demographic groups hidden), or None while the results are not public."""
    return results(instance) if results_public(instance) else None


def _share(count: int, of: int) -> float | None:
    return count / of if of else None


def _choices(result: QuestionResult, cells: list[tuple[str, int | None, int | None, int]]) -> None:
    counts = {choice: n for choice, _v, _r, n in cells}
    question = result.question
    result.rows = [
        Row(
            key=key,
            label=question.option_label(key),
            count=counts.get(key, 0),
            share=_share(counts.get(key, 0), result.respondents),
        )
        for key in question.option_keys()
    ]


def _scale(result: QuestionResult, cells: list[tuple[str, int | None, int | None, int]]) -> None:
    counts = {value: n for _c, value, _r, n in cells if value is not None}
    question = result.question
    result.rows = []
    for v in range(SCALE_MIN, SCALE_MAX + 1):
        words = question.scale_label(v)
        result.rows.append(
            Row(
                key=str(v),
                label=f"{v} – {words}" if words else str(v),
                count=counts.get(v, 0),
                share=_share(counts.get(v, 0), result.respondents),
            )
        )
    answered = sum(counts.values())
    if answered:
        result.mean = sum(v * n for v, n in counts.items()) / answered


def _ranking(result: QuestionResult, cells: list[tuple[str, int | None, int | None, int]]) -> None:
    question = result.question
    keys = question.option_keys()
    size = len(keys)
    by_key: dict[str, dict[int, int]] = defaultdict(dict)
    for choice, _v, rank, n in cells:
        if rank is not None:
            by_key[choice][rank] = n
    rows = []
    for key in keys:
        ranks = by_key.get(key, {})
        times = sum(ranks.values())
        rows.append(
            Row(
                key=key,
                label=question.option_label(key),
                count=times,
                mean_rank=(sum(r * n for r, n in ranks.items()) / times) if times else None,
                points=sum((size - r) * n for r, n in ranks.items()),
                firsts=ranks.get(1, 0),
            )
        )
    rows.sort(key=lambda r: (-(r.points or 0), r.mean_rank or 0, r.label))
    result.rows = rows


def _suppress(result: QuestionResult) -> None:
    """Hide small groups so that no published number points at a few people.

    Fewer than SUPPRESS_BELOW answers in all: nothing is shown. Otherwise every cell below
    the limit is hidden, and if only one would be hidden, the next smallest is hidden too,
    so the hidden one cannot be worked out from the total.
    """
    if result.respondents < SUPPRESS_BELOW:
        result.too_few = True
        result.rows = []
        return
    small = [r for r in result.rows if r.count and r.count < SUPPRESS_BELOW]
    if len(small) == 1:
        others = sorted(
            (r for r in result.rows if r.count and r is not small[0]), key=lambda r: r.count or 0
        )
        if others:
            small.append(others[0])
    for row in small:
        row.count = None
        row.share = None


# --- export ---------------------------------------------------------------------------


def export_rows(instance: MethodInstance, chunk_size: int = 500) -> Iterator[Contribution]:
    """Every answer set with its answers, read in chunks (memory stays flat)."""
    return (
        answer_sets(instance)
        .order_by("pk")
        .prefetch_related(Prefetch("survey_answers", queryset=Answer.objects.order_by("pk")))
        .iterator(chunk_size=chunk_size)
    )
