"""An instance's map, read from its settings (validated when saved) and from the site's
settings (``MEDVIRK_MAP_…``, read with defaults; see docs/methods/map_input.md).

Site settings:

- ``MEDVIRK_MAP_TILES``: the background map, a dict ``{"url", "attribution", "max_zoom"}``
  (an XYZ/WMTS template with ``{z}``, ``{x}``, ``{y}``), or ``None``/``{}`` for none: a plain
  background, and everything else works. Default: Kartverket's open topographic map.
- ``MEDVIRK_MAP_MAX_BYTES`` (1 000 000), ``MEDVIRK_MAP_MAX_VERTICES`` (300),
  ``MEDVIRK_MAP_MAX_POLYGON_M2`` (2 000 000): the limits on one mark.
- ``MEDVIRK_MAP_SUPPRESS_BELOW`` (5): public counts below it are not shown.
- ``MEDVIRK_MAP_ROUTE_TRIM_M`` (150): public exports leave out the first and last metres of
  each route, where a home often is.
- ``MEDVIRK_MAP_MAX_PLACES`` (3000): rows in an uploaded list of places.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from medvirk.algorithms import geo
from medvirk.core.middleware import CSP
from medvirk.processes.types import MethodInstance

from . import categories
from .categories import Category, Mode

EVERYONE, CLASSES, BOTH = "everyone", "classes", "both"
DEFAULT_CELL_M = 100
DEFAULT_ZOOM = 14

KARTVERKET_TOPO = {
    "url": ("https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png"),
    "attribution": "© Kartverket",
    "max_zoom": 18,
}


@dataclass(frozen=True)
class View:
    lat: float
    lon: float
    zoom: int


@dataclass(frozen=True)
class MapConfig:
    categories: tuple[Category, ...]
    area: geo.Area
    view: View | None
    sub_areas: tuple[geo.NamedArea, ...]
    cell_m: int
    participants: str
    show_results: bool
    by_key: dict[str, Category] = field(default_factory=dict)

    @property
    def modes(self) -> list[Mode]:
        return [mode for category in self.categories for mode in category.modes()]

    def mode(self, value: str) -> Mode | None:
        key, _sep, kind = value.partition(":")
        category = self.by_key.get(key)
        if category is None or kind not in category.kinds:
            return None
        return Mode(category, kind)

    def label(self, key: str) -> str:
        category = self.by_key.get(key)
        return str(category.label) if category else key

    @property
    def takes_classes(self) -> bool:
        return self.participants in (CLASSES, BOTH)

    @property
    def classes_only(self) -> bool:
        return self.participants == CLASSES

    @property
    def grid(self) -> geo.Grid:
        return geo.Grid.over(self.area.bounds, self.cell_m)


def parse_view(text: str) -> View | None:
    """ "latitude, longitude, zoom" (as map sites show them), or None for an empty text.
    ValueError when it is not that."""
    text = text.strip()
    if not text:
        return None
    parts = [p for p in text.replace(";", ",").split(",") if p.strip()]
    if len(parts) != 3:
        raise ValueError("three numbers")
    lat, lon = float(parts[0]), float(parts[1])
    zoom = int(parts[2])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 1 <= zoom <= 19):
        raise ValueError("out of range")
    return View(round(lat, 6), round(lon, 6), zoom)


def view_text(view: View | None) -> str:
    return "" if view is None else f"{view.lat}, {view.lon}, {view.zoom}"


@lru_cache(maxsize=128)
def _config(raw: str) -> MapConfig:
    values: dict[str, Any] = json.loads(raw)
    custom = str(values.get("categories", "") or "")
    try:
        chosen = categories.parse_lines(custom) if custom.strip() else []
    except categories.CategoryLineError:
        chosen = []  # validated on save; a hand-edited row falls back to the preset
    if not chosen:
        chosen = categories.preset(str(values.get("preset", categories.CHILDREN)))
    try:
        area = geo.parse_area(str(values.get("area", "") or ""))
    except geo.AreaError:
        area = geo.parse_area("")
    try:
        view = parse_view(str(values.get("view", "") or ""))
    except ValueError:
        view = None
    try:
        subs, _text = geo.parse_sub_areas(str(values.get("sub_areas", "") or ""))
    except geo.AreaError:
        subs = []
    return MapConfig(
        categories=tuple(chosen),
        area=area,
        view=view,
        sub_areas=tuple(subs),
        cell_m=int(values.get("cell_size", DEFAULT_CELL_M) or DEFAULT_CELL_M),
        participants=str(values.get("participants", EVERYONE)),
        show_results=bool(values.get("show_results", True)),
        by_key={c.key: c for c in chosen},
    )


def for_instance(instance: MethodInstance) -> MapConfig:
    """The instance's map (cached by its settings' text: parsing an area is not free)."""
    return _config(json.dumps(instance.settings or {}, sort_keys=True, default=str))


# -- site settings ------------------------------------------------------------------------


def limits() -> geo.Limits:
    return geo.Limits(
        max_bytes=int(getattr(settings, "MEDVIRK_MAP_MAX_BYTES", 1_000_000)),
        max_vertices=int(getattr(settings, "MEDVIRK_MAP_MAX_VERTICES", 300)),
        max_polygon_m2=float(getattr(settings, "MEDVIRK_MAP_MAX_POLYGON_M2", 2_000_000)),
    )


def suppress_below() -> int:
    return int(getattr(settings, "MEDVIRK_MAP_SUPPRESS_BELOW", 5))


def route_trim_m() -> float:
    return float(getattr(settings, "MEDVIRK_MAP_ROUTE_TRIM_M", 150))


def max_places() -> int:
    return int(getattr(settings, "MEDVIRK_MAP_MAX_PLACES", 3000))


@dataclass(frozen=True)
class Tiles:
    url: str
    attribution: str
    max_zoom: int

    @property
    def source(self) -> str:
        """The origin for the Content-Security-Policy (``{s}`` subdomains as a wildcard)."""
        parts = urlsplit(self.url.replace("{s}", "*"))
        return f"{parts.scheme}://{parts.netloc}"


def tiles() -> Tiles | None:
    """The background map, or None when the site has none (tests, an offline kiosk)."""
    raw = getattr(settings, "MEDVIRK_MAP_TILES", KARTVERKET_TOPO)
    if not raw:
        return None
    url = str(raw.get("url", "")) if isinstance(raw, dict) else str(raw)
    if not url.startswith(("https://", "http://")) or "{z}" not in url:
        return None
    attribution = str(raw.get("attribution", "")) if isinstance(raw, dict) else ""
    max_zoom = int(raw.get("max_zoom", 18)) if isinstance(raw, dict) else 18
    return Tiles(url=url, attribution=attribution, max_zoom=max_zoom)


def map_csp() -> str:
    """The site's policy with the tile server added to ``img-src`` (only the map pages)."""
    source = tiles()
    if source is None:
        return CSP
    directives = [d.strip() for d in CSP.split(";") if d.strip()]
    for index, directive in enumerate(directives):
        if directive.startswith("img-src "):
            directives[index] = f"{directive} {source.source}"
            break
    else:  # the site's policy has no img-src: the tile server and our own images
        directives.append(f"img-src 'self' data: {source.source}")
    return "; ".join(directives)
