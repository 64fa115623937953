"""Plane geometry on longitude/latitude pairs: the few predicates the map method needs.

Positions are ``(lon, lat)`` tuples in degrees, in GeoJSON's order. Lengths and areas are
in metres on a local projection (:class:`Projection`): an equirectangular projection
centred near the shapes, whose error is well under one per cent across a municipality
(tens of kilometres), plenty for "is this area huge" and for binning into 100 m cells.

Intersection and inside-tests run on the degrees directly: the local projection is an
affine map of them (a scale on each axis), and affine maps keep which segments cross and
which side of a line a point is on.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

Position = tuple[float, float]  # (lon, lat)
Ring = tuple[Position, ...]  # a polygon's boundary, not closed (the first is not repeated)

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)


@dataclass(frozen=True)
class Projection:
    """Metres east and north of ``origin`` (equirectangular at the origin's latitude)."""

    origin: Position

    @property
    def _scale_x(self) -> float:
        return math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(self.origin[1]))

    @property
    def _scale_y(self) -> float:
        return math.radians(1) * EARTH_RADIUS_M

    def to_xy(self, position: Position) -> tuple[float, float]:
        lon, lat = position
        return (lon - self.origin[0]) * self._scale_x, (lat - self.origin[1]) * self._scale_y

    def to_lonlat(self, x: float, y: float) -> Position:
        return self.origin[0] + x / self._scale_x, self.origin[1] + y / self._scale_y


def distance_m(a: Position, b: Position) -> float:
    """Great-circle distance in metres (haversine)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def length_m(line: Sequence[Position]) -> float:
    return sum(distance_m(a, b) for a, b in itertools.pairwise(line))


def ring_area_m2(ring: Sequence[Position]) -> float:
    """The area enclosed by a ring (shoelace on the local projection), always positive."""
    if len(ring) < 3:
        return 0.0
    projection = Projection(ring[0])
    points = [projection.to_xy(p) for p in ring]
    twice = sum(
        x1 * y2 - x2 * y1
        for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
    )
    return abs(twice) / 2


def ring_centroid(ring: Sequence[Position]) -> Position:
    """The centre of mass of the area a ring encloses (the vertices' mean if it has none)."""
    projection = Projection(ring[0])
    points = [projection.to_xy(p) for p in ring]
    twice = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        twice += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(twice) < 1e-9:
        return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))
    return projection.to_lonlat(cx / (3 * twice), cy / (3 * twice))


def _orientation(a: Position, b: Position, c: Position) -> int:
    value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    if abs(value) < 1e-18:
        return 0
    return 1 if value > 0 else -1


def _on_segment(a: Position, b: Position, p: Position) -> bool:
    """``p`` (collinear with a–b) lies within the segment's bounding box."""
    return min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])


def segments_intersect(a: Position, b: Position, c: Position, d: Position) -> bool:
    """Do the closed segments a–b and c–d share a point (crossing, touching or overlapping)?"""
    o1, o2 = _orientation(a, b, c), _orientation(a, b, d)
    o3, o4 = _orientation(c, d, a), _orientation(c, d, b)
    if o1 != o2 and o3 != o4:
        return True
    # Collinear cases: an end of one segment lies on the other.
    return (
        (o1 == 0 and _on_segment(a, b, c))
        or (o2 == 0 and _on_segment(a, b, d))
        or (o3 == 0 and _on_segment(c, d, a))
        or (o4 == 0 and _on_segment(c, d, b))
    )


def ring_crosses_itself(ring: Sequence[Position]) -> bool:
    """Does the closed ring's boundary cross or touch itself anywhere but at neighbouring
    edges' shared corners? (A bow tie, a figure eight, a corner visited twice, a spike.)"""
    n = len(ring)
    for i in range(n):
        a, b = ring[i], ring[(i + 1) % n]
        for j in range(i + 1, n):
            c, d = ring[j], ring[(j + 1) % n]
            if j == i + 1:
                # Neighbours share corner b: they overlap only when the ring turns straight
                # back on itself there (a spike).
                if _folds_back(a, b, d):
                    return True
            elif i == 0 and j == n - 1:
                if _folds_back(b, a, c):  # the last edge and the first share corner a
                    return True
            elif segments_intersect(a, b, c, d):
                return True
    return False


def _folds_back(a: Position, corner: Position, c: Position) -> bool:
    """a–corner–c lie on one line and c is on the way back towards a."""
    if _orientation(a, corner, c) != 0:
        return False
    ux, uy = a[0] - corner[0], a[1] - corner[1]
    vx, vy = c[0] - corner[0], c[1] - corner[1]
    return ux * vx + uy * vy > 0


def point_in_ring(point: Position, ring: Sequence[Position]) -> bool:
    """Ray casting: is ``point`` inside the ring? (A point on the boundary may go either way.)"""
    x, y = point
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        if (y1 > y) != (y2 > y):
            crossing = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < crossing:
                inside = not inside
    return inside


def line_meets_ring(line: Sequence[Position], ring: Sequence[Position]) -> bool:
    """Does a line pass through the area a ring encloses (a vertex inside, or an edge
    crossing the boundary)?"""
    if any(point_in_ring(p, ring) for p in line):
        return True
    n = len(ring)
    for a, b in itertools.pairwise(line):
        for i in range(n):
            if segments_intersect(a, b, ring[i], ring[(i + 1) % n]):
                return True
    return False


def trim_line(line: Sequence[Position], metres: float) -> tuple[Position, ...] | None:
    """The line without its first and last ``metres`` (a route's ends are often a home):
    None when nothing is left."""
    if metres <= 0:
        return tuple(line)
    total = length_m(line)
    if total <= 2 * metres:
        return None
    start = _cut(line, metres)
    end = _cut(line[::-1], metres)
    assert start is not None and end is not None
    first_index, first_point = start
    last_index, last_point = end
    middle = line[first_index + 1 : len(line) - 1 - last_index]
    return (first_point, *middle, last_point)


def _cut(line: Sequence[Position], metres: float) -> tuple[int, Position] | None:
    """The point ``metres`` along the line and the index of the segment it lies on."""
    walked = 0.0
    for index, (a, b) in enumerate(itertools.pairwise(line)):
        step = distance_m(a, b)
        if walked + step >= metres and step > 0:
            share = (metres - walked) / step
            return index, (a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share)
        walked += step
    return None
