"""The results of a map: counts per category, a heat map of places, route density, counts
per sub-area, and, with classes, per school and grade.

- Heat map: each point, and each area's centre, counted in the square of the grid it lies in
  (``algorithms.geo.grid``; squares of the instance's ``cell_size`` metres).
- Route density: each route counted once in every square it passes through.
- Per sub-area (when staff gave some): points and areas by where they lie, routes in every
  sub-area they pass through.
- Public results hide every count below ``MEDVIRK_MAP_SUPPRESS_BELOW`` (5): such a square is
  left out of the heat map, and a table says "fewer than 5". Staff see every count.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from medvirk.algorithms import geo
from medvirk.algorithms.geo.shapes import line_meets_ring

from . import config
from .config import MapConfig
from .forms import grade_label
from .models import Place
from .queries import MarkRow

TOP_CELLS = 20


@dataclass(frozen=True)
class CategoryCount:
    key: str
    label: str
    colour: str
    number: int
    count: int | None  # None: hidden (fewer than the threshold)


@dataclass(frozen=True)
class CellRow:
    cell: geo.Cell
    bounds: geo.BBox
    count: int
    near: str | None


@dataclass(frozen=True)
class GroupRow:
    """A sub-area, or a school and grade: counts per category (None: hidden) and in all."""

    name: str
    counts: list[int | None]
    total: int | None


@dataclass
class Results:
    public: bool
    below: int
    total: int | None
    categories: list[CategoryCount]
    heat: list[CellRow] = field(default_factory=list)
    routes: list[CellRow] = field(default_factory=list)
    areas: list[GroupRow] = field(default_factory=list)
    schools: list[GroupRow] = field(default_factory=list)
    chosen: str = ""  # the category the maps show ("" all)

    @property
    def heat_max(self) -> int:
        return max((c.count for c in self.heat), default=0)

    @property
    def routes_max(self) -> int:
        return max((c.count for c in self.routes), default=0)


def _shown(count: int, public: bool, below: int) -> int | None:
    return None if public and count < below else count


def _place_index(places: Sequence[Place]) -> list[tuple[str, geo.Position]]:
    return [(p.name, (p.lon, p.lat)) for p in places]


def _cells(
    counts: Counter[geo.Cell],
    grid: geo.Grid,
    places: list[tuple[str, geo.Position]],
    public: bool,
    below: int,
) -> list[CellRow]:
    kept = geo.suppress(counts, below) if public else dict(counts)
    rows = [
        CellRow(
            cell=cell,
            bounds=grid.cell_bounds(cell),
            count=n,
            near=geo.nearest(grid.cell_centre(cell), places, within_m=grid.cell_m * 1.5),
        )
        for cell, n in kept.items()
    ]
    rows.sort(key=lambda r: (-r.count, r.cell))
    return rows


def _mark_in(mark: MarkRow, area: geo.Area) -> bool:
    shape = mark.shape
    assert shape is not None
    if shape.kind == geo.LINE:
        return any(line_meets_ring(shape.positions, polygon[0]) for polygon in area.polygons)
    return area.contains(shape.representative)


def compute(
    cfg: MapConfig,
    marks: Sequence[MarkRow],
    places: Sequence[Place],
    *,
    public: bool,
    chosen: str = "",
) -> Results:
    """Everything the results pages, tables and count exports show."""
    below = config.suppress_below()
    readable = [m for m in marks if m.shape is not None]
    keys = [c.key for c in cfg.categories]
    per_category = Counter(m.category for m in readable)
    results = Results(
        public=public,
        below=below,
        total=_shown(len(readable), public, below),
        categories=[
            CategoryCount(
                c.key, str(c.label), c.colour, c.number, _shown(per_category[c.key], public, below)
            )
            for c in cfg.categories
        ],
        chosen=chosen if chosen in cfg.by_key else "",
    )
    grid = cfg.grid
    index = _place_index(places)
    on_map = [m for m in readable if not results.chosen or m.category == results.chosen]
    spots = [m.shape.representative for m in on_map if m.shape and m.shape.kind != geo.LINE]
    lines = [m.shape.positions for m in on_map if m.shape and m.shape.kind == geo.LINE]
    results.heat = _cells(geo.count_points(spots, grid), grid, index, public, below)
    results.routes = _cells(geo.count_routes(lines, grid), grid, index, public, below)
    for named in cfg.sub_areas:
        inside = Counter(m.category for m in readable if _mark_in(m, named.area))
        results.areas.append(
            GroupRow(
                named.name,
                [_shown(inside[k], public, below) for k in keys],
                _shown(sum(inside[k] for k in keys), public, below),
            )
        )
    if cfg.takes_classes:
        results.schools = _schools(readable, keys, public, below)
    return results


def _schools(marks: Sequence[MarkRow], keys: list[str], public: bool, below: int) -> list[GroupRow]:
    groups: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
    for mark in marks:
        if mark.school and mark.grade is not None:
            groups[(mark.school, mark.grade)][mark.category] += 1
    rows = []
    for (school, grade), counts in sorted(groups.items()):
        rows.append(
            GroupRow(
                f"{school}, {grade_label(grade)}",
                [_shown(counts[k], public, below) for k in keys],
                _shown(sum(counts[k] for k in keys), public, below),
            )
        )
    return rows
