"""Named places from a spreadsheet: the list a kommune uploads for the map's list alternative.

A CSV file with a header row naming at least the columns for the name, the latitude and the
longitude; a column for the kind of place (school, crossing, park, street …) is optional.
Header names are matched without regard to case in Norwegian and English (``namn``/``navn``/
``name``, ``breiddegrad``/``breddegrad``/``lat``, ``lengdegrad``/``lon``, ``type``/``slag``).
Norwegian spreadsheets save with ``;`` between columns and a decimal comma; both work.

:func:`read_places` reads all rows or reports every bad row (line numbers as a spreadsheet
shows them, the header being line 1), so the caller can store all or nothing.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from medvirk.algorithms.geo.area import Area
from medvirk.algorithms.geo.shapes import Position, distance_m

MAX_NAME = 120
MAX_KIND = 60
HEADERS = {
    "name": ("name", "navn", "namn", "stad", "sted", "place"),
    "lat": ("lat", "latitude", "breddegrad", "breiddegrad", "bredde", "breidd"),
    "lon": ("lon", "lng", "long", "longitude", "lengdegrad", "lengde", "lengd"),
    "kind": ("type", "kind", "slag", "kategori", "category", "art"),
}


class PlaceProblem(StrEnum):
    NO_HEADER = "no_header"  # the name, latitude or longitude column is missing
    NO_NAME = "no_name"
    NAME_TOO_LONG = "name_too_long"
    NOT_A_NUMBER = "not_a_number"
    OUT_OF_RANGE = "out_of_range"
    OUTSIDE_AREA = "outside_area"
    DUPLICATE = "duplicate"
    TOO_MANY = "too_many"


@dataclass(frozen=True)
class PlaceRow:
    name: str
    kind: str
    lon: float
    lat: float
    line: int

    @property
    def position(self) -> Position:
        return (self.lon, self.lat)


@dataclass(frozen=True)
class RowError:
    line: int
    problem: PlaceProblem


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _columns(header: Sequence[str]) -> dict[str, int]:
    names = [h.strip().lstrip("\ufeff").strip().casefold() for h in header]
    found: dict[str, int] = {}
    for key, aliases in HEADERS.items():
        for index, name in enumerate(names):
            if name in aliases:
                found[key] = index
                break
    return found


def _coordinate(text: str) -> float | None:
    cleaned = text.strip().replace("\u2212", "-").replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # a decimal comma
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_places(
    text: str, *, max_rows: int = 3000, area: Area | None = None
) -> tuple[list[PlaceRow], list[RowError]]:
    """The places in a CSV text and the rows that are wrong (empty rows are skipped)."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first))
    rows = list(reader)
    if not rows:
        return [], [RowError(1, PlaceProblem.NO_HEADER)]
    columns = _columns(rows[0])
    if not {"name", "lat", "lon"} <= set(columns):
        return [], [RowError(1, PlaceProblem.NO_HEADER)]
    places: list[PlaceRow] = []
    errors: list[RowError] = []
    seen: set[tuple[str, str]] = set()
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(places) + len(errors) >= max_rows:
            errors.append(RowError(line, PlaceProblem.TOO_MANY))
            break

        def cell(key: str, row: list[str] = row) -> str:
            index = columns.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        name = " ".join(cell("name").split())
        kind = " ".join(cell("kind").split())[:MAX_KIND]
        problem = _problem(name, cell("lat"), cell("lon"), area)
        if problem is not None:
            errors.append(RowError(line, problem))
            continue
        lat, lon = _coordinate(cell("lat")), _coordinate(cell("lon"))
        assert lat is not None and lon is not None
        key = (name.casefold(), kind.casefold())
        if key in seen:
            errors.append(RowError(line, PlaceProblem.DUPLICATE))
            continue
        seen.add(key)
        places.append(
            PlaceRow(name=name, kind=kind, lon=round(lon, 6), lat=round(lat, 6), line=line)
        )
    return places, errors


def _problem(name: str, lat_text: str, lon_text: str, area: Area | None) -> PlaceProblem | None:
    if not name:
        return PlaceProblem.NO_NAME
    if len(name) > MAX_NAME:
        return PlaceProblem.NAME_TOO_LONG
    lat, lon = _coordinate(lat_text), _coordinate(lon_text)
    if lat is None or lon is None:
        return PlaceProblem.NOT_A_NUMBER
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return PlaceProblem.OUT_OF_RANGE
    if area is not None and not area.contains((round(lon, 6), round(lat, 6))):
        return PlaceProblem.OUTSIDE_AREA
    return None


def nearest(
    position: Position, places: Sequence[tuple[str, Position]], within_m: float
) -> str | None:
    """The name of the place nearest ``position`` within ``within_m`` metres, or None."""
    best: tuple[float, str] | None = None
    for name, where in places:
        d = distance_m(position, where)
        if d <= within_m and (best is None or d < best[0]):
            best = (d, name)
    return best[1] if best else None
