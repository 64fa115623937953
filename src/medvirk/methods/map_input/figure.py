"""The heat map and route density as an SVG drawn on the server (no JavaScript, no tiles):
the area's outline, the squares shaded by their count in five steps, and the named places
near the busiest squares for orientation. A table beside it gives the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from medvirk.algorithms import geo
from medvirk.algorithms.geo.shapes import Projection

from .results import CellRow

WIDTH = 640.0
MAX_HEIGHT = 720.0
STEPS = 5
OPACITY = (0.25, 0.4, 0.55, 0.72, 0.9)
MAX_LABELS = 8


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    step: int  # 1..5
    opacity: float
    title: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str


@dataclass(frozen=True)
class LegendStep:
    opacity: float
    text: str


@dataclass(frozen=True)
class Figure:
    width: float
    height: float
    outline: str  # an SVG path
    rects: list[Rect]
    labels: list[Label]
    legend: list[LegendStep]
    colour: str


def _step(count: int, top: int) -> int:
    return max(1, min(STEPS, math.ceil(STEPS * count / top))) if top else 1


def _legend(top: int) -> list[LegendStep]:
    steps = []
    lower = 1
    for step in range(1, STEPS + 1):
        upper = math.floor(top * step / STEPS)
        if upper < lower:
            continue
        text = (
            str(upper) if upper == lower else _("%(low)d–%(high)d") % {"low": lower, "high": upper}
        )
        steps.append(LegendStep(OPACITY[step - 1], text))
        lower = upper + 1
    return steps


def _frame(area: geo.Area, cells: Sequence[CellRow]) -> geo.BBox:
    """What the figure shows: the squares with a margin of three squares (at least a few
    hundred metres around them), within the map's area; the whole area when empty."""
    whole = area.bounds
    if not cells:
        return whole
    first = cells[0].bounds
    pad_x = max(3 * (first.east - first.west), (whole.east - whole.west) / 40)
    pad_y = max(3 * (first.north - first.south), (whole.north - whole.south) / 40)
    return geo.BBox(
        max(whole.west, min(c.bounds.west for c in cells) - pad_x),
        max(whole.south, min(c.bounds.south for c in cells) - pad_y),
        min(whole.east, max(c.bounds.east for c in cells) + pad_x),
        min(whole.north, max(c.bounds.north for c in cells) + pad_y),
    )


def build(
    area: geo.Area,
    cells: Sequence[CellRow],
    places: Sequence[tuple[str, geo.Position]],
    *,
    colour: str,
    what: Callable[[int], str],
) -> Figure:
    """``what(n)`` says what a square's count is, for its title ("12 marks")."""
    bounds = _frame(area, cells)
    projection = Projection((bounds.west, bounds.south))
    east_m, north_m = projection.to_xy((bounds.east, bounds.north))
    scale = WIDTH / east_m if east_m > 0 else 1.0
    if north_m * scale > MAX_HEIGHT:
        scale = MAX_HEIGHT / north_m
    width, height = east_m * scale, north_m * scale

    def xy(position: geo.Position) -> tuple[float, float]:
        x, y = projection.to_xy(position)
        return round(x * scale, 1), round(height - y * scale, 1)

    outline = " ".join(
        "M " + " L ".join(f"{x} {y}" for x, y in (xy(p) for p in polygon[0])) + " Z"
        for polygon in area.polygons
    )
    top = max((c.count for c in cells), default=0)
    rects = []
    for row in cells:
        x1, y1 = xy((row.bounds.west, row.bounds.north))
        x2, y2 = xy((row.bounds.east, row.bounds.south))
        step = _step(row.count, top)
        place = f" ({_('near %(place)s') % {'place': row.near}})" if row.near else ""
        w, h = round(x2 - x1, 1), round(y2 - y1, 1)
        rects.append(Rect(x1, y1, w, h, step, OPACITY[step - 1], what(row.count) + place))
    labels: list[Label] = []
    seen: set[str] = set()
    for row in cells:
        if row.near is None or row.near in seen or len(labels) >= MAX_LABELS:
            continue
        seen.add(row.near)
        where = next(p for name, p in places if name == row.near)
        x, y = xy(where)
        crowded = any(abs(x - other.x) < 120 and abs(y - other.y) < 16 for other in labels)
        if crowded or not (0 <= x <= width and 0 <= y <= height):
            continue
        labels.append(Label(x, y, row.near, "end" if x > width * 0.6 else "start"))
    return Figure(
        width=round(width, 1),
        height=round(height, 1),
        outline=outline,
        rects=rects,
        labels=labels,
        legend=_legend(top),
        colour=colour,
    )
