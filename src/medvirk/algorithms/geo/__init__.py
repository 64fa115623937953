"""Geometry for map input (pure Python, no Django): checking what a browser posts as a
mark (``validate``), the map's area and named sub-areas from what staff type (``area``),
binning marks into square cells for heat maps and route density (``grid``), the named
places a kommune uploads for the list alternative (``places``), and the plane geometry they
share (``shapes``). Positions are ``(lon, lat)`` in degrees, as in GeoJSON."""

from medvirk.algorithms.geo.area import (
    Area,
    AreaError,
    AreaProblem,
    BBox,
    NamedArea,
    parse_area,
    parse_sub_areas,
)
from medvirk.algorithms.geo.grid import Cell, Grid, count_points, count_routes, suppress
from medvirk.algorithms.geo.places import PlaceProblem, PlaceRow, RowError, nearest, read_places
from medvirk.algorithms.geo.shapes import Position, distance_m, trim_line
from medvirk.algorithms.geo.validate import (
    DEFAULT_LIMITS,
    KINDS,
    LINE,
    POINT,
    POLYGON,
    Geometry,
    InvalidGeometry,
    Limits,
    Reason,
    build,
    from_geojson,
    parse,
)

__all__ = [
    "DEFAULT_LIMITS",
    "KINDS",
    "LINE",
    "POINT",
    "POLYGON",
    "Area",
    "AreaError",
    "AreaProblem",
    "BBox",
    "Cell",
    "Geometry",
    "Grid",
    "InvalidGeometry",
    "Limits",
    "NamedArea",
    "PlaceProblem",
    "PlaceRow",
    "Position",
    "Reason",
    "RowError",
    "build",
    "count_points",
    "count_routes",
    "distance_m",
    "from_geojson",
    "nearest",
    "parse",
    "parse_area",
    "parse_sub_areas",
    "read_places",
    "suppress",
    "trim_line",
]
