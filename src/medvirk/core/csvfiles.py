"""CSV downloads every method can offer: cells a spreadsheet shows as text and never runs as
formulas, UTF-8 with a byte-order mark (so spreadsheet programs read æ, ø, å), streamed."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """Each row as one CSV line of safe cells; the first line starts with the byte-order mark."""
    writer = csv.writer(_Echo())
    first = True
    for row in rows:
        line = writer.writerow([safe_cell(c) for c in row])
        yield ("\ufeff" + line) if first else line
        first = False


def csv_download(
    rows: Iterable[Iterable[object]], filename: str, *, private: bool = False
) -> StreamingHttpResponse:
    """A streamed CSV attachment; ``private`` for personal or unpublished data (never cached)."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
