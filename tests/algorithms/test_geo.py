"""``medvirk.algorithms.geo``: checking a mark's GeoJSON, areas from what staff type, grid
binning (heat map and route density) on small inputs worked out by hand, route trimming,
and the places CSV."""

from __future__ import annotations

import json
import math

import pytest

from medvirk.algorithms import geo
from medvirk.algorithms.geo import Reason
from medvirk.algorithms.geo.shapes import (
    Projection,
    distance_m,
    ring_area_m2,
    ring_crosses_itself,
    segments_intersect,
)

AREA = geo.parse_area("5.00, 61.30, 5.10, 61.40")
ALL = geo.KINDS


def parse(obj: object, allowed: tuple[str, ...] = ALL, **kwargs: object) -> geo.Geometry:
    text = obj if isinstance(obj, str) else json.dumps(obj)
    return geo.parse(text, allowed=allowed, area=AREA, **kwargs)  # type: ignore[arg-type]


def reason(obj: object, allowed: tuple[str, ...] = ALL, **kwargs: object) -> Reason:
    with pytest.raises(geo.InvalidGeometry) as caught:
        parse(obj, allowed, **kwargs)
    return caught.value.reason


# -- validation -----------------------------------------------------------------------------


def test_a_point_a_line_and_a_polygon_are_read_and_rounded() -> None:
    point = parse({"type": "Point", "coordinates": [5.051234567, 61.351234567]})
    assert point.kind == geo.POINT
    assert point.positions == ((5.051235, 61.351235),)
    assert point.geojson() == {"type": "Point", "coordinates": [5.051235, 61.351235]}
    line = parse({"type": "LineString", "coordinates": [[5.05, 61.35], [5.06, 61.36, 12.0]]})
    assert line.positions == ((5.05, 61.35), (5.06, 61.36))  # the height is dropped
    ring = [[5.05, 61.35], [5.06, 61.35], [5.06, 61.355], [5.05, 61.35]]
    polygon = parse({"type": "Polygon", "coordinates": [ring]})
    assert polygon.positions == ((5.05, 61.35), (5.06, 61.35), (5.06, 61.355))
    assert polygon.geojson()["coordinates"] == [ring]
    assert polygon.wkt() == "POLYGON ((5.05 61.35, 5.06 61.35, 5.06 61.355, 5.05 61.35))"


def test_a_feature_and_a_collection_of_one_are_unwrapped() -> None:
    geometry = {"type": "Point", "coordinates": [5.05, 61.35]}
    assert parse({"type": "Feature", "properties": {}, "geometry": geometry}).kind == geo.POINT
    one = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": geometry}]}
    assert parse(one).kind == geo.POINT


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("", Reason.EMPTY),
        ("   ", Reason.EMPTY),
        ('{"type": "FeatureCollection", "features": []}', Reason.EMPTY),
        ("not json", Reason.NOT_JSON),
        ('{"type": "Point", "coordinates": [5.05, 61.35]', Reason.NOT_JSON),
        ("[" * 100_000 + "]" * 100_000, Reason.NOT_JSON),
        ("[1, 2]", Reason.NOT_GEOJSON),
        ('{"type": "Circle", "coordinates": [5.05, 61.35]}', Reason.NOT_GEOJSON),
        ('{"type": "Point"}', Reason.NOT_GEOJSON),
        ('{"type": "Point", "coordinates": [5.05]}', Reason.NOT_GEOJSON),
        ('{"type": "LineString", "coordinates": "5.05 61.35"}', Reason.NOT_GEOJSON),
        ('{"type": "MultiPoint", "coordinates": [[5.05, 61.35]]}', Reason.MORE_THAN_ONE),
        ('{"type": "Point", "coordinates": ["5.05", 61.35]}', Reason.NOT_A_NUMBER),
        ('{"type": "Point", "coordinates": [true, 61.35]}', Reason.NOT_A_NUMBER),
        ('{"type": "Point", "coordinates": [null, 61.35]}', Reason.NOT_A_NUMBER),
        ('{"type": "Point", "coordinates": [NaN, 61.35]}', Reason.NOT_FINITE),
        ('{"type": "Point", "coordinates": [Infinity, 61.35]}', Reason.NOT_FINITE),
        ('{"type": "Point", "coordinates": [-Infinity, 61.35]}', Reason.NOT_FINITE),
        ('{"type": "Point", "coordinates": [1e999, 61.35]}', Reason.NOT_FINITE),
        ('{"type": "Point", "coordinates": [5.05, 95]}', Reason.OUT_OF_RANGE),
        ('{"type": "Point", "coordinates": [10.7, 59.9]}', Reason.OUTSIDE_AREA),
        ('{"type": "LineString", "coordinates": [[5.05, 61.35]]}', Reason.TOO_FEW_POINTS),
        (
            '{"type": "LineString", "coordinates": [[5.05, 61.35], [5.05, 61.35]]}',
            Reason.TOO_FEW_POINTS,
        ),
        (
            '{"type": "Polygon", "coordinates": [[[5.05, 61.35], [5.06, 61.35], [5.05, 61.35]]]}',
            Reason.TOO_FEW_POINTS,
        ),
    ],
)
def test_bad_geometry_is_refused_with_its_reason(payload: str, expected: Reason) -> None:
    assert reason(payload) == expected


def test_a_type_the_category_does_not_take_is_refused() -> None:
    with pytest.raises(geo.InvalidGeometry) as caught:
        parse({"type": "Point", "coordinates": [5.05, 61.35]}, allowed=(geo.LINE,))
    assert caught.value.reason == Reason.WRONG_TYPE
    assert caught.value.detail == {"kind": geo.POINT, "allowed": (geo.LINE,)}


def test_more_than_one_feature_is_refused() -> None:
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [5.05, 61.35]}}
    assert reason({"type": "FeatureCollection", "features": [feature, feature]}) == (
        Reason.MORE_THAN_ONE
    )


def test_a_payload_over_the_byte_limit_is_refused_before_it_is_read() -> None:
    limits = geo.Limits(max_bytes=1000)
    line = {"type": "LineString", "coordinates": [[5.05, 61.35]] * 100}
    assert len(json.dumps(line)) > 1000
    assert reason(line, limits=limits) == Reason.TOO_LARGE
    # The limit counts bytes, not characters.
    assert reason("ø" * 600, limits=limits) == Reason.TOO_LARGE


def test_too_many_vertices_are_refused() -> None:
    limits = geo.Limits(max_vertices=5)
    coordinates = [[5.05 + i / 1000, 61.35] for i in range(6)]
    assert reason({"type": "LineString", "coordinates": coordinates}, limits=limits) == (
        Reason.TOO_MANY_VERTICES
    )
    assert parse({"type": "LineString", "coordinates": coordinates[:5]}, limits=limits)
    # A polygon's closing corner does not count.
    ring = [[5.05, 61.35], [5.06, 61.35], [5.06, 61.36], [5.055, 61.365], [5.05, 61.36]]
    assert parse({"type": "Polygon", "coordinates": [[*ring, ring[0]]]}, limits=limits)


def test_a_self_crossing_polygon_is_refused() -> None:
    bow_tie = [[5.05, 61.35], [5.06, 61.36], [5.06, 61.35], [5.05, 61.36], [5.05, 61.35]]
    assert reason({"type": "Polygon", "coordinates": [bow_tie]}) == Reason.SELF_CROSSING


def test_a_polygon_with_a_hole_or_no_size_is_refused() -> None:
    outer = [[5.05, 61.35], [5.07, 61.35], [5.07, 61.37], [5.05, 61.37], [5.05, 61.35]]
    hole = [[5.055, 61.355], [5.06, 61.355], [5.06, 61.36], [5.055, 61.355]]
    assert reason({"type": "Polygon", "coordinates": [outer, hole]}) == Reason.HOLES
    flat = [[5.05, 61.35], [5.06, 61.35], [5.07, 61.35], [5.05, 61.35]]
    assert reason({"type": "Polygon", "coordinates": [flat]}) == Reason.SELF_CROSSING


def test_a_huge_polygon_is_refused() -> None:
    # About 4.3 km × 4.4 km: far over a 2 km² limit.
    big = [[5.01, 61.31], [5.09, 61.31], [5.09, 61.35], [5.01, 61.35], [5.01, 61.31]]
    with pytest.raises(geo.InvalidGeometry) as caught:
        parse({"type": "Polygon", "coordinates": [big]})
    assert caught.value.reason == Reason.TOO_BIG
    assert caught.value.detail["limit"] == 2_000_000
    assert caught.value.detail["size"] > 15_000_000


def test_a_line_vertex_outside_the_area_is_refused() -> None:
    line = {"type": "LineString", "coordinates": [[5.05, 61.35], [5.2, 61.35]]}
    assert reason(line) == Reason.OUTSIDE_AREA


def test_build_checks_positions_the_same_way() -> None:
    shape = geo.build(geo.LINE, [(5.05, 61.35), (5.06, 61.36)], area=AREA)
    assert shape == parse({"type": "LineString", "coordinates": [[5.05, 61.35], [5.06, 61.36]]})
    with pytest.raises(geo.InvalidGeometry) as caught:
        geo.build(geo.POINT, [(math.nan, 61.35)], area=AREA)
    assert caught.value.reason == Reason.NOT_FINITE


# -- shapes ---------------------------------------------------------------------------------


def test_distances_and_areas_on_known_shapes() -> None:
    # One degree of latitude is about 111.2 km on the mean sphere.
    assert distance_m((5.0, 61.0), (5.0, 62.0)) == pytest.approx(111_195, rel=1e-3)
    projection = Projection((5.0, 61.0))
    corner = projection.to_lonlat(100.0, 100.0)
    square = [(5.0, 61.0), (corner[0], 61.0), corner, (5.0, corner[1])]
    assert ring_area_m2(square) == pytest.approx(10_000, rel=1e-6)


def test_segment_intersection_and_self_crossing() -> None:
    assert segments_intersect((0, 0), (2, 2), (0, 2), (2, 0))
    assert segments_intersect((0, 0), (2, 0), (1, 0), (3, 0))  # overlapping
    assert segments_intersect((0, 0), (2, 0), (2, 0), (2, 2))  # touching at an end
    assert not segments_intersect((0, 0), (1, 0), (2, 0), (3, 0))
    assert not segments_intersect((0, 0), (1, 1), (0, 1), (0.4, 0.6))
    assert not ring_crosses_itself([(0, 0), (1, 0), (1, 1), (0, 1)])
    assert ring_crosses_itself([(0, 0), (1, 1), (1, 0), (0, 1)])
    assert ring_crosses_itself([(0, 0), (2, 0), (1, 0), (1, 1)])  # a spike back along an edge


def test_trimming_a_route_cuts_both_ends() -> None:
    projection = Projection((5.0, 61.0))
    line = [projection.to_lonlat(x, 0.0) for x in (0.0, 500.0, 1000.0)]
    trimmed = geo.trim_line(line, 100)
    assert trimmed is not None
    start, end = projection.to_xy(trimmed[0]), projection.to_xy(trimmed[-1])
    assert start[0] == pytest.approx(100, abs=1)
    assert end[0] == pytest.approx(900, abs=1)
    assert trimmed[1] == line[1]
    assert geo.trim_line(line, 600) is None  # nothing left
    assert geo.trim_line(line, 0) == tuple(line)


# -- areas ----------------------------------------------------------------------------------


def test_a_bounding_box_and_geojson_become_an_area_with_a_stable_text() -> None:
    area = geo.parse_area(" 5.03; 61.33  5.1, 61.36 ")
    assert area.text == "5.03, 61.33, 5.1, 61.36"
    assert geo.parse_area(area.text).text == area.text
    assert area.contains((5.05, 61.35)) and not area.contains((5.2, 61.35))
    polygon = {"type": "Polygon", "coordinates": [[[5, 61], [6, 61], [5.5, 62], [5, 61]]]}
    from_json = geo.parse_area(json.dumps({"type": "Feature", "geometry": polygon}))
    assert json.loads(from_json.text) == polygon
    assert geo.parse_area(from_json.text).text == from_json.text
    assert from_json.contains((5.5, 61.5)) and not from_json.contains((5.1, 61.9))
    # Empty: all of Norway.
    norway = geo.parse_area("")
    assert norway.text == "" and norway.contains((10.75, 59.91)) and not norway.contains((0, 0))


def test_an_area_with_islands_and_a_hole() -> None:
    outer = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    hole = [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]]
    island = [[10, 10], [11, 10], [11, 11], [10, 10]]
    area = geo.parse_area(
        json.dumps({"type": "MultiPolygon", "coordinates": [[outer, hole], [island]]})
    )
    assert area.contains((0.5, 0.5)) and not area.contains((2, 2))
    assert area.contains((10.8, 10.2)) and not area.contains((5, 5))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("5.1, 61.33, 5.03, 61.36", geo.AreaProblem.ORDER),
        ("5.03, 95, 5.1, 96", geo.AreaProblem.OUT_OF_RANGE),
        ("somewhere", geo.AreaProblem.NOT_UNDERSTOOD),
        ('{"type": "Point", "coordinates": [5, 61]}', geo.AreaProblem.NOT_POLYGON),
        (
            '{"type": "Polygon", "coordinates": [[[0,0],[1,1],[1,0],[0,1],[0,0]]]}',
            geo.AreaProblem.CROSSES_ITSELF,
        ),
        (
            '{"type": "Polygon", "coordinates": [[[0,0],[1,1],[0,0]]]}',
            geo.AreaProblem.TOO_FEW_POINTS,
        ),
    ],
)
def test_bad_areas_are_refused(text: str, problem: geo.AreaProblem) -> None:
    with pytest.raises(geo.AreaError) as caught:
        geo.parse_area(text)
    assert caught.value.problem == problem


def test_sub_areas_from_lines_and_from_geojson() -> None:
    found, text = geo.parse_sub_areas(
        "Sentrum: 5.05,61.34,5.07,61.35\n\nNord : 5.05 61.35 5.07 61.36"
    )
    assert [n.name for n in found] == ["Sentrum", "Nord"]
    assert text == "Sentrum: 5.05, 61.34, 5.07, 61.35\nNord: 5.05, 61.35, 5.07, 61.36"
    assert geo.parse_sub_areas(text)[1] == text
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"navn": "Vika"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[5, 61], [6, 61], [6, 62], [5, 61]]],
                },
            }
        ],
    }
    found, text = geo.parse_sub_areas(json.dumps(collection))
    assert found[0].name == "Vika"
    assert geo.parse_sub_areas(text)[1] == text
    with pytest.raises(geo.AreaError) as caught:
        geo.parse_sub_areas("A: 5,61,6,62\na: 5,61,6,62")
    assert caught.value.problem == geo.AreaProblem.DUPLICATE_NAME
    assert caught.value.line == 2
    assert geo.parse_sub_areas("  ") == ([], "")


# -- the grid -------------------------------------------------------------------------------


def _grid() -> tuple[geo.Grid, Projection]:
    grid = geo.Grid(origin=(5.0, 61.0), cell_m=100)
    return grid, grid.projection


def _at(projection: Projection, x: float, y: float) -> geo.Position:
    return projection.to_lonlat(x, y)


def test_points_are_counted_in_their_cells() -> None:
    grid, p = _grid()
    points = [_at(p, 50, 50), _at(p, 10, 90), _at(p, 150, 50), _at(p, 250, 350), _at(p, 260, 340)]
    assert geo.count_points(points, grid) == {(0, 0): 2, (1, 0): 1, (2, 3): 2}
    bounds = grid.cell_bounds((1, 0))
    assert p.to_xy((bounds.west, bounds.south)) == pytest.approx((100, 0), abs=1e-6)
    assert p.to_xy((bounds.east, bounds.north)) == pytest.approx((200, 100), abs=1e-6)
    assert p.to_xy(grid.cell_centre((2, 3))) == pytest.approx((250, 350), abs=1e-6)


def test_a_route_is_counted_once_in_every_cell_it_passes() -> None:
    grid, p = _grid()
    # Straight east through three cells, back west through the same cells, then north.
    route = [_at(p, 50, 50), _at(p, 250, 50), _at(p, 60, 60), _at(p, 60, 260)]
    assert grid.cells_of_line(route) == {(0, 0), (1, 0), (2, 0), (0, 1), (0, 2)}
    # A diagonal exactly through cell corners touches no side cell.
    diagonal = [_at(p, 50, 50), _at(p, 250, 250)]
    assert grid.cells_of_line(diagonal) == {(0, 0), (1, 1), (2, 2)}
    # A shallow diagonal: (10, 10) → (290, 110) crosses x=100 and x=200 and y=100.
    shallow = [_at(p, 10, 10), _at(p, 290, 110)]
    # y reaches 100 at x = 262: the cells (0,0), (1,0), (2,0), then (2,1).
    assert grid.cells_of_line(shallow) == {(0, 0), (1, 0), (2, 0), (2, 1)}
    # Westward and southward too.
    assert grid.cells_of_line([_at(p, 250, 250), _at(p, 50, 250)]) == {(0, 2), (1, 2), (2, 2)}
    density = geo.count_routes([route, diagonal, shallow], grid)
    assert density[(0, 0)] == 3  # every route starts there, each counted once
    assert density[(1, 0)] == 2
    assert density[(2, 2)] == 1


def test_small_counts_are_suppressed() -> None:
    counts = {(0, 0): 4, (1, 0): 5, (2, 0): 12}
    assert geo.suppress(counts, 5) == {(1, 0): 5, (2, 0): 12}
    assert geo.suppress(counts, 1) == counts


# -- places ---------------------------------------------------------------------------------


def test_places_from_a_norwegian_spreadsheet() -> None:
    text = (
        "\ufeffNamn;Breiddegrad;Lengdegrad;Type\n"
        "Lillevik skule;61,346;5,064;skule\n"
        "\n"
        "Krysset ved butikken;61.345;5.06;kryss\n"
    )
    places, errors = geo.read_places(text, area=AREA)
    assert errors == []
    assert [(p.name, p.kind, p.lat, p.lon, p.line) for p in places] == [
        ("Lillevik skule", "skule", 61.346, 5.064, 2),
        ("Krysset ved butikken", "kryss", 61.345, 5.06, 4),
    ]


def test_every_bad_row_is_reported() -> None:
    text = (
        "name,lat,lon\n"
        ",61.35,5.05\n"
        "A,north,5.05\n"
        "B,5.05,61.35\n"
        "C,59.9,10.7\n"
        "D,61.35,5.05\n"
        "d,61.35,5.06\n"
    )
    places, errors = geo.read_places(text, area=AREA)
    assert [p.name for p in places] == ["D"]
    assert [(e.line, e.problem) for e in errors] == [
        (2, geo.PlaceProblem.NO_NAME),
        (3, geo.PlaceProblem.NOT_A_NUMBER),
        (4, geo.PlaceProblem.OUTSIDE_AREA),
        (5, geo.PlaceProblem.OUTSIDE_AREA),
        (7, geo.PlaceProblem.DUPLICATE),
    ]
    assert geo.read_places("navn;x\nA;1", area=AREA)[1][0].problem == geo.PlaceProblem.NO_HEADER
    _, too_many = geo.read_places("name,lat,lon\n" + "A,61.35,5.05\n" * 3, max_rows=2)
    assert too_many[-1].problem == geo.PlaceProblem.TOO_MANY


def test_the_nearest_place_within_a_distance() -> None:
    places = [("Skule", (5.05, 61.35)), ("Kai", (5.06, 61.35))]
    assert geo.nearest((5.0505, 61.35), places, within_m=200) == "Skule"
    assert geo.nearest((5.0595, 61.35), places, within_m=200) == "Kai"
    assert geo.nearest((5.08, 61.35), places, within_m=200) is None
