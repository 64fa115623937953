"""The case's own open data (beside the methods' files): its published input with the
municipality's answers as CSV and as JSON, licensed NLOD 2.0 (``accountability.open_data``)."""

from __future__ import annotations

from dataclasses import asdict
from itertools import chain

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse

from medvirk.accountability import open_data
from medvirk.core.csvfiles import csv_download
from medvirk.processes import lookups


def input_csv(request: HttpRequest, municipality: str, slug: str) -> StreamingHttpResponse:
    process = lookups.public_process(request, municipality, slug)
    rows = (record.row() for record in open_data.input_records(process))
    return csv_download(
        chain([list(open_data.COLUMNS)], rows),
        f"innspel-og-svar-{process.municipality.slug}-{process.slug}.csv",
    )


def input_json(request: HttpRequest, municipality: str, slug: str) -> HttpResponse:
    process = lookups.public_process(request, municipality, slug)
    body = {
        "licence": open_data.LICENCE,
        "licence_url": open_data.LICENCE_URL,
        "publisher": process.municipality.name,
        "case": {
            "title": process.title,
            "url": request.build_absolute_uri(process.get_absolute_url()),
        },
        "items": [asdict(record) for record in open_data.input_records(process)],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = (
        f'inline; filename="innspel-og-svar-{process.municipality.slug}-{process.slug}.json"'
    )
    return response
