"""Survey downloads, served by the core at ``<instance>/eksport/<key>/`` after its checks:
the staff CSV (one row per answer set) and the public results CSV (counts, small groups hidden).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.processes.models import MethodInstance

from . import queries
from .models import Question, QuestionKind

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


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


def csv_lines(instance: MethodInstance) -> Iterator[str]:
    questions = queries.questions(instance)
    writer = csv.writer(_Echo())
    header: list[str] = [_("Answer set"), _("Received"), _("Channel")]
    header += [q.text for q in questions]
    yield "\ufeff" + writer.writerow([safe_cell(h) for h in header])
    for contribution in queries.export_rows(instance):
        by_question: dict[int, list[Any]] = {}
        for answer in contribution.survey_answers.all():
            by_question.setdefault(answer.question_id, []).append(answer)
        row: list[Any] = [
            contribution.pk,
            timezone.localtime(contribution.created_at).isoformat(timespec="seconds"),
            contribution.channel,
        ]
        row += [_answer_cell(q, by_question.get(q.pk, [])) for q in questions]
        yield writer.writerow([safe_cell(c) for c in row])


def results_lines(instance: MethodInstance) -> Iterator[str]:
    """What the public results page shows, as rows: free text is never in it, and a
    demographic group under the suppression limit is an empty count marked hidden."""
    data = queries.results(instance)
    writer = csv.writer(_Echo())
    header = [
        _("Question"),
        _("Demographic"),
        _("Option"),
        _("Count"),
        _("Share"),
        _("Points"),
        _("Answered the question"),
        _("Hidden (fewer than %(n)s)") % {"n": queries.SUPPRESS_BELOW},
    ]
    yield "\ufeff" + writer.writerow([safe_cell(h) for h in header])
    for result in data.results:
        question = result.question
        if question.kind == QuestionKind.TEXT:
            continue
        for row in result.rows:
            yield writer.writerow(
                [
                    safe_cell(c)
                    for c in (
                        question.text,
                        "1" if question.is_demographic else "0",
                        row.label,
                        "" if row.count is None else row.count,
                        "" if row.share is None else f"{row.share:.4f}",
                        "" if row.points is None else row.points,
                        "" if result.too_few else result.respondents,
                        "1" if row.suppressed else "0",
                    )
                ]
            )


def _download(lines: Iterable[str], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def answers_csv(request: HttpRequest, instance: MethodInstance) -> StreamingHttpResponse:
    """The staff export (the core has checked ``export``): streamed, never cached."""
    response = _download(csv_lines(instance), f"{instance.process.slug}-{instance.slug}-svar.csv")
    response["Cache-Control"] = "private, no-store"
    return response


def results_csv(request: HttpRequest, instance: MethodInstance) -> StreamingHttpResponse:
    """The public results as open data (offered only when the results are public)."""
    return _download(
        results_lines(instance), f"{instance.process.slug}-{instance.slug}-resultat.csv"
    )
