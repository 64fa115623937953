"""Who took part, as open data: the public figures of the case's "who took part" page and its
themes per group, as CSV and JSON (NLOD 2.0). Exactly what the public page shows: every
count under 5 hidden, with secondary suppression; a hidden count is empty (CSV) or null
(JSON), never the number."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse

from medvirk.accountability.open_data import LICENCE, LICENCE_URL
from medvirk.core.csvfiles import csv_download
from medvirk.processes import lookups
from medvirk.processes.models import Process

from . import queries, themes

COLUMNS = (
    "table",
    "group",
    "label",
    "count",
    "share_of_inhabitants",
    "expected",
    "ratio",
    "under_heard",
)
THEME_COLUMNS = ("table", "theme", "group", "label", "count")


def _line_records(report: queries.Report) -> Iterator[dict[str, Any]]:
    for line in [*report.lines, report.method_line, report.channels]:
        for row in line.rows:
            yield {
                "table": line.key,
                "group": row.key,
                "label": row.label,
                "count": row.count,
                "share_of_inhabitants": None if row.share is None else round(row.share, 4),
                "expected": None if row.expected is None else round(row.expected, 1),
                "ratio": None if row.ratio is None else round(row.ratio, 2),
                "under_heard": row.under_heard,
            }
        yield {
            "table": line.key,
            "group": "total",
            "label": "",
            "count": line.total,
            "share_of_inhabitants": None,
            "expected": None,
            "ratio": None,
            "under_heard": False,
        }


def _theme_records(groups: themes.ThemeGroups) -> Iterator[dict[str, Any]]:
    for table in groups.tables:
        for row in table.rows:
            for column, count in zip(table.columns, row.cells, strict=True):
                yield {
                    "table": table.key,
                    "theme": row.name,
                    "group": column.key,
                    "label": column.label,
                    "count": count,
                }


def _figures(process: Process) -> tuple[queries.Report, themes.ThemeGroups]:
    return queries.report(process, public=True), themes.theme_groups(process, public=True)


def _name(process: Process, extension: str) -> str:
    return f"kven-deltok-{process.municipality.slug}-{process.slug}.{extension}"


def who_csv(request: HttpRequest, municipality: str, slug: str) -> StreamingHttpResponse:
    process = lookups.public_process(request, municipality, slug)
    report, _groups = _figures(process)
    rows = ([record[name] for name in COLUMNS] for record in _line_records(report))
    return csv_download(chain([list(COLUMNS)], rows), _name(process, "csv"))


def who_json(request: HttpRequest, municipality: str, slug: str) -> HttpResponse:
    process = lookups.public_process(request, municipality, slug)
    report, groups = _figures(process)
    population = report.population
    body = {
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "publisher": process.municipality.name,
        "case": {
            "title": process.title,
            "url": request.build_absolute_uri(process.get_absolute_url()),
        },
        "suppression": "Counts under 5 are null, and so is any count that would reveal one.",
        "population": None
        if population is None
        else {"source": population.source, "year": population.year},
        "participants": report.total,
        "groups": list(_line_records(report)),
        "themes": list(_theme_records(groups)),
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'inline; filename="{_name(process, "json")}"'
    return response
