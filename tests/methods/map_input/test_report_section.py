"""The map's section of the council report: the public results for paper — marks per category,
area and school, the heat map and route density as inline SVG with tables — counts under 5
hidden, hidden marks left out, and one sentence when the results are kept from the public."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from medvirk.contributions.actions import do_hide
from medvirk.core.pdf import render
from medvirk.identity.models import User
from medvirk.methods.map_input import actions
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from tests.report_html import rows

from .conftest import Map, add_places, make_class, make_map

pytestmark = pytest.mark.django_db

SCHOOL = (5.0697, 61.3484)
CROSSING = (5.0657, 61.3457)
NORTH = (5.0652, 61.3564)
AREAS = "Sentrum: 5.060, 61.344, 5.072, 61.350\nNordbygda: 5.055, 61.352, 5.075, 61.358"


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


def route(m: Map, start: tuple[float, float], end: tuple[float, float]) -> None:
    put(m, "way_to_school:line", {"type": "LineString", "coordinates": [list(start), list(end)]})


def section(m: Map) -> str:
    return str(registry.get("map_input").report_section(m.instance))


def test_marks_are_counted_per_category_area_and_square_with_small_counts_hidden(
    org: Municipality, moderator: User
) -> None:
    m = make_map(org, {"sub_areas": AREAS, "participants": "both"})
    add_places(m.instance)
    fourth = make_class(m.instance, grade=4)
    crossing(m, 6, pupil=actions.Pupil(fourth, "a"))  # six in Sentrum, one square
    crossing(m, 2, at=SCHOOL)  # two more in Sentrum, another square
    for _ in range(5):
        route(m, NORTH, (5.0660, 61.3540))  # only in Nordbygda
    hidden = put(m, "like:point", {"type": "Point", "coordinates": [5.07, 61.35]}, "Hidden note")
    do_hide(moderator, hidden.contribution, "Not for the map")

    html = section(m)
    table = rows(html)

    assert "13 marks are published on the map." in html
    assert ["A dangerous crossing", "8"] in table
    assert ["My way to school", "5"] in table
    assert ["A place I like", "fewer than 5"] in table  # the hidden one is not counted
    assert ["In all", "13"] in table
    # Areas: crossings 8 in Sentrum; routes 5 in Nordbygda; everything else under 5.
    assert ["Sentrum", "<5", "<5", "<5", "8", "<5", "8"] in table
    assert ["Nordbygda", "5", "<5", "<5", "<5", "<5", "5"] in table
    assert ["Lillevik skule, 4. grade", "<5", "<5", "<5", "6", "<5", "6"] in table
    # The heat map: the square with six, next to the crossing; the square with two is left out.
    heat = [r for r in table if len(r) == 3 and r[0] == "Krysset ved butikken"]
    assert [r[2] for r in heat] == ["6"]
    assert "Lillevik skule" not in [r[0] for r in table if len(r) == 3]
    assert html.count("<svg viewBox=") == 2 and 'role="img"' in html
    assert f'id="map-{m.instance.pk}-heat-title"' in html
    assert "Hidden note" not in html
    for tag in ("<script", "<form", "<h1", "<h2", "<img", "http://", "https://"):
        assert tag not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_results_kept_from_the_public_are_not_in_the_report(org: Municipality) -> None:
    m = make_map(org, {"show_results": False})
    crossing(m, 7)
    html = section(m)
    assert "not published" in html
    assert "7" not in html and "<table" not in html


def test_few_marks_say_fewer_than_five_and_the_section_makes_a_pdf(the_map: Map) -> None:
    crossing(the_map, 3)
    html = section(the_map)
    assert "Fewer than 5 marks are published on the map." in html
    assert "No square has 5 or more marked places yet." in html
    crossing(the_map, 3)  # six in one square: the heat map is drawn
    route(the_map, NORTH, SCHOOL)
    html = section(the_map)
    assert "<svg viewBox=" in html
    pdf = render("<html lang='nn'><head><title>t</title></head><body>" + html + "</body></html>")
    assert pdf is not None and pdf.startswith(b"%PDF")
