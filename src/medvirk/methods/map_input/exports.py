"""The map's downloads.

Public (on the case's open-data page while results are shown):

- ``kart-geojson``: the published marks as a GeoJSON FeatureCollection (RFC 7946): the
  category, the comment and the day. Never a name, an account, an exact time, a school or a
  grade (a small class could single a pupil out). Routes lose their first and last
  ``MEDVIRK_MAP_ROUTE_TRIM_M`` metres, where a home often is (a route shorter than that has
  no geometry), and coordinates are rounded to five decimals (about a metre).
- ``kart-csv``: the same, one row a mark, the geometry as WKT.
- ``tal-csv``: the counts: per category, per sub-area or grid square, per school and grade;
  every count under 5 left out (a square) or written "<5".

Staff (with the ``export`` capability): ``alle-geojson`` and ``alle-csv``, every mark with
its moderation state, school, grade and time of day, sent ``private, no-store``.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.algorithms import geo
from medvirk.core.csvfiles import csv_download
from medvirk.core.uploads import content_disposition
from medvirk.processes.types import MethodInstance

from . import config, queries, results
from .forms import grade_label
from .queries import MarkRow

PUBLIC_DECIMALS = 5


def results_public(instance: MethodInstance) -> bool:
    return config.for_instance(instance).show_results


def _public_shape(mark: MarkRow) -> geo.Geometry | None:
    shape = mark.shape
    if shape is None:
        return None
    positions: tuple[geo.Position, ...] | None = shape.positions
    if shape.kind == geo.LINE:
        positions = geo.trim_line(shape.positions, config.route_trim_m())
    if positions is None:
        return None
    rounded = tuple(
        (round(lon, PUBLIC_DECIMALS), round(lat, PUBLIC_DECIMALS)) for lon, lat in positions
    )
    return geo.Geometry(kind=shape.kind, positions=rounded)


def _day(mark: MarkRow) -> str:
    return timezone.localdate(mark.created_at).isoformat()


def _geojson_response(
    features: list[dict[str, Any]], filename: str, *, private: bool
) -> HttpResponse:
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response


def _name(instance: MethodInstance, what: str) -> str:
    return f"{instance.process.slug}-{instance.slug}-{what}"


# -- public --------------------------------------------------------------------------------


def public_geojson(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    cfg = config.for_instance(instance)
    features = []
    for mark in queries.marks(instance, published_only=True):
        if mark.shape is None:
            continue
        shape = _public_shape(mark)
        features.append(
            {
                "type": "Feature",
                "geometry": shape.geojson() if shape else None,
                "properties": {
                    "category": mark.category,
                    "category_label": cfg.label(mark.category),
                    "comment": mark.text,
                    "date": _day(mark),
                },
            }
        )
    return _geojson_response(features, _name(instance, "kart.geojson"), private=False)


def public_csv(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    cfg = config.for_instance(instance)
    rows: list[list[object]] = [
        [
            _("Category"),
            _("Category key"),
            _("Shape"),
            _("Geometry (WKT, longitude latitude)"),
            _("Comment"),
            _("Date"),
        ]
    ]
    for mark in queries.marks(instance, published_only=True):
        if mark.shape is None:
            continue
        shape = _public_shape(mark)
        rows.append(
            [
                cfg.label(mark.category),
                mark.category,
                mark.shape.kind,
                shape.wkt() if shape else "",
                mark.text,
                _day(mark),
            ]
        )
    return csv_download(rows, _name(instance, "kart.csv"))


def _count(value: int | None, below: int) -> str:
    return f"<{below}" if value is None else str(value)


def count_rows(res: results.Results, cfg: config.MapConfig) -> list[list[object]]:
    """The counts as rows: (what, where, category, count)."""
    rows: list[list[object]] = [[_("Counted"), _("Where or who"), _("Category"), _("Count")]]
    for category in res.categories:
        rows.append(
            [_("Marks per category"), "", category.label, _count(category.count, res.below)]
        )
    labels = [str(c.label) for c in cfg.categories]
    for area in res.areas:
        for label, value in zip(labels, area.counts, strict=True):
            rows.append([_("Marks per sub-area"), area.name, label, _count(value, res.below)])
    for kind, cells in ((_("Places per square"), res.heat), (_("Routes per square"), res.routes)):
        for cell in cells:
            b = cell.bounds
            where = f"{b.west:.5f},{b.south:.5f},{b.east:.5f},{b.north:.5f}"
            if cell.near:
                where += f" ({cell.near})"
            rows.append([kind, where, "", cell.count])
    for group in res.schools:
        for label, value in zip(labels, group.counts, strict=True):
            rows.append(
                [_("Marks per school and grade"), group.name, label, _count(value, res.below)]
            )
    return rows


def public_counts(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    cfg = config.for_instance(instance)
    res = results.compute(
        cfg, queries.marks(instance, published_only=True), queries.places(instance), public=True
    )
    return csv_download(count_rows(res, cfg), _name(instance, "tal.csv"))


# -- staff ---------------------------------------------------------------------------------


def staff_geojson(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    cfg = config.for_instance(instance)
    features = [
        {
            "type": "Feature",
            "id": mark.pk,
            "geometry": mark.shape.geojson() if mark.shape else None,
            "properties": {
                "input": mark.pk,
                "category": mark.category,
                "category_label": cfg.label(mark.category),
                "comment": mark.text,
                "school": mark.school,
                "grade": mark.grade,
                "moderation": mark.moderation,
                "answer_status": mark.status_label,
                "received": timezone.localtime(mark.created_at).isoformat(timespec="seconds"),
            },
        }
        for mark in queries.marks(instance, published_only=False)
    ]
    return _geojson_response(features, _name(instance, "alle-kart.geojson"), private=True)


def staff_csv(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    cfg = config.for_instance(instance)
    rows: list[list[object]] = [
        [
            _("Input no."),
            _("Received"),
            _("Moderation"),
            _("Category"),
            _("Shape"),
            _("Geometry (WKT, longitude latitude)"),
            _("Length (m)"),
            _("Area (m²)"),
            _("School"),
            _("Grade"),
            _("Comment"),
            _("Answer"),
        ]
    ]
    for mark in queries.marks(instance, published_only=False):
        shape = mark.shape
        rows.append(
            [
                mark.pk,
                timezone.localtime(mark.created_at).isoformat(timespec="seconds"),
                mark.moderation_label,
                cfg.label(mark.category),
                shape.kind if shape else "",
                shape.wkt() if shape else "",
                round(shape.length_m) if shape and shape.kind == geo.LINE else "",
                round(shape.area_m2) if shape and shape.kind == geo.POLYGON else "",
                mark.school,
                grade_label(mark.grade) if mark.grade else "",
                mark.text,
                mark.status_label,
            ]
        )
    return csv_download(rows, _name(instance, "alle-kart.csv"), private=True)
