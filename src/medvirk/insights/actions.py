"""Importing the kommune's population: the whole kommune from SSB table 07459, and its
districts from a file of its own. Both replace the municipality's table of that kind in one
transaction, are audited when staff import, and refuse a file that cannot be used (400)
with the reason — nothing is saved then.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from medvirk.algorithms.population import ssb07459
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.core.filetypes import detect
from medvirk.organisations import capabilities
from medvirk.organisations.models import Municipality
from medvirk.vocabulary import Capability

from . import districtcsv
from .models import PopulationCell, PopulationTable, TableKind

if TYPE_CHECKING:
    from medvirk.identity.models import User

MAX_BYTES = 20 * 1024 * 1024
MAX_SOURCE = 200
FIRST_YEAR, LAST_YEAR = 1900, 2100
SHOWN_SKIPPED = 20
SSB_SOURCE = "SSB 07459"
SSB_SEX = {"1": "male", "2": "female"}


@dataclass(frozen=True)
class SkippedLine:
    line: int
    reason: str
    text: str


@dataclass(frozen=True)
class Imported:
    year: int
    source: str
    total: int
    cells: int
    skipped: list[SkippedLine] = field(default_factory=list)


def check_staff(staff: User | None, municipality: Municipality) -> None:
    if staff is not None and not capabilities.staff_can(
        staff, Capability.MANAGE_PROCESS, municipality.pk
    ):
        raise ActionRefused(
            _("You cannot change the population figures of this municipality."), status=403
        )


def message(code: str, params: Mapping[str, Any]) -> str:
    """A parser's code (SSB's or the district file's) in the reader's language."""
    texts = {
        "suppressed": _("no number given (“%(value)s”): left out"),
        "total": _("a total (“%(value)s”), not one sex and one age: left out"),
        "bad_region": _("the region “%(value)s” is not a kommune with a four-digit number"),
        "bad_sex": _("the sex “%(value)s” is neither men nor women"),
        "bad_age": _("the age “%(value)s” is neither one age nor an age band"),
        "bad_year": _("the year “%(value)s” is not a year"),
        "bad_value": _("the number “%(value)s” is not a whole number of people"),
        "bad_district": _("the district needs a name of at most %(max)s characters"),
        "short": _("the line has too few cells"),
        "not_data": _("not a line of the table"),
        "duplicate": _("the same group as line %(first)s"),
        "empty": _("The file is empty."),
        "too_big": _("The file is too large (at most %(limit)s bytes)."),
        "no_header": _(
            "No header with the columns region, kjønn and alder was found. Download table "
            "07459 from SSB as CSV, with the variable names."
        ),
        "no_district_header": _(
            "No header with a district column (krins, district, grunnkrets …) and a count "
            "column (personar, personer, count …) was found."
        ),
        "no_year": _("The file has no year column (“år”) and no column headed with a year."),
        "no_rows": _("The file has a header but no numbers that could be read."),
        "region_missing": _(
            "Kommune %(kommunenummer)s is not in the file (it has: %(found)s). Choose this "
            "municipality's region when you download the table."
        ),
        "year_missing": _("The file has no numbers for kommune %(kommunenummer)s in %(year)s."),
    }
    text = texts.get(code)
    if text is None:
        return _("The file could not be read.")
    return text % dict(params)


def _read(file: bytes | IO[bytes]) -> bytes:
    data = file if isinstance(file, bytes) else file.read(MAX_BYTES + 1)
    if not isinstance(data, bytes):
        raise ActionRefused(_("The file could not be read."))
    if len(data) > MAX_BYTES:
        raise ActionRefused(message("too_big", {"limit": MAX_BYTES}))
    kind = detect(io.BytesIO(data))
    if kind is not None:
        raise ActionRefused(
            _("This is a %(kind)s file, not a CSV file. Save the table as CSV and try again.")
            % {"kind": kind.value.upper()}
        )
    if b"\x00" in data[:4096]:
        raise ActionRefused(_("This is not a text file. Save the table as CSV and try again."))
    return data


def _skipped(lines: list[tuple[int, str, str, Mapping[str, Any]]]) -> list[SkippedLine]:
    return [SkippedLine(line, message(code, params), text) for line, code, text, params in lines]


def _replace(
    municipality: Municipality,
    kind: str,
    year: int,
    source: str,
    cells: list[PopulationCell],
) -> PopulationTable:
    table, _created = PopulationTable.objects.select_for_update().get_or_create(
        municipality=municipality, kind=kind, defaults={"year": year, "source": source}
    )
    table.year, table.source = year, source
    table.save()
    table.cells.all().delete()
    for cell in cells:
        cell.table = table
    PopulationCell.objects.bulk_create(cells, batch_size=500)
    return table


def do_import_ssb(
    staff: User | None, municipality: Municipality, file: bytes | IO[bytes]
) -> Imported:
    """The whole kommune by sex and one-year age, from an SSB 07459 download: this
    municipality's kommunenummer, the latest year in the file."""
    check_staff(staff, municipality)
    try:
        parsed = ssb07459.parse(_read(file), max_bytes=MAX_BYTES)
        mine = [r for r in parsed.rows if r.kommunenummer == municipality.kommunenummer]
        if not mine:
            # The parser's own check and message, with the kommuner the file has.
            ssb07459.aggregate(parsed.rows, municipality.kommunenummer, [("all", 0, None)])
    except ssb07459.Ssb07459Error as error:
        text = message(error.code, error.params)
        if error.line is not None:
            text = _("Line %(line)d: %(message)s") % {"line": error.line, "message": text}
        raise ActionRefused(text, status=400) from None
    year = max(r.year for r in mine)
    rows = [r for r in mine if r.year == year]
    cells = [
        PopulationCell(sex=SSB_SEX[r.sex], age_from=r.age, age_to=r.age, count=r.count)
        for r in rows
    ]
    name = rows[0].region_name
    source = f"{SSB_SOURCE}, {municipality.kommunenummer} {name}".strip()
    skipped = _skipped([(s.line, s.code, s.text, s.params) for s in parsed.skipped])
    total = sum(c.count for c in cells)
    with transaction.atomic():
        table = _replace(municipality, TableKind.KOMMUNE, year, source, cells)
        if staff is not None:
            audit.record(
                "population.imported",
                actor=staff,
                obj=table,
                municipality_id=municipality.pk,
                data={"year": year, "inhabitants": total, "skipped": len(skipped)},
            )
    return Imported(year, source, total, len(cells), skipped)


def do_import_districts(
    staff: User | None,
    municipality: Municipality,
    file: bytes | IO[bytes],
    *,
    year: int,
    source: str,
) -> Imported:
    """The kommune's districts (by sex and age when the file has them) from its own CSV."""
    check_staff(staff, municipality)
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ActionRefused(
            _("The year must be from %(first)d to %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    text = " ".join((source or "").split())
    if not text or len(text) > MAX_SOURCE:
        raise ActionRefused(
            _("Say where the figures come from, in at most %(max)d characters.")
            % {"max": MAX_SOURCE}
        )
    try:
        parsed = districtcsv.parse(_read(file))
    except districtcsv.DistrictCsvError as error:
        code = "no_district_header" if error.code == "no_header" else error.code
        raise ActionRefused(message(code, error.params), status=400) from None
    cells = [
        PopulationCell(
            sex=r.sex, age_from=r.age_from, age_to=r.age_to, district=r.district, count=r.count
        )
        for r in parsed.rows
    ]
    skipped = _skipped([(s.line, s.code, s.text, s.params) for s in parsed.skipped])
    total = _district_total(parsed.rows)
    with transaction.atomic():
        table = _replace(municipality, TableKind.DISTRICTS, year, text, cells)
        if staff is not None:
            audit.record(
                "population.districts_imported",
                actor=staff,
                obj=table,
                municipality_id=municipality.pk,
                data={"year": year, "inhabitants": total, "skipped": len(skipped)},
            )
    return Imported(year, text, total, len(cells), skipped)


def _district_total(rows: list[districtcsv.DistrictRow]) -> int:
    totals = districtcsv.district_totals((r.district, r.sex, r.age_from, r.count) for r in rows)
    return sum(count for _name, count in totals.values())
