"""The area a map covers, and named sub-areas to count in, from what staff type.

Staff give an area as a bounding box of four numbers, *west, south, east, north* (longitude
first, as GeoJSON's ``bbox``; e.g. ``5.03, 61.33, 5.10, 61.36``), or as GeoJSON: a Polygon or
MultiPolygon, a Feature with one, or a FeatureCollection of them (islands). Sub-areas are
GeoJSON features with a ``name`` (or ``navn``/``namn``) property, or one per line as
``Name: west, south, east, north``.

Each parser returns a canonical text besides the shape, so the text stored in a method's
settings parses to itself again (the settings form checks that stored settings are stable).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from medvirk.algorithms.geo.shapes import (
    Position,
    Ring,
    point_in_ring,
    ring_area_m2,
    ring_centroid,
    ring_crosses_itself,
)

MAX_AREA_VERTICES = 20_000
MAX_SUB_AREAS = 100
MAX_NAME = 80
_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
_SEP = r"\s*[,;\s]\s*"
_BBOX = re.compile(rf"^\s*({_NUMBER}){_SEP}({_NUMBER}){_SEP}({_NUMBER}){_SEP}({_NUMBER})\s*$")
# Norway's mainland with its coast and islands (not Svalbard or Jan Mayen): the map's area
# when staff have given none.
NORWAY_BBOX = (4.0, 57.8, 31.5, 71.4)


class AreaProblem(StrEnum):
    NOT_UNDERSTOOD = "not_understood"
    ORDER = "order"  # west ≥ east or south ≥ north
    OUT_OF_RANGE = "out_of_range"
    NOT_POLYGON = "not_polygon"
    TOO_FEW_POINTS = "too_few_points"
    TOO_MANY_VERTICES = "too_many_vertices"
    CROSSES_ITSELF = "crosses_itself"
    NO_NAME = "no_name"
    NAME_TOO_LONG = "name_too_long"
    DUPLICATE_NAME = "duplicate_name"
    TOO_MANY = "too_many"


class AreaError(ValueError):
    """The text is not an area; ``problem`` says why, ``line`` is the 1-based line of a
    sub-area list when the problem is on one line."""

    def __init__(self, problem: AreaProblem, line: int | None = None) -> None:
        super().__init__(problem.value if line is None else f"{problem.value} (line {line})")
        self.problem = problem
        self.line = line


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    @property
    def centre(self) -> Position:
        return ((self.west + self.east) / 2, (self.south + self.north) / 2)

    def ring(self) -> Ring:
        w, s, e, n = self.west, self.south, self.east, self.north
        return ((w, s), (e, s), (e, n), (w, n))


Polygon = tuple[Ring, ...]  # the outer ring, then holes


@dataclass(frozen=True)
class Area:
    """One or more polygons (with holes); ``text`` is the canonical text it came from."""

    polygons: tuple[Polygon, ...]
    text: str = ""

    def contains(self, position: Position) -> bool:
        for outer, *holes in self.polygons:
            if point_in_ring(position, outer) and not any(
                point_in_ring(position, hole) for hole in holes
            ):
                return True
        return False

    @property
    def bounds(self) -> BBox:
        lons = [p[0] for polygon in self.polygons for p in polygon[0]]
        lats = [p[1] for polygon in self.polygons for p in polygon[0]]
        return BBox(min(lons), min(lats), max(lons), max(lats))

    @property
    def area_m2(self) -> float:
        return sum(
            ring_area_m2(outer) - sum(ring_area_m2(h) for h in holes)
            for outer, *holes in self.polygons
        )

    @property
    def centre(self) -> Position:
        """The centroid of the largest polygon (a point inside for any convex area)."""
        largest = max(self.polygons, key=lambda polygon: ring_area_m2(polygon[0]))
        return ring_centroid(largest[0])

    def geojson(self) -> dict[str, Any]:
        def closed(ring: Ring) -> list[list[float]]:
            return [[p[0], p[1]] for p in (*ring, ring[0])]

        rings = [[closed(ring) for ring in polygon] for polygon in self.polygons]
        if len(rings) == 1:
            return {"type": "Polygon", "coordinates": rings[0]}
        return {"type": "MultiPolygon", "coordinates": rings}


@dataclass(frozen=True)
class NamedArea:
    name: str
    area: Area


def _number(text: str) -> float:
    value = float(text.replace(",", "."))
    if not math.isfinite(value):
        raise AreaError(AreaProblem.NOT_UNDERSTOOD)
    return value


def _format(value: float) -> str:
    """At most seven decimals (1 cm), without trailing zeros: "5.03", "61"."""
    return f"{value:.7f}".rstrip("0").rstrip(".")


def parse_bbox(text: str) -> BBox | None:
    """Four numbers west, south, east, north, or None when the text is not four numbers."""
    match = _BBOX.match(text)
    if match is None:
        return None
    west, south, east, north = (round(_number(g), 7) for g in match.groups())
    longitudes_ok = -180 <= west <= 180 and -180 <= east <= 180
    if not (longitudes_ok and -90 <= south <= 90 and -90 <= north <= 90):
        raise AreaError(AreaProblem.OUT_OF_RANGE)
    if west >= east or south >= north:
        raise AreaError(AreaProblem.ORDER)
    return BBox(west, south, east, north)


def bbox_area(box: BBox) -> Area:
    text = ", ".join(_format(v) for v in (box.west, box.south, box.east, box.north))
    return Area(polygons=((box.ring(),),), text=text)


def parse_area(text: str) -> Area:
    """An area from a bounding box or GeoJSON (see the module's docstring)."""
    text = text.strip()
    if not text:
        return Area(polygons=((BBox(*NORWAY_BBOX).ring(),),), text="")
    box = parse_bbox(text)
    if box is not None:
        return bbox_area(box)
    polygons = _polygons(_load(text))
    area = Area(polygons=polygons)
    return Area(polygons=polygons, text=json.dumps(area.geojson(), separators=(",", ":")))


def _load(text: str) -> Any:
    def refuse(_constant: str) -> float:
        raise AreaError(AreaProblem.NOT_UNDERSTOOD)

    try:
        return json.loads(text, parse_constant=refuse)
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, AreaError):
            raise
        raise AreaError(AreaProblem.NOT_UNDERSTOOD) from exc


def _geometries(obj: Any) -> Iterable[Any]:
    """The geometries in a GeoJSON object (a Feature's, a collection's)."""
    if not isinstance(obj, dict):
        raise AreaError(AreaProblem.NOT_UNDERSTOOD)
    kind = obj.get("type")
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list) or not features:
            raise AreaError(AreaProblem.NOT_POLYGON)
        for feature in features:
            yield from _geometries(feature)
    elif kind == "Feature":
        yield from _geometries(obj.get("geometry"))
    else:
        yield obj


def _polygons(obj: Any) -> tuple[Polygon, ...]:
    found: list[Polygon] = []
    vertices = 0
    for geometry in _geometries(obj):
        kind = geometry.get("type")
        coordinates = geometry.get("coordinates")
        if kind == "Polygon":
            parts = [coordinates]
        elif kind == "MultiPolygon" and isinstance(coordinates, list):
            parts = coordinates
        else:
            raise AreaError(AreaProblem.NOT_POLYGON)
        for part in parts:
            polygon = _polygon(part)
            vertices += sum(len(ring) for ring in polygon)
            if vertices > MAX_AREA_VERTICES:
                raise AreaError(AreaProblem.TOO_MANY_VERTICES)
            found.append(polygon)
    if not found:
        raise AreaError(AreaProblem.NOT_POLYGON)
    return tuple(found)


def _polygon(rings: Any) -> Polygon:
    if not isinstance(rings, list) or not rings:
        raise AreaError(AreaProblem.NOT_POLYGON)
    return tuple(_ring(ring) for ring in rings)


def _ring(raw: Any) -> Ring:
    if not isinstance(raw, list):
        raise AreaError(AreaProblem.NOT_POLYGON)
    if len(raw) > MAX_AREA_VERTICES:
        raise AreaError(AreaProblem.TOO_MANY_VERTICES)
    ring: list[Position] = []
    for position in raw:
        if not isinstance(position, list) or len(position) not in (2, 3):
            raise AreaError(AreaProblem.NOT_POLYGON)
        lon, lat = position[0], position[1]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lon, lat)):
            raise AreaError(AreaProblem.NOT_UNDERSTOOD)
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise AreaError(AreaProblem.NOT_UNDERSTOOD)
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise AreaError(AreaProblem.OUT_OF_RANGE)
        point = (float(lon), float(lat))
        if not ring or ring[-1] != point:
            ring.append(point)
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    if len(ring) < 3:
        raise AreaError(AreaProblem.TOO_FEW_POINTS)
    if len(ring) <= 2_000 and ring_crosses_itself(ring):
        # Larger rings come from a GIS, which draws valid ones; the check is quadratic.
        raise AreaError(AreaProblem.CROSSES_ITSELF)
    if ring_area_m2(ring) <= 0:
        raise AreaError(AreaProblem.TOO_FEW_POINTS)
    return tuple(ring)


# -- named sub-areas --------------------------------------------------------------------------

_NAME_KEYS = ("name", "navn", "namn")


def parse_sub_areas(text: str) -> tuple[list[NamedArea], str]:
    """Named areas to count marks in, and the canonical text; ``[]`` for an empty text."""
    text = text.strip()
    if not text:
        return [], ""
    if text.startswith("{"):
        return _sub_areas_geojson(text)
    return _sub_areas_lines(text.splitlines())


def _checked_name(raw: Any, seen: set[str], line: int | None = None) -> str:
    name = " ".join(str(raw).split()) if isinstance(raw, str | int | float) else ""
    if not name:
        raise AreaError(AreaProblem.NO_NAME, line)
    if len(name) > MAX_NAME:
        raise AreaError(AreaProblem.NAME_TOO_LONG, line)
    if name.casefold() in seen:
        raise AreaError(AreaProblem.DUPLICATE_NAME, line)
    seen.add(name.casefold())
    return name


def _sub_areas_geojson(text: str) -> tuple[list[NamedArea], str]:
    obj = _load(text)
    if not isinstance(obj, dict):
        raise AreaError(AreaProblem.NOT_POLYGON)
    features = [obj] if obj.get("type") == "Feature" else obj.get("features")
    if not isinstance(features, list) or not features:
        raise AreaError(AreaProblem.NOT_POLYGON)
    if len(features) > MAX_SUB_AREAS:
        raise AreaError(AreaProblem.TOO_MANY)
    seen: set[str] = set()
    found: list[NamedArea] = []
    out_features = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise AreaError(AreaProblem.NOT_POLYGON, number)
        properties = feature.get("properties") or {}
        raw = next((properties[k] for k in _NAME_KEYS if k in properties), "")
        name = _checked_name(raw, seen, number)
        area = Area(polygons=_polygons(feature.get("geometry")))
        found.append(NamedArea(name, area))
        out_features.append(
            {"type": "Feature", "properties": {"name": name}, "geometry": area.geojson()}
        )
    canonical = json.dumps(
        {"type": "FeatureCollection", "features": out_features},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return found, canonical


def _sub_areas_lines(lines: Sequence[str]) -> tuple[list[NamedArea], str]:
    seen: set[str] = set()
    found: list[NamedArea] = []
    canonical: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        name_part, sep, box_part = line.rpartition(":")
        if not sep:
            raise AreaError(AreaProblem.NOT_UNDERSTOOD, number)
        name = _checked_name(name_part, seen, number)
        try:
            box = parse_bbox(box_part)
        except AreaError as exc:
            raise AreaError(exc.problem, number) from exc
        if box is None:
            raise AreaError(AreaProblem.NOT_UNDERSTOOD, number)
        area = bbox_area(box)
        found.append(NamedArea(name, area))
        canonical.append(f"{name}: {area.text}")
        if len(found) > MAX_SUB_AREAS:
            raise AreaError(AreaProblem.TOO_MANY, number)
    return found, "\n".join(canonical)
