"""Why a mark, an area or a list of places was refused, in the person's language.

``algorithms.geo`` says *what* is wrong as a reason code; this module is the one place that
turns each code into words, so the map, the list alternative and the staff pages say the
same thing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from medvirk.algorithms import geo

from .categories import KIND_LABELS, CategoryLineError


def _kinds_text(kinds: tuple[str, ...]) -> str:
    labels = [str(KIND_LABELS[k]) for k in kinds if k in KIND_LABELS]
    if len(labels) < 2:
        return "".join(labels)
    return _("%(list)s or %(last)s") % {"list": ", ".join(labels[:-1]), "last": labels[-1]}


def geometry_message(error: geo.InvalidGeometry) -> str:
    reason, detail = error.reason, error.detail
    if reason == geo.Reason.EMPTY:
        return _("Mark the place, route or area on the map first.")
    if reason == geo.Reason.TOO_LARGE:
        return _(
            "The drawing is too large to send (more than %(kb)d kB). Draw it with fewer points."
        ) % {"kb": int(detail.get("limit", 0)) // 1000}
    if reason in (geo.Reason.NOT_JSON, geo.Reason.NOT_GEOJSON):
        return _("We could not read the drawing. Draw it again on the map.")
    if reason == geo.Reason.MORE_THAN_ONE:
        return _("Send one place, route or area at a time.")
    if reason == geo.Reason.WRONG_TYPE:
        return _(
            "This category takes %(kinds)s, not %(kind)s. Choose another category or draw again."
        ) % {
            "kinds": _kinds_text(tuple(detail.get("allowed", ()))),
            "kind": KIND_LABELS.get(str(detail.get("kind")), ""),
        }
    if reason == geo.Reason.TOO_MANY_VERTICES:
        return _("The drawing has too many points: at most %(n)d.") % {
            "n": int(detail.get("limit", 0))
        }
    if reason == geo.Reason.NOT_A_NUMBER:
        return _("The drawing's coordinates must be numbers. Draw it again on the map.")
    if reason == geo.Reason.NOT_FINITE:
        return _("The drawing has a coordinate that is not a real number. Draw it again.")
    if reason == geo.Reason.OUT_OF_RANGE:
        return _("The drawing has coordinates that are not on the Earth. Draw it again.")
    if reason == geo.Reason.TOO_FEW_POINTS:
        minimum = int(detail.get("minimum", 2))
        if minimum >= 3:
            return _("An area needs at least three corners in different places.")
        return _("A route needs at least two points in different places.")
    if reason == geo.Reason.HOLES:
        return _("An area cannot have holes. Draw only its outline.")
    if reason == geo.Reason.OUTSIDE_AREA:
        return _("Part of the drawing is outside the area of this map. Keep it inside the line.")
    if reason == geo.Reason.SELF_CROSSING:
        return _("The area's outline crosses itself. Draw the corners in order around it.")
    if reason == geo.Reason.NO_SIZE:
        return _("The area has no size: its corners lie on one line.")
    if reason == geo.Reason.TOO_BIG:
        return _("The area is too large (at most %(km2)s km²). Draw a smaller area.") % {
            "km2": f"{float(detail.get('limit', 0)) / 1_000_000:g}"
        }
    return _("We could not read the drawing. Draw it again on the map.")


def area_message(error: geo.AreaError) -> str:
    problem = error.problem
    texts = {
        geo.AreaProblem.NOT_UNDERSTOOD: _(
            "Write four numbers (west, south, east, north) or paste GeoJSON."
        ),
        geo.AreaProblem.ORDER: _(
            "The order is west, south, east, north: west must be less than east, and south "
            "less than north."
        ),
        geo.AreaProblem.OUT_OF_RANGE: _(
            "Longitude is from -180 to 180 and latitude from -90 to 90."
        ),
        geo.AreaProblem.NOT_POLYGON: _("The GeoJSON must be polygons (Polygon or MultiPolygon)."),
        geo.AreaProblem.TOO_FEW_POINTS: _("An area needs at least three corners."),
        geo.AreaProblem.TOO_MANY_VERTICES: _("The area has too many corners (at most 20 000)."),
        geo.AreaProblem.CROSSES_ITSELF: _("The area's outline crosses itself."),
        geo.AreaProblem.NO_NAME: _("Every sub-area needs a name."),
        geo.AreaProblem.NAME_TOO_LONG: _("A sub-area's name has at most 80 characters."),
        geo.AreaProblem.DUPLICATE_NAME: _("Two sub-areas have the same name."),
        geo.AreaProblem.TOO_MANY: _("At most 100 sub-areas."),
    }
    text = str(texts.get(problem, texts[geo.AreaProblem.NOT_UNDERSTOOD]))
    if error.line is not None:
        return _("Line %(line)d: %(problem)s") % {"line": error.line, "problem": text}
    return text


def category_message(error: CategoryLineError) -> str:
    texts = {
        "fields": _("write key; label; shapes; colour (the colour may be left out)."),
        "key": _(
            "the key is lower-case letters a–z, digits and _, starting with a letter (at most 40)."
        ),
        "duplicate": _("this key is used on an earlier line."),
        "label": _("write a label of at most 80 characters."),
        "kinds": _("the shapes are point, line or polygon, joined with + (point+polygon)."),
        "colour": _("the colour is written #rrggbb, e.g. #0b5394."),
        "contrast": _(
            "the colour is too light to see on the map: it needs a contrast of at least 3:1 "
            "against white."
        ),
        "too_many": _("at most 12 categories."),
    }
    return _("Line %(line)d: %(problem)s") % {
        "line": error.line,
        "problem": texts.get(error.problem, texts["fields"]),
    }


def place_message(error: geo.RowError) -> str:
    texts = {
        geo.PlaceProblem.NO_HEADER: _(
            "The first line must name the columns, at least name, latitude and longitude "
            "(e.g. namn;breiddegrad;lengdegrad;type)."
        ),
        geo.PlaceProblem.NO_NAME: _("the place has no name."),
        geo.PlaceProblem.NAME_TOO_LONG: _("the name is longer than 120 characters."),
        geo.PlaceProblem.NOT_A_NUMBER: _("latitude and longitude must be numbers."),
        geo.PlaceProblem.OUT_OF_RANGE: _(
            "latitude is from -90 to 90 and longitude from -180 to 180 (are they swapped?)."
        ),
        geo.PlaceProblem.OUTSIDE_AREA: _("the place is outside the map's area."),
        geo.PlaceProblem.DUPLICATE: _("a place with this name and kind is on an earlier line."),
        geo.PlaceProblem.TOO_MANY: _("too many places: the list stops here."),
    }
    text = str(texts.get(error.problem, texts[geo.PlaceProblem.NOT_A_NUMBER]))
    if error.problem == geo.PlaceProblem.NO_HEADER:
        return text
    return _("Line %(line)d: %(problem)s") % {"line": error.line, "problem": text}
