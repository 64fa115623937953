"""Read the kommune's population by district: a CSV the kommune makes itself (from
Folkeregisteret, its planning office, or SSB's grunnkrets figures).

One line per district, and optionally per sex and age (one-year or a band)::

    krins;kjønn;alder;personar
    Lillevik sentrum;Kvinner;0-12;85
    Lillevik sentrum;Menn;67 år eller eldre;40
    Nordvik;;;900

Columns are found by their header (Norwegian or English: krins / district / grunnkrets /
bydel / område; kjønn / sex; alder / age / aldersgruppe; personar / personer / antall /
count), separated by semicolons, commas or tabs; the encoding as for SSB's files. A sex of
"Begge kjønn" or empty, an age of "Alle aldre" or empty means all. Lines that cannot be read
are left out with the reason; a file with none that can is refused. Pure Python.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from medvirk.algorithms.population.ssb07459 import SEX_WORDS, SUPPRESSED, TOTAL_WORDS, decode
from medvirk.algorithms.representation import read_age_range

MAX_NAME = 100
MAX_COUNT = 10_000_000

DISTRICT_HEADERS = {
    "krins",
    "district",
    "grunnkrets",
    "bydel",
    "område",
    "omrade",
    "skulekrins",
    "skolekrets",
    "delområde",
    "grend",
}
SEX_HEADERS = {"kjønn", "kjonn", "sex", "kjønn/sex"}
AGE_HEADERS = {"alder", "age", "aldersgruppe", "age band", "age group", "aldersgrupper"}
COUNT_HEADERS = {
    "personar",
    "personer",
    "antall",
    "antal",
    "tal",
    "count",
    "people",
    "folketal",
    "folketall",
    "innbyggjarar",
    "innbyggere",
    "inhabitants",
    "population",
}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


class DistrictCsvError(ValueError):
    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)


@dataclass(frozen=True)
class DistrictRow:
    district: str
    sex: str  # "female", "male", "" both
    age_from: int | None
    age_to: int | None
    count: int
    line: int


@dataclass(frozen=True)
class Skipped:
    line: int
    code: str
    text: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Parsed:
    rows: list[DistrictRow]
    skipped: list[Skipped]


def _fold(cell: str) -> str:
    return _SPACES.sub(" ", cell.strip().strip('"').strip()).casefold()


def _header(cells: list[str]) -> tuple[int, int | None, int | None, int] | None:
    folded = [_fold(c) for c in cells]

    def find(names: set[str]) -> int | None:
        return next((i for i, c in enumerate(folded) if c in names), None)

    district, count = find(DISTRICT_HEADERS), find(COUNT_HEADERS)
    if district is None or count is None:
        return None
    return district, find(SEX_HEADERS), find(AGE_HEADERS), count


def _sex(cell: str) -> str:
    raw = _fold(cell)
    if not raw or raw in TOTAL_WORDS:
        return ""
    code = SEX_WORDS.get(raw) or SEX_WORDS.get(raw.partition(" ")[0])
    if code is None:
        raise DistrictCsvError("bad_sex", value=cell.strip())
    return "female" if code == "2" else "male"


def _age(cell: str) -> tuple[int | None, int | None]:
    raw = _fold(cell)
    if not raw or raw in TOTAL_WORDS:
        return None, None
    if raw.isdigit():
        return int(raw), int(raw)
    single = re.match(r"^(\d{1,3})\s*(?:år|years?)?$", raw)
    if single:
        return int(single.group(1)), int(single.group(1))
    found = read_age_range(raw)
    if found is None:
        raise DistrictCsvError("bad_age", value=cell.strip())
    return found


def _count(cell: str) -> int:
    raw = _SPACES.sub("", cell.strip())
    if raw in SUPPRESSED:
        raise DistrictCsvError("suppressed", value=raw)
    if raw in {"-", "–"}:
        return 0
    if not raw.isascii() or not raw.isdigit() or int(raw) > MAX_COUNT:
        raise DistrictCsvError("bad_value", value=cell.strip())
    return int(raw)


def parse(data: bytes) -> Parsed:
    text, _encoding = decode(data)
    if not text.strip():
        raise DistrictCsvError("empty")
    for delimiter in (";", ",", "\t"):
        try:
            lines = [
                (n, cells)
                for n, cells in enumerate(
                    csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1
                )
                if any(c.strip() for c in cells)
            ]
        except csv.Error:
            continue
        for index, (_n, cells) in enumerate(lines):
            header = _header(cells)
            if header is not None:
                return _rows(lines[index + 1 :], header)
    raise DistrictCsvError("no_header")


def _rows(
    lines: list[tuple[int, list[str]]], header: tuple[int, int | None, int | None, int]
) -> Parsed:
    district_at, sex_at, age_at, count_at = header
    needed = max(i for i in header if i is not None)
    rows: list[DistrictRow] = []
    skipped: list[Skipped] = []
    seen: dict[tuple[str, str, int | None, int | None], int] = {}
    for line, cells in lines:
        snippet = ";".join(c.strip() for c in cells)[:80]
        if len(cells) <= needed:
            skipped.append(Skipped(line, "short", snippet))
            continue
        name = " ".join(cells[district_at].split())
        if not name or len(name) > MAX_NAME:
            skipped.append(Skipped(line, "bad_district", snippet, {"max": MAX_NAME}))
            continue
        try:
            sex = _sex(cells[sex_at]) if sex_at is not None else ""
            age_from, age_to = _age(cells[age_at]) if age_at is not None else (None, None)
            count = _count(cells[count_at])
        except DistrictCsvError as why:
            skipped.append(Skipped(line, why.code, snippet, why.params))
            continue
        key = (name.casefold(), sex, age_from, age_to)
        if key in seen:
            skipped.append(Skipped(line, "duplicate", snippet, {"first": seen[key]}))
            continue
        seen[key] = line
        rows.append(DistrictRow(name, sex, age_from, age_to, count, line))
    if not rows:
        raise DistrictCsvError("no_rows")
    return Parsed(rows, skipped)


def district_totals(
    rows: Iterable[tuple[str, str, int | None, int]],
) -> dict[str, tuple[str, int]]:
    """Folded name -> (name, inhabitants) from lines of (district, sex, age_from, count).

    A district's all-ages, both-sexes line when it has one; else the sum of its lines by
    sex and age, else by sex, else by age: never two kinds of line added together."""
    grouped: dict[str, list[tuple[str, str, int | None, int]]] = {}
    for row in rows:
        grouped.setdefault(" ".join(row[0].split()).casefold(), []).append(row)
    found: dict[str, tuple[str, int]] = {}
    for key, mine in grouped.items():
        whole = [r for r in mine if not r[1] and r[2] is None]
        if whole:
            found[key] = (mine[0][0], whole[0][3])
            continue
        for has_sex, has_age in ((True, True), (True, False), (False, True)):
            chosen = [r for r in mine if bool(r[1]) == has_sex and (r[2] is not None) == has_age]
            if chosen:
                found[key] = (mine[0][0], sum(r[3] for r in chosen))
                break
    return found
