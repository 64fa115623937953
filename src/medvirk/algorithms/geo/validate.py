"""One mark's geometry, checked: a point, a route (line) or an area (polygon) as GeoJSON.

:func:`parse` takes what a browser posted (the drawing module writes GeoJSON into a hidden
field; anyone can post anything) and returns a :class:`Geometry` or raises
:class:`InvalidGeometry` with a :class:`Reason` the method turns into a message in the
person's language. :func:`build` runs the same checks on positions the method assembled
itself (the list alternative's chosen places), so both ways in meet one set of rules.

The checks, cheapest first: the size of the text; JSON; the GeoJSON shape (a geometry, a
Feature, or a FeatureCollection of exactly one); the type the category takes; the number of
vertices; every coordinate a finite number within the globe; enough distinct points; every
vertex inside the map's area; and for an area, no self-crossing boundary, a size above zero
and below the limit. Coordinates are rounded to six decimals (about 10 cm) and stored
``[lon, lat]``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from medvirk.algorithms.geo.area import Area
from medvirk.algorithms.geo.shapes import (
    Position,
    length_m,
    ring_area_m2,
    ring_centroid,
    ring_crosses_itself,
)

POINT, LINE, POLYGON = "point", "line", "polygon"
KINDS = (POINT, LINE, POLYGON)
GEOJSON_TYPES = {POINT: "Point", LINE: "LineString", POLYGON: "Polygon"}
_KIND_OF = {value: key for key, value in GEOJSON_TYPES.items()}
_MULTI = {"MultiPoint", "MultiLineString", "MultiPolygon", "GeometryCollection"}
MIN_POINTS = {POINT: 1, LINE: 2, POLYGON: 3}
DECIMALS = 6
MIN_AREA_M2 = 1.0


class Reason(StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NOT_JSON = "not_json"
    NOT_GEOJSON = "not_geojson"
    MORE_THAN_ONE = "more_than_one"
    WRONG_TYPE = "wrong_type"
    TOO_MANY_VERTICES = "too_many_vertices"
    NOT_A_NUMBER = "not_a_number"
    NOT_FINITE = "not_finite"
    OUT_OF_RANGE = "out_of_range"
    TOO_FEW_POINTS = "too_few_points"
    HOLES = "holes"
    OUTSIDE_AREA = "outside_area"
    SELF_CROSSING = "self_crossing"
    NO_SIZE = "no_size"
    TOO_BIG = "too_big"


class InvalidGeometry(ValueError):
    """Why a geometry was refused; ``detail`` has the numbers a message may name
    (``limit``, ``minimum``, ``kind``, ``allowed``)."""

    def __init__(self, reason: Reason, **detail: Any) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 1_000_000
    max_vertices: int = 300
    max_polygon_m2: float = 2_000_000.0


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Geometry:
    """A checked geometry; a polygon's ring is stored open (its first corner not repeated)."""

    kind: str
    positions: tuple[Position, ...]

    def geojson(self) -> dict[str, Any]:
        coordinates: Any
        if self.kind == POINT:
            coordinates = list(self.positions[0])
        elif self.kind == LINE:
            coordinates = [list(p) for p in self.positions]
        else:
            coordinates = [[list(p) for p in (*self.positions, self.positions[0])]]
        return {"type": GEOJSON_TYPES[self.kind], "coordinates": coordinates}

    def wkt(self) -> str:
        def pairs(positions: Sequence[Position]) -> str:
            return ", ".join(f"{lon} {lat}" for lon, lat in positions)

        if self.kind == POINT:
            return f"POINT ({pairs(self.positions)})"
        if self.kind == LINE:
            return f"LINESTRING ({pairs(self.positions)})"
        return f"POLYGON (({pairs((*self.positions, self.positions[0]))}))"

    @property
    def representative(self) -> Position:
        """One position that stands for the mark: the point, the route's middle vertex,
        the area's centroid."""
        if self.kind == POINT:
            return self.positions[0]
        if self.kind == LINE:
            return self.positions[len(self.positions) // 2]
        return ring_centroid(self.positions)

    @property
    def length_m(self) -> float:
        return length_m(self.positions) if self.kind == LINE else 0.0

    @property
    def area_m2(self) -> float:
        return ring_area_m2(self.positions) if self.kind == POLYGON else 0.0


class _NonFinite(ValueError):
    pass


def _refuse_constant(_name: str) -> float:
    raise _NonFinite(_name)


def parse(
    payload: str,
    *,
    allowed: Collection[str],
    area: Area | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Geometry:
    """The geometry in a posted GeoJSON text, checked; :class:`InvalidGeometry` otherwise."""
    if not payload or not payload.strip():
        raise InvalidGeometry(Reason.EMPTY)
    if len(payload.encode("utf-8", "surrogatepass")) > limits.max_bytes:
        raise InvalidGeometry(Reason.TOO_LARGE, limit=limits.max_bytes)
    try:
        obj = json.loads(payload, parse_constant=_refuse_constant)
    except _NonFinite as exc:  # NaN, Infinity, -Infinity: not JSON numbers, Python takes them
        raise InvalidGeometry(Reason.NOT_FINITE) from exc
    except (ValueError, RecursionError) as exc:
        raise InvalidGeometry(Reason.NOT_JSON) from exc
    return from_geojson(obj, allowed=allowed, area=area, limits=limits)


def _geometry_object(obj: Any) -> dict[str, Any]:
    """The geometry inside a Feature or a one-feature collection."""
    if not isinstance(obj, dict):
        raise InvalidGeometry(Reason.NOT_GEOJSON)
    kind = obj.get("type")
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            raise InvalidGeometry(Reason.NOT_GEOJSON)
        if not features:
            raise InvalidGeometry(Reason.EMPTY)
        if len(features) > 1:
            raise InvalidGeometry(Reason.MORE_THAN_ONE)
        return _geometry_object(features[0])
    if kind == "Feature":
        geometry = obj.get("geometry")
        if geometry is None:
            raise InvalidGeometry(Reason.EMPTY)
        return _geometry_object(geometry)
    if not isinstance(kind, str):
        raise InvalidGeometry(Reason.NOT_GEOJSON)
    return obj


def from_geojson(
    obj: Any,
    *,
    allowed: Collection[str],
    area: Area | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Geometry:
    """Like :func:`parse`, for GeoJSON already read from JSON."""
    geometry = _geometry_object(obj)
    type_name = geometry["type"]
    if type_name in _MULTI:
        raise InvalidGeometry(Reason.MORE_THAN_ONE)
    kind = _KIND_OF.get(type_name)
    if kind is None:
        raise InvalidGeometry(Reason.NOT_GEOJSON)
    if kind not in allowed:
        raise InvalidGeometry(Reason.WRONG_TYPE, kind=kind, allowed=tuple(allowed))
    if "coordinates" not in geometry:
        raise InvalidGeometry(Reason.NOT_GEOJSON)
    raw = geometry["coordinates"]
    if kind == POINT:
        positions = [raw]
    elif kind == LINE:
        positions = _list(raw)
    else:
        rings = _list(raw)
        if not rings:
            raise InvalidGeometry(Reason.TOO_FEW_POINTS, minimum=MIN_POINTS[POLYGON])
        if len(rings) > 1:
            raise InvalidGeometry(Reason.HOLES)
        positions = _list(rings[0])
    # A polygon's ring repeats its first corner at the end: one more is allowed.
    if len(positions) > limits.max_vertices + (1 if kind == POLYGON else 0):
        raise InvalidGeometry(Reason.TOO_MANY_VERTICES, limit=limits.max_vertices)
    return build(kind, [_position(p) for p in positions], area=area, limits=limits)


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidGeometry(Reason.NOT_GEOJSON)
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _position(value: Any) -> Position:
    if not isinstance(value, list) or len(value) not in (2, 3):
        raise InvalidGeometry(Reason.NOT_GEOJSON)
    if not all(_is_number(v) for v in value):
        raise InvalidGeometry(Reason.NOT_A_NUMBER)
    lon, lat = float(value[0]), float(value[1])  # a height, if given, is dropped
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise InvalidGeometry(Reason.NOT_FINITE)  # 1e999 reads as infinity
    return lon, lat


def build(
    kind: str,
    positions: Sequence[Position],
    *,
    area: Area | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Geometry:
    """A geometry of ``kind`` through ``positions`` (a polygon's ring open or closed),
    checked like a posted one."""
    if kind not in KINDS:
        raise InvalidGeometry(Reason.NOT_GEOJSON)
    if len(positions) > limits.max_vertices + (1 if kind == POLYGON else 0):
        raise InvalidGeometry(Reason.TOO_MANY_VERTICES, limit=limits.max_vertices)
    cleaned: list[Position] = []
    for lon, lat in positions:
        if not (_is_number(lon) and _is_number(lat)):
            raise InvalidGeometry(Reason.NOT_A_NUMBER)
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise InvalidGeometry(Reason.NOT_FINITE)
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise InvalidGeometry(Reason.OUT_OF_RANGE)
        point = (round(float(lon), DECIMALS), round(float(lat), DECIMALS))
        if not cleaned or cleaned[-1] != point:  # a double click adds a corner twice
            cleaned.append(point)
    if kind == POLYGON and len(cleaned) > 1 and cleaned[0] == cleaned[-1]:
        cleaned.pop()
    if kind == POINT and len(cleaned) != 1:
        raise InvalidGeometry(Reason.NOT_GEOJSON)
    if len(cleaned) < MIN_POINTS[kind]:
        raise InvalidGeometry(Reason.TOO_FEW_POINTS, minimum=MIN_POINTS[kind])
    if area is not None and not all(area.contains(p) for p in cleaned):
        raise InvalidGeometry(Reason.OUTSIDE_AREA)
    if kind == POLYGON:
        if ring_crosses_itself(cleaned):
            raise InvalidGeometry(Reason.SELF_CROSSING)
        size = ring_area_m2(cleaned)
        if size < MIN_AREA_M2:
            raise InvalidGeometry(Reason.NO_SIZE)
        if size > limits.max_polygon_m2:
            raise InvalidGeometry(Reason.TOO_BIG, limit=limits.max_polygon_m2, size=size)
    return Geometry(kind=kind, positions=tuple(cleaned))
