"""Setting a map up: the settings (categories, area, start view, sub-areas) validated and
stable, the named places uploaded from a spreadsheet all or nothing, the staff hub, and the
demo seed."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from medvirk.algorithms.geo import distance_m
from medvirk.contributions.models import Contribution
from medvirk.core.audit import AuditEntry
from medvirk.demo.loader import load_demo
from medvirk.identity.models import User
from medvirk.methods.map_input import config, demo
from medvirk.methods.map_input.models import Place, SchoolClass
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from medvirk.processes.registry import SettingsInvalid
from tests import factories
from tests.methods.map_input.conftest import EN, Map, make_map, map_data

pytestmark = pytest.mark.django_db

PLUGIN = registry.get("map_input")


def test_own_categories_replace_the_preset_and_are_stored_canonically() -> None:
    cleaned = PLUGIN.validate_settings(
        {
            "categories": "bench; A bench is missing;punkt\n\nroute;My route; line ;#0B5394\n"
            "square; Ein plass; point+område"
        }
    )
    assert cleaned["categories"] == (
        "bench; A bench is missing; point; #0b5394\n"
        "route; My route; line; #0b5394\n"
        "square; Ein plass; point+polygon; #8a4b00"
    )
    assert PLUGIN.validate_settings(cleaned) == cleaned


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("Bench; A bench; point", "Line 1: the key is lower-case"),
        ("bench; A bench", "Line 1: write key; label"),
        ("bench; A bench; circle", "the shapes are point, line or polygon"),
        ("bench; A bench; point\nbench; Again; point", "Line 2: this key is used"),
        ("bench; A bench; point; blue", "written #rrggbb"),
        ("bench; A bench; point; #ffff00", "too light"),
    ],
)
def test_wrong_categories_are_refused_with_the_line(lines: str, message: str) -> None:
    with pytest.raises(SettingsInvalid) as caught:
        PLUGIN.validate_settings({"categories": lines})
    assert message in str(caught.value)


def test_area_view_and_sub_areas_are_checked() -> None:
    cleaned = PLUGIN.validate_settings(
        {
            "area": "5.03;61.33;5.1;61.36",
            "view": "61.347,5.065,15",
            "sub_areas": "Sentrum:5.06,61.34,5.07,61.35",
        }
    )
    assert cleaned["area"] == "5.03, 61.33, 5.1, 61.36"
    assert cleaned["view"] == "61.347, 5.065, 15"
    assert cleaned["sub_areas"] == "Sentrum: 5.06, 61.34, 5.07, 61.35"
    assert PLUGIN.validate_settings(cleaned) == cleaned
    for raw, message in (
        ({"area": "5.1, 61.33, 5.03, 61.36"}, "west must be less than east"),
        ({"area": "here"}, "Write four numbers"),
        ({"view": "61.347, 5.065"}, "Write latitude, longitude and zoom"),
        ({"area": "5.03, 61.33, 5.1, 61.36", "view": "5.065, 61.347, 15"}, "inside its area"),
        ({"sub_areas": "Sentrum 5.06,61.34,5.07,61.35"}, "Line 1"),
        ({"cell_size": 5}, "greater than or equal to 25"),
    ):
        with pytest.raises(SettingsInvalid) as caught:
            PLUGIN.validate_settings(raw)
        assert message in str(caught.value), raw


def test_the_page_gives_the_drawing_module_the_area_view_and_categories(
    client: Client, the_map: Map
) -> None:
    data = map_data(client.get(the_map.url()).content.decode())
    assert data["area"]["type"] == "Polygon"
    assert data["bounds"] == [[61.33, 5.03], [61.36, 5.1]]
    assert data["view"] == {"lat": 61.347, "lon": 5.065, "zoom": 15}
    assert data["tiles"] is None
    assert data["categories"]["way_to_school"]["number"] == 1
    assert data["maxVertices"] == 300
    assert "{n}" in data["text"]["count"]


# -- places ---------------------------------------------------------------------------------


def upload(client: Client, m: Map, text: str, encoding: str = "utf-8") -> Any:
    file = SimpleUploadedFile("stader.csv", text.encode(encoding), content_type="text/csv")
    return client.post(m.url("staff_places"), {"action": "upload", "file": file})


def test_staff_upload_a_norwegian_spreadsheet(staff_client: Client, the_map: Map) -> None:
    text = (
        "namn;breiddegrad;lengdegrad;type\n"
        "Lillevik skule;61,3484;5,0697;skule\n"
        "Kaia;61,3441;5,0609;kai\n"
    )
    response = upload(staff_client, the_map, text, "cp1252")
    assert response.status_code == 302
    assert sorted(Place.objects.values_list("name", "kind")) == [
        ("Kaia", "kai"),
        ("Lillevik skule", "skule"),
    ]
    entry = AuditEntry.objects.get(action="map_input.places_replaced")
    assert entry.data["places"] == 2
    # A new list replaces the old one.
    upload(staff_client, the_map, "name,lat,lon\nFotballbana,61.3499,5.0716\n")
    assert list(Place.objects.values_list("name", flat=True)) == ["Fotballbana"]


def test_a_list_with_bad_rows_stores_nothing_and_says_which(
    staff_client: Client, the_map: Map
) -> None:
    upload(staff_client, the_map, "name,lat,lon\nKaia,61.3441,5.0609\n")
    text = "name,lat,lon\nA,61.3484,5.0697\n,61.35,5.06\nB,north,5.06\nC,59.91,10.75\n"
    response = upload(staff_client, the_map, text)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was stored" in html
    assert "Line 3: the place has no name." in html
    assert "Line 4: latitude and longitude must be numbers." in html
    assert "Line 5: the place is outside the map&#x27;s area." in html
    assert list(Place.objects.values_list("name", flat=True)) == ["Kaia"]
    response = upload(staff_client, the_map, "navn;x;y\nA;1;2\n")
    assert "The first line must name the columns" in response.content.decode()


def test_only_staff_who_run_the_case_upload(org: Municipality, the_map: Map) -> None:
    moderator: User = factories.staff(org, Role.MODERATOR)
    client = Client(**EN)
    client.force_login(moderator)
    response = upload(client, the_map, "name,lat,lon\nKaia,61.3441,5.0609\n")
    assert response.status_code == 403
    assert Place.objects.count() == 0


def test_the_staff_hub(staff_client: Client, the_map: Map) -> None:
    instance = the_map.instance
    url = f"/stab/sak/{instance.process_id}/metode/{instance.pk}/innhald/"
    response = staff_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="setup"' in html and the_map.url("staff_places") in html
    assert "No named places yet" in html


# -- the demo -------------------------------------------------------------------------------


def test_the_demo_seed_makes_two_classes_and_their_marks(org: Municipality) -> None:
    factories.staff(org, Role.CASE_OFFICER)
    factories.staff(org, Role.MODERATOR)
    org.moderation_mode = "auto"
    org.save()
    m = make_map(org, demo.SETTINGS)
    made = PLUGIN.demo_seed(m.instance, random.Random(7))
    assert made == Contribution.objects.filter(method_instance=m.instance).count() > 35
    classes = SchoolClass.objects.filter(method_instance=m.instance)
    assert sorted((c.school, c.grade) for c in classes) == [
        ("Lillevik skule", 4),
        ("Lillevik skule", 7),
    ]
    assert all(c.joined == 3 for c in classes)  # the pupils joined with the code
    cfg = config.for_instance(m.instance)
    marks = Contribution.objects.filter(method_instance=m.instance)
    for mark in marks:
        positions = mark.data["geometry"]["coordinates"]
        flat = [positions] if mark.data["geometry"]["type"] == "Point" else positions
        if mark.data["geometry"]["type"] == "Polygon":
            flat = positions[0]
        assert all(cfg.area.contains(tuple(p)) for p in flat)
    grades = {mark.data.get("grade") for mark in marks}
    assert {4, 7} <= grades
    assert marks.filter(response__isnull=False).count() >= 3
    assert not marks.filter(moderation="pending").exists()
    assert Place.objects.filter(method_instance=m.instance).count() == len(demo.PLACES)
    # Everything within about 3 km of the centre.
    for place in Place.objects.filter(method_instance=m.instance):
        assert distance_m((place.lon, place.lat), demo.CENTRE) < 3000
    assert PLUGIN.demo_seed(m.instance, random.Random(7)) == 0  # once


def test_the_lillevik_demo_has_barnetrakk_with_two_classes(client: Client, settings: Any) -> None:
    load_demo()
    instance = MethodInstance.objects.get(method_key="map_input")
    assert instance.slug == "barnetrakk"
    assert config.for_instance(instance).takes_classes
    classes = SchoolClass.objects.filter(method_instance=instance)
    assert {(c.grade, c.label) for c in classes} == {(4, "A"), (7, "B")}
    marks = Contribution.objects.filter(method_instance=instance)
    assert marks.count() > 35
    assert marks.filter(response__isnull=False).exists()
    with translation.override("nn"):
        page = client.get(instance.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="nn")
    assert page.status_code == 200
    assert client.get(instance.get_absolute_url() + "resultat/").status_code == 200
