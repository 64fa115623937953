"""Square cells over a map's area: where the points are (a heat map) and where the routes go
(route density).

A :class:`Grid` has its origin at the south-west corner of the area's bounding box and cells
of ``cell_m`` metres on the area's local projection, so cell ``(col, row)`` spans
``col*cell_m`` to ``(col+1)*cell_m`` metres east of the origin, and likewise north.

- :func:`count_points`: marks per cell.
- :func:`count_routes`: routes per cell, each route counted once in every cell it passes
  through, found by walking each segment from cell to cell (Amanatides and Woo's traversal),
  so a long straight segment meets every cell it crosses and no other.
- :func:`suppress`: the counts below a threshold left out (what is public must not single
  out fewer than five).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from medvirk.algorithms.geo.area import BBox
from medvirk.algorithms.geo.shapes import Position, Projection

Cell = tuple[int, int]  # (col, row): east, north
K = TypeVar("K")
_EPS = 1e-9


@dataclass(frozen=True)
class Grid:
    origin: Position  # the south-west corner
    cell_m: float

    def __post_init__(self) -> None:
        if not self.cell_m > 0:
            raise ValueError("cells must be larger than zero")

    @classmethod
    def over(cls, bounds: BBox, cell_m: float) -> Grid:
        return cls(origin=(bounds.west, bounds.south), cell_m=cell_m)

    @property
    def projection(self) -> Projection:
        return Projection(self.origin)

    def _units(self, position: Position) -> tuple[float, float]:
        x, y = self.projection.to_xy(position)
        return x / self.cell_m, y / self.cell_m

    def cell_of(self, position: Position) -> Cell:
        u, v = self._units(position)
        return math.floor(u), math.floor(v)

    def cell_bounds(self, cell: Cell) -> BBox:
        col, row = cell
        west, south = self.projection.to_lonlat(col * self.cell_m, row * self.cell_m)
        east, north = self.projection.to_lonlat((col + 1) * self.cell_m, (row + 1) * self.cell_m)
        return BBox(west, south, east, north)

    def cell_centre(self, cell: Cell) -> Position:
        col, row = cell
        return self.projection.to_lonlat((col + 0.5) * self.cell_m, (row + 0.5) * self.cell_m)

    def cells_of_line(self, line: Sequence[Position]) -> set[Cell]:
        """Every cell the line passes through (a point on a cell's edge belongs to the cell
        east or north of it, as :meth:`cell_of` says)."""
        cells: set[Cell] = set()
        units = [self._units(p) for p in line]
        if len(units) == 1:
            cells.add((math.floor(units[0][0]), math.floor(units[0][1])))
        for start, end in itertools.pairwise(units):
            cells.update(_traverse(start, end))
        return cells


def _traverse(start: tuple[float, float], end: tuple[float, float]) -> list[Cell]:
    """The cells a segment crosses, in order (coordinates in cell units)."""
    x0, y0 = start
    x1, y1 = end
    col, row = math.floor(x0), math.floor(y0)
    last = (math.floor(x1), math.floor(y1))
    dx, dy = x1 - x0, y1 - y0
    step_x = 1 if dx > 0 else -1
    step_y = 1 if dy > 0 else -1
    # How far along the segment (0..1) the next vertical / horizontal cell edge is.
    if dx != 0:
        next_x = (col + (1 if dx > 0 else 0) - x0) / dx
        delta_x = abs(1 / dx)
    else:
        next_x = delta_x = math.inf
    if dy != 0:
        next_y = (row + (1 if dy > 0 else 0) - y0) / dy
        delta_y = abs(1 / dy)
    else:
        next_y = delta_y = math.inf
    cells = [(col, row)]
    # At most one step per cell edge crossed: a bound that also stops rounding errors.
    for _ in range(abs(last[0] - col) + abs(last[1] - row) + 2):
        if (col, row) == last:
            break
        if abs(next_x - next_y) < _EPS:
            # Through a corner exactly: diagonally, touching neither side cell.
            if next_x > 1 + _EPS:
                break
            col += step_x
            row += step_y
            next_x += delta_x
            next_y += delta_y
        elif next_x < next_y:
            if next_x > 1 + _EPS:
                break
            col += step_x
            next_x += delta_x
        else:
            if next_y > 1 + _EPS:
                break
            row += step_y
            next_y += delta_y
        cells.append((col, row))
    return cells


def count_points(points: Iterable[Position], grid: Grid) -> Counter[Cell]:
    return Counter(grid.cell_of(p) for p in points)


def count_routes(lines: Iterable[Sequence[Position]], grid: Grid) -> Counter[Cell]:
    """Routes per cell: each route once in each cell it passes through."""
    counts: Counter[Cell] = Counter()
    for line in lines:
        counts.update(grid.cells_of_line(line))
    return counts


def suppress(counts: Mapping[K, int], below: int) -> dict[K, int]:
    """The counts of at least ``below``; smaller ones are left out, not rounded."""
    return {key: n for key, n in counts.items() if n >= below}
