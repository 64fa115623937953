"""The public results CSV, served by the core at ``<instance>/eksport/resultat-csv/``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _

from medvirk.core.csvfiles import csv_download
from medvirk.processes.types import MethodInstance

from . import actions, queries


def results_public(instance: MethodInstance) -> bool:
    """Open data once everyone may see the results: when the poll has closed. Before that,
    "after voting" shows them only to those who voted, so a file for all would undo it."""
    return actions.is_closed(instance)


def result_rows(instance: MethodInstance) -> Iterator[list[Any]]:
    """What the public results show: per option, its count and share; small counts hidden."""
    data = queries.results(instance)
    question = data.question.text if data.question else ""
    yield [
        _("Question"),
        _("Option"),
        _("Votes"),
        _("Share"),
        _("Votes in all"),
        _("Hidden (fewer than %(n)s)") % {"n": queries.SUPPRESS_BELOW},
    ]
    for row in data.rows:
        yield [
            question,
            row.label,
            "" if row.count is None else row.count,
            "" if row.share is None else f"{row.share:.4f}",
            data.total,
            "1" if row.suppressed else "0",
        ]


def results_csv(request: HttpRequest, instance: MethodInstance) -> StreamingHttpResponse:
    return csv_download(
        result_rows(instance), f"{instance.process.slug}-{instance.slug}-resultat.csv"
    )
