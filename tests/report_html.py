"""Reading the HTML of a council-report section in tests: its words, its tables, a row."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser


class _Tables(HTMLParser):
    """Every table's rows as lists of cell texts (spaces collapsed)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            if not self.tables:
                self.tables.append([])
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def rows(html: str) -> list[list[str]]:
    """Every table row's cells as text, all tables in order."""
    return [row for table in tables(html) for row in table]


def text(html: str) -> str:
    """The words of the section, without tags, with spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def row(html: str, label: str) -> list[str]:
    """The cells of the first table row headed ``label``."""
    match = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', html, re.S)
    assert match, label
    return [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)]
