"""Results and exports: the heat map and route density from the published marks, counts with
every group under 5 hidden in public, valid GeoJSON without names, times, schools or the
ends of routes, the CSV files, and a fixed number of queries whatever the number of marks."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from medvirk.algorithms import geo
from medvirk.contributions.actions import do_hide
from medvirk.contributions.models import Contribution
from medvirk.identity.models import User
from medvirk.methods.map_input import actions, config, queries, results
from medvirk.organisations.models import Municipality
from tests import factories
from tests.methods.map_input.conftest import EN, Map, add_places, make_class, make_map

pytestmark = pytest.mark.django_db

SCHOOL = (5.0697, 61.3484)
CROSSING = (5.0657, 61.3457)


def put(m: Map, mode: str, geometry: dict[str, Any], text: str = "", pupil: Any = None) -> Any:
    return actions.do_mark(
        AnonymousUser(),
        m.instance,
        mode=mode,
        geometry=json.dumps(geometry),
        comment=text,
        pupil=pupil,
    )


def crossing(m: Map, n: int, at: tuple[float, float] = CROSSING, **kwargs: Any) -> None:
    for i in range(n):
        point = [at[0] + i * 1e-6, at[1]]
        put(m, "dangerous_crossing:point", {"type": "Point", "coordinates": point}, **kwargs)


def route(m: Map, positions: list[tuple[float, float]]) -> None:
    put(
        m, "way_to_school:line", {"type": "LineString", "coordinates": [list(p) for p in positions]}
    )


def csv_rows(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_heat_map_and_route_density_from_known_marks(the_map: Map) -> None:
    cfg = config.for_instance(the_map.instance)
    grid = cfg.grid
    crossing(the_map, 6)  # six in one square
    crossing(the_map, 2, at=SCHOOL)  # two in another
    north = (5.0652, 61.3564)
    for _ in range(5):
        route(the_map, [north, SCHOOL])
    marks = queries.marks(the_map.instance, published_only=True)
    staff = results.compute(cfg, marks, [], public=False)
    assert {(r.cell, r.count) for r in staff.heat} == {
        (grid.cell_of(CROSSING), 6),
        (grid.cell_of(SCHOOL), 2),
    }
    route_cells = grid.cells_of_line([north, SCHOOL])
    assert {r.cell for r in staff.routes} == route_cells
    assert {r.count for r in staff.routes} == {5}
    counts = {c.key: c.count for c in staff.categories}
    assert counts["dangerous_crossing"] == 8 and counts["way_to_school"] == 5
    assert counts["like"] == 0
    # In public, the square with two and the categories with none are hidden.
    public = results.compute(cfg, marks, [], public=True)
    assert {(r.cell, r.count) for r in public.heat} == {(grid.cell_of(CROSSING), 6)}
    counts = {c.key: c.count for c in public.categories}
    assert counts == {
        "way_to_school": 5,
        "like": None,
        "avoid": None,
        "dangerous_crossing": 8,
        "play": None,
    }
    # One category on the maps.
    only_routes = results.compute(cfg, marks, [], public=False, chosen="way_to_school")
    assert only_routes.heat == [] and only_routes.routes


def test_counts_per_sub_area(org: Municipality) -> None:
    m = make_map(
        org,
        {
            "sub_areas": (
                "Sentrum: 5.060, 61.344, 5.072, 61.350\nNordbygda: 5.055, 61.352, 5.075, 61.358"
            )
        },
    )
    crossing(m, 3)
    route(m, [(5.0652, 61.3564), SCHOOL])  # passes through both
    route(m, [(5.0652, 61.3564), (5.0660, 61.3540)])  # only Nordbygda
    res = results.compute(
        config.for_instance(m.instance),
        queries.marks(m.instance, published_only=True),
        [],
        public=False,
    )
    rows = {r.name: r for r in res.areas}
    keys = [c.key for c in config.for_instance(m.instance).categories]
    sentrum = dict(zip(keys, rows["Sentrum"].counts, strict=True))
    nord = dict(zip(keys, rows["Nordbygda"].counts, strict=True))
    assert sentrum["dangerous_crossing"] == 3 and sentrum["way_to_school"] == 1
    assert nord["dangerous_crossing"] == 0 and nord["way_to_school"] == 2


def test_the_public_results_page(client: Client, the_map: Map) -> None:
    places = add_places(the_map.instance)
    crossing(the_map, 5)
    crossing(the_map, 3, at=SCHOOL)
    response = client.get(the_map.url("results"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html and 'id="heat-table"' in html
    table = html.split('id="heat-table"')[1].split("</table>")[0]
    assert places["Krysset ved butikken"].name in table
    assert ">5<" in table and ">3<" not in table
    assert 'id="suppression-note"' in html
    assert "fewer than 5" in html  # the categories with fewer


def test_results_can_be_kept_from_the_public(
    client: Client, org: Municipality, officer: User
) -> None:
    m = make_map(org, {"show_results": False})
    assert client.get(m.url("results")).status_code == 404
    assert client.get(m.export_url("kart-geojson")).status_code == 404
    staff = Client(**EN)
    staff.force_login(officer)
    assert staff.get(m.url("staff_results")).status_code == 200


def test_public_geojson_is_valid_and_protects_people(client: Client, class_map: Map) -> None:
    school_class = make_class(class_map.instance)
    pupil = actions.Pupil(school_class, "p1")
    north = (5.0652, 61.3564)
    put(
        class_map,
        "way_to_school:line",
        {"type": "LineString", "coordinates": [list(north), [5.0660, 61.3520], list(SCHOOL)]},
        "Langt å gå",
        pupil=pupil,
    )
    put(
        class_map,
        "dangerous_crossing:point",
        {"type": "Point", "coordinates": [5.065712, 61.345734]},
    )
    hidden = put(class_map, "like:point", {"type": "Point", "coordinates": [5.07, 61.35]}, "Skjult")
    do_hide(
        factories.staff(class_map.instance.process.municipality, "moderator"),
        hidden.contribution,
        "Nei",
    )
    response = client.get(class_map.export_url("kart-geojson"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 2  # the hidden mark is not there
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert set(feature["properties"]) == {"category", "category_label", "comment", "date"}
        geometry = feature["geometry"]
        geo.from_geojson(geometry, allowed=geo.KINDS)  # valid GeoJSON geometry
    line, point = data["features"]
    assert point["geometry"]["coordinates"] == [5.06571, 61.34573]  # five decimals
    start = line["geometry"]["coordinates"][0]
    end = line["geometry"]["coordinates"][-1]
    # The route's ends are cut: 150 m from home and from the school.
    assert geo.distance_m(tuple(start), north) == pytest.approx(150, abs=1)
    assert geo.distance_m(tuple(end), SCHOOL) == pytest.approx(150, abs=1)
    text = response.content.decode()
    assert (
        "Lillevik skule" not in text
        and '"grade"' not in text
        and "T" not in line["properties"]["date"]
    )


def test_public_csv_and_counts(client: Client, class_map: Map) -> None:
    fourth = make_class(class_map.instance, grade=4)
    seventh = make_class(class_map.instance, grade=7)
    crossing(class_map, 6, pupil=actions.Pupil(fourth, "a"))
    crossing(class_map, 2, at=SCHOOL, pupil=actions.Pupil(seventh, "b"))
    rows = csv_rows(client.get(class_map.export_url("kart-csv")))
    assert rows[0][:4] == [
        "Category",
        "Category key",
        "Shape",
        "Geometry (WKT, longitude latitude)",
    ]
    assert len(rows) == 9
    assert rows[1][3].startswith("POINT (5.0657")
    assert all("Lillevik" not in cell for row in rows for cell in row)
    counts = csv_rows(client.get(class_map.export_url("tal-csv")))
    by_what: dict[str, list[list[str]]] = {}
    for row in counts[1:]:
        by_what.setdefault(row[0], []).append(row)
    categories = {row[2]: row[3] for row in by_what["Marks per category"]}
    assert categories["A dangerous crossing"] == "8"
    assert categories["A place I like"] == "<5"
    squares = by_what["Places per square"]
    assert [row[3] for row in squares] == ["6"]  # the square with 2 is left out
    schools = {(row[1], row[2]): row[3] for row in by_what["Marks per school and grade"]}
    assert schools[("Lillevik skule, 4. grade", "A dangerous crossing")] == "6"
    assert schools[("Lillevik skule, 7. grade", "A dangerous crossing")] == "<5"


def test_staff_exports_have_everything_and_are_private(officer: User, class_map: Map) -> None:
    school_class = make_class(class_map.instance)
    crossing(class_map, 1, pupil=actions.Pupil(school_class, "a"))
    staff = Client(**EN)
    staff.force_login(officer)
    response = staff.get(class_map.export_url("alle-csv"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = csv_rows(response)
    assert rows[1][8:10] == ["Lillevik skule", "4. grade"]
    geojson = staff.get(class_map.export_url("alle-geojson"))
    assert "no-store" in geojson["Cache-Control"]
    feature = json.loads(geojson.content)["features"][0]
    assert feature["properties"]["school"] == "Lillevik skule"
    assert feature["properties"]["grade"] == 4
    assert Client(**EN).get(class_map.export_url("alle-csv")).status_code in (302, 403)


def test_the_open_data_page_lists_the_public_exports(client: Client, the_map: Map) -> None:
    process = the_map.instance.process
    html = client.get(process.get_absolute_url() + "opne-data/").content.decode()
    for key in ("kart-geojson", "kart-csv", "tal-csv"):
        assert the_map.export_url(key) in html
    assert the_map.export_url("alle-csv") not in html


def test_results_pages_make_a_fixed_number_of_queries(
    the_map: Map, officer: User, client: Client
) -> None:
    add_places(the_map.instance)
    staff = Client(**EN)
    staff.force_login(officer)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as public_queries:
            assert client.get(the_map.url("results")).status_code == 200
        with CaptureQueriesContext(connection) as staff_queries:
            assert staff.get(the_map.url("staff_results")).status_code == 200
        return len(public_queries), len(staff_queries)

    crossing(the_map, 10)
    count()  # warm up sessions and caches
    few = count()
    crossing(the_map, 190, at=SCHOOL)
    assert count() == few
    assert Contribution.objects.count() == 200
