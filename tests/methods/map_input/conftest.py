"""Fixtures for the map method: a published case with a running phase and a published map
instance over a small area around Lillevik, named places, classes, and helpers to post.

Tiles are off in every test (``MEDVIRK_MAP_TILES = None``): the map works on a plain
background and no test reaches the network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from medvirk.identity.models import User
from medvirk.methods.map_input import staff_actions
from medvirk.methods.map_input.models import Place, SchoolClass
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, PhaseKind
from tests import factories
from tests.factories import DAY

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
AREA = "5.03, 61.33, 5.10, 61.36"
SETTINGS: dict[str, Any] = {"preset": "children", "area": AREA, "view": "61.347, 5.065, 15"}

# Named places inside AREA: (name, kind, lat, lon)
PLACES = (
    ("Lillevik skule", "skule", 61.3484, 5.0697),
    ("Krysset ved butikken", "kryss", 61.3457, 5.0657),
    ("Nordbygda busstopp", "busstopp", 61.3564, 5.0652),
    ("Fotballbana", "idrett", 61.3499, 5.0716),
    ("Kaia", "kai", 61.3441, 5.0609),
)


def map_data(html: str) -> dict[str, Any]:
    """The JSON data block the drawing module reads."""
    found = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', html, re.S)
    assert found, "no map data on the page"
    return dict(json.loads(found.group(1)))


def point(lon: float, lat: float) -> str:
    return json.dumps({"type": "Point", "coordinates": [lon, lat]})


def line(*positions: tuple[float, float]) -> str:
    return json.dumps({"type": "LineString", "coordinates": [list(p) for p in positions]})


def polygon(*positions: tuple[float, float]) -> str:
    ring = [list(p) for p in (*positions, positions[0])]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@dataclass
class Map:
    """A map instance and the addresses of its pages."""

    instance: MethodInstance

    def url(self, name: str = "", **kwargs: Any) -> str:
        if not name:
            return self.instance.get_absolute_url()
        return registry.get("map_input").url(self.instance, name, **kwargs)

    def export_url(self, key: str) -> str:
        return registry.get("map_input").export_url(self.instance, key)

    def places(self) -> dict[str, Place]:
        return {p.name: p for p in Place.objects.filter(method_instance=self.instance)}


def make_map(org: Municipality, settings: Mapping[str, Any] | None = None) -> Map:
    now = timezone.now()
    proc = factories.process(org)
    ph = factories.phase(
        proc, start=now - 10 * DAY, end=now + 30 * DAY, kind=PhaseKind.INVESTIGATION
    )
    instance = factories.method(
        proc, ph, key="map_input", title="Barnetråkk", settings={**SETTINGS, **(settings or {})}
    )
    return Map(instance)


def add_places(instance: MethodInstance) -> dict[str, Place]:
    rows = ["name;lat;lon;type", *(f"{n};{lat};{lon};{k}" for n, k, lat, lon in PLACES)]
    staff_actions.do_replace_places(None, instance, "\n".join(rows))
    return {p.name: p for p in Place.objects.filter(method_instance=instance)}


def make_class(
    instance: MethodInstance, school: str = "Lillevik skule", grade: int = 4, label: str = "A"
) -> SchoolClass:
    return staff_actions.do_create_class(None, instance, school=school, grade=grade, label=label)


def join(client: Client, m: Map, school_class: SchoolClass, **override: Any) -> Any:
    data = {"code": school_class.code, "school": school_class.school, "grade": school_class.grade}
    data.update(override)
    return client.post(m.url("join"), data)


@pytest.fixture(autouse=True)
def english_and_no_tiles(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    settings.MEDVIRK_MAP_TILES = None
    with translation.override("en"):
        yield


@pytest.fixture
def org() -> Municipality:
    return factories.municipality("Lillevik")


@pytest.fixture
def officer(org: Municipality) -> User:
    return factories.staff(org, Role.CASE_OFFICER)


@pytest.fixture
def moderator(org: Municipality) -> User:
    return factories.staff(org, Role.MODERATOR)


@pytest.fixture
def the_map(org: Municipality) -> Map:
    return make_map(org)


@pytest.fixture
def class_map(org: Municipality) -> Map:
    return make_map(org, {"participants": "both"})


@pytest.fixture
def client() -> Client:
    return Client(**EN)


@pytest.fixture
def staff_client(officer: User) -> Client:
    c = Client(**EN)
    c.force_login(officer)
    return c
