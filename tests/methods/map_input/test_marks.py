"""Marking on the map (a POST with GeoJSON in the hidden field) and from the list of places:
the same contribution either way; every kind of bad geometry refused with its message in the
person's language and nothing stored; the map page's own Content-Security-Policy."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape

from medvirk.algorithms import geo
from medvirk.contributions.models import Contribution, ModerationState
from medvirk.core.middleware import CSP
from medvirk.methods.map_input import actions, refusals
from medvirk.organisations.models import Municipality
from tests import factories
from tests.factories import DAY
from tests.methods.map_input.conftest import (
    EN,
    Map,
    add_places,
    line,
    make_map,
    map_data,
    point,
    polygon,
)

pytestmark = pytest.mark.django_db

CROSSING = "dangerous_crossing:point"
ROUTE = "way_to_school:line"
PLAY_AREA = "play:polygon"


def mark(client: Client, m: Map, mode: str, geometry: str, comment: str = "", **extra: Any) -> Any:
    data = {"category": mode, "geometry": geometry, "comment": comment, **extra}
    return client.post(m.url(), data)


def test_the_page_offers_the_map_form_and_the_list(client: Client, the_map: Map) -> None:
    response = client.get(the_map.url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="mark-form"' in html
    assert 'name="geometry"' in html
    assert 'value="dangerous_crossing:point"' in html
    assert 'value="play:polygon"' in html  # a category with two shapes offers both
    assert the_map.url("list") in html
    assert "vendor/leaflet/leaflet.js" in html and "map_input/draw.js" in html
    assert 'id="map-data"' in html and "<script>" not in html  # data, never inline script
    assert response["Cache-Control"] == "private, no-store"


def test_a_point_is_stored_as_a_contribution_with_its_geometry(
    client: Client, the_map: Map
) -> None:
    response = mark(client, the_map, CROSSING, point(5.0657, 61.3457), "Bilane køyrer fort.")
    assert response.status_code == 302
    assert response["Location"].startswith(the_map.url())
    stored = Contribution.objects.get()
    assert stored.kind == actions.KIND
    assert stored.text == "Bilane køyrer fort."
    assert stored.data == {
        "category": "dangerous_crossing",
        "geometry": {"type": "Point", "coordinates": [5.0657, 61.3457]},
    }
    assert stored.needs_answer
    # The receipt is listed on the map page for this visit.
    page = client.get(the_map.url()).content.decode()
    assert stored.receipt_url() in page


def test_a_route_and_an_area(client: Client, the_map: Map) -> None:
    route = line((5.0652, 61.3564), (5.0660, 61.3520), (5.0697, 61.3484))
    assert mark(client, the_map, ROUTE, route).status_code == 302
    area = polygon((5.068, 61.349), (5.071, 61.349), (5.071, 61.351), (5.068, 61.351))
    assert mark(client, the_map, PLAY_AREA, area).status_code == 302
    stored = list(Contribution.objects.order_by("pk"))
    assert [c.data["geometry"]["type"] for c in stored] == ["LineString", "Polygon"]
    # A mark without a comment asks for no answer and is no free text for moderation.
    assert [c.needs_answer for c in stored] == [False, False]
    assert all(c.moderation == ModerationState.PUBLISHED for c in stored)


def test_a_comment_from_an_anonymous_resident_waits_for_a_moderator(
    client: Client, org: Municipality
) -> None:
    org.moderation_mode = "auto"
    org.save()
    m = make_map(org)
    mark(client, m, CROSSING, point(5.0657, 61.3457), "Her er det farleg.")
    mark(client, m, CROSSING, point(5.0658, 61.3458))
    with_text, without = Contribution.objects.order_by("pk")
    assert with_text.moderation == ModerationState.PENDING
    assert without.moderation == ModerationState.PUBLISHED


BIG_LINE = json.dumps(
    {"type": "LineString", "coordinates": [[5.05 + i * 1e-7, 61.35] for i in range(60_000)]}
)


@pytest.mark.parametrize(
    ("mode", "geometry", "message"),
    [
        (CROSSING, "", "Mark the place, route or area on the map first."),
        (CROSSING, "{not json", "We could not read the drawing."),
        (CROSSING, '{"type": "Circle", "coordinates": [5.05, 61.35]}', "We could not read"),
        (ROUTE, point(5.0657, 61.3457), "This category takes a route, not a place."),
        (CROSSING, line((5.05, 61.35), (5.06, 61.35)), "This category takes a place, not a route."),
        (CROSSING, point(10.75, 59.91), "Part of the drawing is outside the area of this map."),
        (ROUTE, line((5.05, 61.35), (5.2, 61.35)), "outside the area of this map"),
        (CROSSING, '{"type": "Point", "coordinates": ["5.05", 61.35]}', "must be numbers"),
        (CROSSING, '{"type": "Point", "coordinates": [NaN, 61.35]}', "not a real number"),
        (CROSSING, '{"type": "Point", "coordinates": [Infinity, 61.35]}', "not a real number"),
        (CROSSING, '{"type": "Point", "coordinates": [1e999, 61.35]}', "not a real number"),
        (CROSSING, '{"type": "Point", "coordinates": [5.05, 200]}', "not on the Earth"),
        (
            PLAY_AREA,
            polygon((5.05, 61.34), (5.06, 61.35), (5.06, 61.34), (5.05, 61.35)),
            "The area's outline crosses itself.",
        ),
        (
            PLAY_AREA,
            polygon((5.035, 61.335), (5.095, 61.335), (5.095, 61.355), (5.035, 61.355)),
            "The area is too large (at most 2 km²).",
        ),
        (ROUTE, line((5.05, 61.35), (5.05, 61.35)), "at least two points"),
        (
            ROUTE,
            json.dumps(
                {"type": "LineString", "coordinates": [[5.05 + i / 1e5, 61.35] for i in range(301)]}
            ),
            "too many points: at most 300",
        ),
        (ROUTE, BIG_LINE, "too large to send"),
        (
            CROSSING,
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {"type": "Feature", "geometry": json.loads(point(5.05, 61.35))},
                        {"type": "Feature", "geometry": json.loads(point(5.06, 61.35))},
                    ],
                }
            ),
            "one place, route or area at a time",
        ),
        ("no_such:point", point(5.05, 61.35), "Select a valid choice"),
    ],
)
def test_bad_geometry_is_refused_with_a_message_and_nothing_is_stored(
    client: Client, the_map: Map, mode: str, geometry: str, message: str
) -> None:
    response = mark(client, the_map, mode, geometry)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert message.lower() in html.lower().replace("&#x27;", "'")
    assert Contribution.objects.count() == 0


def test_the_message_is_in_the_persons_language(the_map: Map) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="nn")
    response = mark(client, the_map, ROUTE, point(5.0657, 61.3457))
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="nn"' in html
    with translation.override("nn"):
        expected = refusals.geometry_message(
            geo.InvalidGeometry(geo.Reason.WRONG_TYPE, kind=geo.POINT, allowed=(geo.LINE,))
        )
    assert escape(expected) in html
    assert Contribution.objects.count() == 0


def test_the_map_page_adds_the_tile_server_to_its_policy(
    client: Client, the_map: Map, settings: Any
) -> None:
    assert client.get(the_map.url())["Content-Security-Policy"] == CSP  # tiles off
    settings.MEDVIRK_MAP_TILES = {
        "url": "https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png",
        "attribution": "© Kartverket",
    }
    policy = client.get(the_map.url())["Content-Security-Policy"]
    assert "img-src 'self' data: https://cache.kartverket.no;" in policy
    assert "script-src 'self';" in policy
    data = map_data(client.get(the_map.url()).content.decode())
    assert data["tiles"]["attribution"] == "© Kartverket"
    # Other pages keep the site's policy.
    assert client.get(the_map.url("list"))["Content-Security-Policy"] == CSP


def test_the_default_tiles_are_kartverkets(client: Client, the_map: Map, settings: Any) -> None:
    del settings.MEDVIRK_MAP_TILES
    policy = client.get(the_map.url())["Content-Security-Policy"]
    assert "https://cache.kartverket.no" in policy


def test_anonymous_input_is_rate_limited_and_the_drawing_kept(
    client: Client, the_map: Map, settings: Any
) -> None:
    settings.MEDVIRK_RATE_LIMITS = {**settings.MEDVIRK_RATE_LIMITS, "input": "2/10m"}
    for _ in range(2):
        assert mark(client, the_map, CROSSING, point(5.0657, 61.3457)).status_code == 302
    response = mark(client, the_map, CROSSING, point(5.0658, 61.3458), "Kept")
    assert response.status_code == 429
    assert response["Retry-After"]
    html = response.content.decode()
    assert "5.0658" in html and "Kept" in html
    assert Contribution.objects.count() == 2


def test_marking_outside_the_phase_is_refused(client: Client, org: Municipality) -> None:
    m = make_map(org)
    phase = m.instance.phase
    phase.start = timezone.now() + 5 * DAY
    phase.end = timezone.now() + 9 * DAY
    phase.save()
    response = mark(client, m, CROSSING, point(5.0657, 61.3457))
    assert response.status_code == 403
    assert Contribution.objects.count() == 0


# -- the list alternative -------------------------------------------------------------------


def test_the_list_gives_the_same_contribution_data_as_the_map(client: Client, the_map: Map) -> None:
    places = add_places(the_map.instance)
    crossing = places["Krysset ved butikken"]
    # On the map, exactly at the place's position …
    mark(client, the_map, CROSSING, point(crossing.lon, crossing.lat), "Farleg")
    # … and from the list.
    response = client.post(
        the_map.url("list"),
        {"category": CROSSING, "places": str(crossing.pk), "comment": "Farleg"},
    )
    assert response.status_code == 302
    on_map, from_list = Contribution.objects.order_by("pk")
    assert on_map.data == from_list.data
    assert (on_map.kind, on_map.text, on_map.needs_answer) == (
        from_list.kind,
        from_list.text,
        from_list.needs_answer,
    )

    # A route: from → via → to.
    stops = [places["Nordbygda busstopp"], places["Fotballbana"], places["Lillevik skule"]]
    mark(client, the_map, ROUTE, line(*((p.lon, p.lat) for p in stops)))
    client.post(
        the_map.url("list"),
        {"category": ROUTE, "places": ",".join(str(p.pk) for p in stops)},
    )
    route_map, route_list = Contribution.objects.order_by("pk")[2:]
    assert route_map.data == route_list.data
    assert route_list.data["geometry"]["coordinates"] == [[p.lon, p.lat] for p in stops]


def test_the_list_builds_a_route_step_by_step_without_javascript(
    client: Client, the_map: Map
) -> None:
    places = add_places(the_map.instance)
    first = client.get(the_map.url("list"))
    assert first.status_code == 200
    assert 'name="kategori"' in first.content.decode()
    step = client.get(the_map.url("list"), {"kategori": ROUTE})
    html = step.content.decode()
    assert "Where does the route start?" in html
    assert "Lillevik skule" in html and "Kaia" in html
    # Search filters the list (GET, no JavaScript).
    searched = client.get(
        the_map.url("list"), {"kategori": ROUTE, "q": "busstopp"}
    ).content.decode()
    assert "Nordbygda busstopp" in searched and "Kaia" not in searched
    start = places["Nordbygda busstopp"].pk
    chosen = client.get(the_map.url("list"), {"kategori": ROUTE, "stader": str(start)})
    html = chosen.content.decode()
    assert "From:" in html and 'id="list-form"' not in html  # one place is not a route yet
    end = places["Lillevik skule"].pk
    ready = client.get(the_map.url("list"), {"kategori": ROUTE, "stader": f"{start},{end}"})
    html = ready.content.decode()
    assert 'id="list-form"' in html and "To:" in html
    assert f'value="{start},{end}"' in html


def test_the_list_refuses_what_the_map_would_refuse(client: Client, the_map: Map) -> None:
    places = add_places(the_map.instance)
    school = places["Lillevik skule"]
    other = make_map(the_map.instance.process.municipality)
    foreign = add_places(other.instance)["Kaia"]
    cases = [
        ({"category": ROUTE, "places": str(school.pk)}, "at least two different places"),
        ({"category": ROUTE, "places": f"{school.pk},{school.pk}"}, "at least two different"),
        ({"category": CROSSING, "places": ""}, "Choose a place from the list."),
        ({"category": CROSSING, "places": f"{school.pk},{foreign.pk}"}, "Choose one place."),
        ({"category": CROSSING, "places": str(foreign.pk)}, "no longer in the list"),
        (
            {"category": PLAY_AREA, "places": ",".join(str(p.pk) for p in places.values())},
            "crosses itself",
        ),
    ]
    for data, message in cases:
        response = client.post(the_map.url("list"), data)
        assert response.status_code == 400, data
        assert message in response.content.decode().replace("&#x27;", "'"), data
    assert Contribution.objects.filter(method_instance=the_map.instance).count() == 0


def test_the_list_says_when_there_are_no_places(client: Client, the_map: Map) -> None:
    html = client.get(the_map.url("list"), {"kategori": CROSSING}).content.decode()
    assert 'id="no-places"' in html


def test_a_logged_in_resident_with_an_address_is_not_asked_for_one(the_map: Map) -> None:
    person = factories.user(email_verified=True)
    client = Client(**EN)
    client.force_login(person)
    html = client.get(the_map.url()).content.decode()
    assert 'name="contact_email"' not in html
    mark(client, the_map, CROSSING, point(5.0657, 61.3457))
    assert Contribution.objects.get().author == person
