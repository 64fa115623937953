"""Survey downloads, served by the core at ``<instance>/eksport/<key>/`` after its checks:
the staff CSV (one row per answer set) and the public results CSV (counts, small groups hidden).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.core.csvfiles import csv_download
from medvirk.processes.types import MethodInstance

from . import queries
from .models import Question, QuestionKind


def _answer_cell(question: Question, rows: list[Any]) -> str:
    if not rows:
        return ""
    if question.kind == QuestionKind.SCALE:
        return str(rows[0].value)
    if question.kind == QuestionKind.TEXT:
        return str(rows[0].text)
    if question.kind == QuestionKind.RANKING:
        return " > ".join(
            question.option_label(a.choice) for a in sorted(rows, key=lambda a: a.rank)
        )
    order = {k: i for i, k in enumerate(question.option_keys())}
    chosen = sorted(rows, key=lambda a: order.get(a.choice, 99))
    return "; ".join(question.option_label(a.choice) for a in chosen)


def answer_rows(instance: MethodInstance) -> Iterator[list[Any]]:
    """A header, then one row per answer set (read in chunks: memory stays flat)."""
    questions = queries.questions(instance)
    yield [_("Answer set"), _("Received"), _("Channel"), *(q.text for q in questions)]
    for contribution in queries.export_rows(instance):
        by_question: dict[int, list[Any]] = {}
        for answer in contribution.survey_answers.all():
            by_question.setdefault(answer.question_id, []).append(answer)
        yield [
            contribution.pk,
            timezone.localtime(contribution.created_at).isoformat(timespec="seconds"),
            contribution.channel,
            *(_answer_cell(q, by_question.get(q.pk, [])) for q in questions),
        ]


def result_rows(instance: MethodInstance) -> Iterator[list[Any]]:
    """What the public results page shows, as rows: free text is never in it, and a
    demographic group under the suppression limit is an empty count marked hidden."""
    data = queries.results(instance)
    yield [
        _("Question"),
        _("Demographic"),
        _("Option"),
        _("Count"),
        _("Share"),
        _("Points"),
        _("Answered the question"),
        _("Hidden (fewer than %(n)s)") % {"n": queries.SUPPRESS_BELOW},
    ]
    for result in data.results:
        question = result.question
        if question.kind == QuestionKind.TEXT:
            continue
        for row in result.rows:
            yield [
                question.text,
                "1" if question.is_demographic else "0",
                row.label,
                "" if row.count is None else row.count,
                "" if row.share is None else f"{row.share:.4f}",
                "" if row.points is None else row.points,
                "" if result.too_few else result.respondents,
                "1" if row.suppressed else "0",
            ]


def answers_csv(request: HttpRequest, instance: MethodInstance) -> StreamingHttpResponse:
    """The staff export (the core has checked ``export``): streamed, never cached."""
    filename = f"{instance.process.slug}-{instance.slug}-svar.csv"
    return csv_download(answer_rows(instance), filename, private=True)


def results_csv(request: HttpRequest, instance: MethodInstance) -> StreamingHttpResponse:
    """The public results as open data (offered only when the results are public)."""
    return csv_download(
        result_rows(instance), f"{instance.process.slug}-{instance.slug}-resultat.csv"
    )
