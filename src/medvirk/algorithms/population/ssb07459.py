"""Read SSB table 07459 ("Befolkning, etter region, kjønn, alder og år") as downloaded.

StatBank (https://www.ssb.no/statbank/table/07459) saves the table as CSV in several ways,
and a case officer may have opened and saved it again in a spreadsheet. This reads all of
them:

* separated by semicolons, commas or tabs, cells quoted or not;
* UTF-8 with or without a byte-order mark, or Windows-1252 / Latin-1 (a spreadsheet's
  "CSV" on Windows);
* a title line and blank lines before the header, notes after the table;
* the **long** layout, one number per line::

      "region";"kjønn";"alder";"år";"Personer"
      "3901 Horten";"Menn";"018 18 år";"2024";331

* and the **wide** layout, one column per year::

      "region";"kjønn";"alder";"Personer 2023";"Personer 2024"
      "K-3901 Horten";"2";"18 år";317;322

Region as "3901 Horten", "K-3901 Horten" or only the code; sex as 1/2 or Menn/Kvinner
(Males/Females); age as "018", "18 år", "018 18 år" or "105 år eller eldre" (SSB's top
group, read as 105). SSB's symbols for a number that is not given (":" confidential,
"." not possible, ".." not available) and rows that are totals ("Begge kjønn", "Alle
aldre") are skipped and reported with the reason, line by line, never guessed; "-" is SSB's
"nothing" and counts as 0. Empty lines are skipped without a word.

:func:`parse` returns the rows and the skipped lines; :func:`aggregate` sums one kommune's
rows for one year into age bands and the two sexes. Pure Python, no Django: messages are in
English with a ``code`` and ``params`` so an application can say them in its own language.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_AGE = 130
TOP_AGE = 105  # "105 år eller eldre": SSB's last, open age group
# Shown with a skipped line: enough to recognise it, not the whole of a broken file.
SNIPPET = 80

SEX_WORDS = {
    "1": "1",
    "menn": "1",
    "mann": "1",
    "males": "1",
    "male": "1",
    "men": "1",
    "man": "1",
    "m": "1",
    "2": "2",
    "kvinner": "2",
    "kvinne": "2",
    "females": "2",
    "female": "2",
    "women": "2",
    "woman": "2",
    "k": "2",
    "f": "2",
}
TOTAL_WORDS = {
    "0",
    "begge kjønn",
    "begge kjonn",
    "both sexes",
    "alle",
    "all",
    "i alt",
    "total",
    "totalt",
    "sum",
    "alle aldre",
    "all ages",
    "999",
    "999d",
}

REGION_HEADERS = {"region", "kommune", "kommunenummer", "region code", "regionkode"}
SEX_HEADERS = {"kjønn", "kjonn", "sex", "kjønn/sex", "kjonn/sex"}
AGE_HEADERS = {"alder", "age", "alder/age"}
YEAR_HEADERS = {"år", "ar", "tid", "year", "time", "år/year"}
CONTENTS_HEADERS = {
    "statistikkvariabel",
    "contents",
    "contentscode",
    "statistical variable",
    "statistikkvariabel/contents",
}
SUPPRESSED = {":", ".", "..", "..."}

_REGION = re.compile(r"^(?:k-)?(\d{4})(?:\s+(.*))?$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_YEAR_IN_HEADER = re.compile(r"(?<!\d)((?:18|19|20)\d{2})(?!\d)")
_AGE = re.compile(r"^(\d{1,3})(?:\s+(\d{1,3}))?(.*)$")
_AGE_RANGE = re.compile(r"^\s*[-–]\s*\d")
_AGE_REST = re.compile(
    r"^\s*(?:år|years?|y)?\s*(?:\+|eller eldre|eller mer|and over|or older|and older)?\s*$",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def _english(code: str, params: dict[str, Any]) -> str:
    texts = {
        # skipped lines
        "suppressed": "no number given (SSB's symbol '{value}'): left out",
        "total": "a total ({value}), not one sex and one age: left out",
        "bad_region": "region '{value}' is not a kommune with a four-digit number",
        "bad_sex": "sex '{value}' is neither men (1) nor women (2)",
        "bad_age": "age '{value}' is not a one-year age",
        "bad_year": "year '{value}' is not a year",
        "bad_value": "number '{value}' is not a whole number of people",
        "short": "the line has {found} cells, the header {expected}",
        "not_data": "not a line of the table",
        "duplicate": "the same kommune, sex, age and year as line {first}",
        # the whole file
        "empty": "the file is empty",
        "too_big": "the file is larger than {limit} bytes",
        "no_header": (
            "no header with the columns region, kjønn (sex) and alder (age) was found: "
            "download table 07459 as CSV with the variable names"
        ),
        "no_year": "no year column ('år') and no column headed with a year",
        "no_rows": "the file has a header but no numbers that could be read",
        "region_missing": "kommune {kommunenummer} is not in the file (it has: {found})",
        "year_missing": "the file has no numbers for kommune {kommunenummer} in {year}",
        "no_bands": "no age bands to sum into",
    }
    return texts[code].format(**params)


@dataclass(frozen=True)
class Skipped:
    """A line left out, and why (``code`` for translation, ``message`` in English)."""

    line: int
    code: str
    text: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return _english(self.code, self.params)


class Ssb07459Error(ValueError):
    """The file as a whole cannot be used; ``code`` and ``params`` say why."""

    def __init__(self, code: str, line: int | None = None, **params: Any) -> None:
        self.code = code
        self.line = line
        self.params = params
        where = f"line {line}: " if line is not None else ""
        super().__init__(where + _english(code, params))


@dataclass(frozen=True)
class Row:
    """One number of the table: people of one sex and one-year age in one kommune and year."""

    kommunenummer: str
    region_name: str
    sex: str  # "1" men, "2" women (SSB's codes)
    age: int  # 105 is "105 years or older"
    year: int
    count: int
    line: int


@dataclass(frozen=True)
class Parsed:
    rows: list[Row]
    skipped: list[Skipped]
    layout: str  # "long" or "wide"
    encoding: str
    delimiter: str

    def regions(self) -> dict[str, str]:
        """Kommunenummer -> name, in file order."""
        found: dict[str, str] = {}
        for row in self.rows:
            found.setdefault(row.kommunenummer, row.region_name)
        return found

    def years(self, kommunenummer: str | None = None) -> list[int]:
        return sorted(
            {r.year for r in self.rows if kommunenummer is None or r.kommunenummer == kommunenummer}
        )


# --- reading the text --------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was in: UTF-8 (BOM or not), else Windows-1252/Latin-1."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _fold(cell: str) -> str:
    return _SPACES.sub(" ", cell.strip().strip('"').strip()).casefold()


@dataclass(frozen=True)
class _Header:
    line: int
    width: int
    region: int
    sex: int
    age: int
    year: int | None  # long layout
    value: int | None  # long layout
    year_columns: dict[int, int]  # wide layout: column -> year


def _find_header(rows: list[tuple[int, list[str]]]) -> tuple[int, _Header] | None:
    for index, (line, cells) in enumerate(rows):
        folded = [_fold(c) for c in cells]

        def column(names: set[str], folded: list[str] = folded) -> int | None:
            for i, cell in enumerate(folded):
                if cell in names:
                    return i
            return None

        region, sex, age = column(REGION_HEADERS), column(SEX_HEADERS), column(AGE_HEADERS)
        if region is None or sex is None or age is None:
            continue
        year = column(YEAR_HEADERS)
        contents = column(CONTENTS_HEADERS)
        taken = {region, sex, age, year, contents}
        rest = [i for i in range(len(cells)) if i not in taken and folded[i]]
        if year is not None:
            value = rest[0] if rest else None
            if value is None:
                raise Ssb07459Error("no_rows", line)
            return index, _Header(line, len(cells), region, sex, age, year, value, {})
        year_columns: dict[int, int] = {}
        for i in rest:
            found = _YEAR_IN_HEADER.search(folded[i])
            if found:
                year_columns[i] = int(found.group(1))
        if not year_columns:
            raise Ssb07459Error("no_year", line)
        return index, _Header(line, len(cells), region, sex, age, None, None, year_columns)
    return None


def _table(text: str) -> tuple[str, int, _Header, list[tuple[int, list[str]]]]:
    """The delimiter, the header and the rows after it (blank rows left out)."""
    best: tuple[str, int, _Header, list[tuple[int, list[str]]]] | None = None
    first_error: Ssb07459Error | None = None
    for delimiter in (";", ",", "\t"):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows: list[tuple[int, list[str]]] = []
        line = 1
        try:
            for cells in reader:
                if any(c.strip() for c in cells):
                    rows.append((line, cells))
                line = reader.line_num + 1
        except csv.Error:
            continue
        try:
            found = _find_header(rows)
        except Ssb07459Error as error:
            first_error = first_error or error
            continue
        if found is None:
            continue
        index, header = found
        if best is None or header.width > best[2].width:
            best = (delimiter, index, header, rows[index + 1 :])
    if best is None:
        raise first_error or Ssb07459Error("no_header")
    return best


# --- one cell at a time -------------------------------------------------------------------


def _snippet(cells: Sequence[str], delimiter: str) -> str:
    text = delimiter.join(c.strip() for c in cells)
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


class _Skip(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params


def _region(cell: str) -> tuple[str, str]:
    raw = _SPACES.sub(" ", cell.strip())
    found = _REGION.match(raw)
    if not found:
        if raw.casefold() in TOTAL_WORDS or "hele landet" in raw.casefold():
            raise _Skip("total", value=raw)
        raise _Skip("bad_region", value=raw)
    return found.group(1), (found.group(2) or "").strip()


def _sex(cell: str) -> str:
    raw = _fold(cell)
    if raw in TOTAL_WORDS:
        raise _Skip("total", value=cell.strip())
    code = SEX_WORDS.get(raw)
    if code is None:
        # "1 Menn", "2 Kvinner": the code first.
        first, _sep, _rest = raw.partition(" ")
        if first in TOTAL_WORDS:
            raise _Skip("total", value=cell.strip())
        code = SEX_WORDS.get(first) if first in {"1", "2"} else None
    if code is None:
        raise _Skip("bad_sex", value=cell.strip())
    return code


def _age(cell: str) -> int:
    raw = _fold(cell)
    if raw in TOTAL_WORDS:
        raise _Skip("total", value=cell.strip())
    found = _AGE.match(raw)
    if not found:
        raise _Skip("bad_age", value=cell.strip())
    first, second, rest = found.group(1), found.group(2), found.group(3)
    if first == "999":
        raise _Skip("total", value=cell.strip())
    if _AGE_RANGE.match(rest) or (second is not None and int(second) != int(first)):
        raise _Skip("bad_age", value=cell.strip())
    if not _AGE_REST.match(rest):
        raise _Skip("bad_age", value=cell.strip())
    age = int(first)
    if age > MAX_AGE:
        raise _Skip("bad_age", value=cell.strip())
    return age


def _year(cell: str) -> int:
    raw = cell.strip()
    found = _YEAR.match(raw)
    if not found:
        raise _Skip("bad_year", value=raw)
    return int(found.group(1))


def _count(cell: str) -> int:
    raw = _SPACES.sub("", cell.strip())
    if raw in SUPPRESSED:
        raise _Skip("suppressed", value=raw)
    if raw in {"-", "–"}:
        return 0  # SSB: "nothing to report", exactly zero
    number = raw[:-2] if raw.endswith((".0", ",0")) else raw
    if not number.isascii() or not number.isdigit():
        raise _Skip("bad_value", value=cell.strip())
    return int(number)


# --- the whole file ----------------------------------------------------------------------


def parse(data: bytes | str, *, max_bytes: int | None = None) -> Parsed:
    """Read a 07459 download. Raises :class:`Ssb07459Error` when nothing can be used;
    lines that cannot be read are in ``skipped`` with the reason."""
    if isinstance(data, bytes):
        if max_bytes is not None and len(data) > max_bytes:
            raise Ssb07459Error("too_big", limit=max_bytes)
        text, encoding = decode(data)
    else:
        text, encoding = data.lstrip("\ufeff"), "text"
    if not text.strip():
        raise Ssb07459Error("empty")
    delimiter, _index, header, body = _table(text)
    rows: list[Row] = []
    skipped: list[Skipped] = []
    first_line: dict[tuple[str, str, int, int], int] = {}
    needed = max(header.region, header.sex, header.age, header.year or 0, header.value or 0)
    if header.year_columns:
        needed = max(needed, *header.year_columns)

    def skip(line: int, raw: Sequence[str], code: str, **params: Any) -> None:
        skipped.append(Skipped(line, code, _snippet(raw, delimiter), params))

    def add(row: Row, cells: Sequence[str]) -> None:
        key = (row.kommunenummer, row.sex, row.age, row.year)
        if key in first_line:
            skip(row.line, cells, "duplicate", first=first_line[key])
            return
        first_line[key] = row.line
        rows.append(row)

    for line, cells in body:
        filled = [c for c in cells if c.strip()]
        if len(filled) <= 1:
            skip(line, cells, "not_data")
            continue
        if len(cells) <= needed:
            skip(line, cells, "short", found=len(cells), expected=header.width)
            continue
        try:
            region, name = _region(cells[header.region])
            sex = _sex(cells[header.sex])
            age = _age(cells[header.age])
        except _Skip as why:
            skip(line, cells, why.code, **why.params)
            continue
        if header.year is not None and header.value is not None:
            try:
                year = _year(cells[header.year])
                count = _count(cells[header.value])
            except _Skip as why:
                skip(line, cells, why.code, **why.params)
                continue
            add(Row(region, name, sex, age, year, count, line), cells)
            continue
        for column, year in header.year_columns.items():
            try:
                count = _count(cells[column])
            except _Skip as why:
                skip(line, cells, why.code, year=year, **why.params)
                continue
            add(Row(region, name, sex, age, year, count, line), cells)
    if not rows:
        raise Ssb07459Error("no_rows", header.line)
    layout = "long" if header.year is not None else "wide"
    return Parsed(rows, skipped, layout, encoding, delimiter)


@dataclass(frozen=True)
class Aggregate:
    """One kommune in one year, summed into the panel's age bands and the two sexes.

    Only people in some band are counted (``by_sex`` and ``total`` too): those younger
    than the first band are ``below``, left out.
    """

    kommunenummer: str
    region_name: str
    year: int
    by_band: dict[str, int]
    by_sex: dict[str, int]
    total: int
    below: int


def aggregate(
    rows: Iterable[Row],
    kommunenummer: str,
    bands: Sequence[tuple[str, int, int | None]],
    year: int | None = None,
) -> Aggregate:
    """Sum one kommune's rows of ``year`` (the latest in the file when None) into ``bands``
    (key, first age, last age or None for "and older")."""
    if not bands:
        raise Ssb07459Error("no_bands")
    mine = [r for r in rows if r.kommunenummer == kommunenummer]
    if not mine:
        found = sorted({r.kommunenummer for r in rows})
        shown = ", ".join(found[:8]) + (" …" if len(found) > 8 else "")
        raise Ssb07459Error("region_missing", kommunenummer=kommunenummer, found=shown or "-")
    if year is None:
        year = max(r.year for r in mine)
    mine = [r for r in mine if r.year == year]
    if not mine:
        raise Ssb07459Error("year_missing", kommunenummer=kommunenummer, year=year)
    by_band = {key: 0 for key, _first, _last in bands}
    by_sex = {"1": 0, "2": 0}
    below = 0
    lowest = min(first for _key, first, _last in bands)
    for row in mine:
        band = next(
            (
                key
                for key, first, last in bands
                if row.age >= first and (last is None or row.age <= last)
            ),
            None,
        )
        if band is None:
            if row.age < lowest:
                below += row.count
            continue
        by_band[band] += row.count
        by_sex[row.sex] += row.count
    return Aggregate(
        kommunenummer=kommunenummer,
        region_name=mine[0].region_name,
        year=year,
        by_band=by_band,
        by_sex=by_sex,
        total=sum(by_band.values()),
        below=below,
    )
