"""Residents' writes: a mark (from the map or from the list of places), joining a class.

A mark is one contribution of kind ``map_mark`` through the core's ``do_contribute``; its
``data`` holds the category's key and the geometry as GeoJSON, and for a pupil the class's
school and grade::

    {"category": "dangerous_crossing",
     "geometry": {"type": "Point", "coordinates": [5.0641, 61.3462]},
     "school": "Lillevik skule", "grade": 4}

The map and the list alternative end in the same :func:`_store`, through the same checks
(``algorithms.geo``), so a mark is the same whichever way it was made. A comment is the
contribution's text; a mark without one asks for no answer (it counts in the results) and
has no free text for moderation to read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils.translation import gettext as _

from medvirk.algorithms import geo
from medvirk.contributions.actions import Draft, Receipt, do_contribute
from medvirk.core.errors import ActionRefused
from medvirk.processes import permissions
from medvirk.processes.models import MethodInstance

from . import codes, config
from .forms import MAX_COMMENT
from .models import Place, SchoolClass
from .refusals import geometry_message

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.models import User

METHOD_KEY = "map_input"
MARK = "mark"
KIND = "map_mark"


class NeedsClass(ActionRefused):
    """The map is for school classes only, and this browser has joined none."""


class WrongCode(ActionRefused):
    """No open class has this code at this school and grade (counted against guessing)."""


@dataclass(frozen=True)
class Pupil:
    """A pupil marking for a class: the class, and the browser's random pupil id."""

    school_class: SchoolClass
    pupil: str


def check_mark(
    user: User | AnonymousUser, instance: MethodInstance, pupil: Pupil | None = None
) -> None:
    """Raise :class:`ActionRefused` when this person (or pupil) cannot mark here now."""
    verdict = permissions.can_act(user, instance, MARK)
    if not verdict:
        raise ActionRefused(verdict.reason, status=403)
    cfg = config.for_instance(instance)
    if pupil is None:
        if cfg.classes_only:
            raise NeedsClass(
                _("This map is for school classes. Join with the code your teacher gave you."),
                status=403,
            )
        return
    if not cfg.takes_classes or pupil.school_class.method_instance_id != instance.pk:
        raise ActionRefused(_("This map does not take school classes."), status=403)
    if not pupil.school_class.is_open:
        raise ActionRefused(
            _("Your class's code is closed, so the class cannot add more marks. Ask your teacher."),
            status=403,
        )


def _mode(cfg: config.MapConfig, value: str) -> Any:
    mode = cfg.mode(value)
    if mode is None:
        raise ActionRefused(_("Choose what you want to mark."))
    return mode


def _comment(text: str) -> str:
    text = text.strip()
    if len(text) > MAX_COMMENT:
        raise ActionRefused(
            _("At most %(max)d characters (you wrote %(n)d).")
            % {"max": MAX_COMMENT, "n": len(text)}
        )
    return text


def do_mark(
    user: User | AnonymousUser,
    instance: MethodInstance,
    *,
    mode: str,
    geometry: str,
    comment: str = "",
    contact_email: str = "",
    pupil: Pupil | None = None,
) -> Receipt:
    """A mark drawn on the map (``geometry``: the GeoJSON text the page posted)."""
    check_mark(user, instance, pupil)
    cfg = config.for_instance(instance)
    chosen = _mode(cfg, mode)
    text = _comment(comment)
    try:
        shape = geo.parse(
            geometry, allowed=chosen.category.kinds, area=cfg.area, limits=config.limits()
        )
    except geo.InvalidGeometry as error:
        raise ActionRefused(geometry_message(error)) from error
    return _store(user, instance, chosen.category.key, shape, text, contact_email, pupil)


def do_mark_from_places(
    user: User | AnonymousUser,
    instance: MethodInstance,
    *,
    mode: str,
    place_ids: Sequence[int],
    comment: str = "",
    contact_email: str = "",
    pupil: Pupil | None = None,
) -> Receipt:
    """The same mark from the list of places: one place, or a route or an area through
    places in the order chosen."""
    check_mark(user, instance, pupil)
    cfg = config.for_instance(instance)
    chosen = _mode(cfg, mode)
    text = _comment(comment)
    shape = shape_from_places(instance, chosen.kind, place_ids, cfg)
    return _store(user, instance, chosen.category.key, shape, text, contact_email, pupil)


def shape_from_places(
    instance: MethodInstance, kind: str, place_ids: Sequence[int], cfg: config.MapConfig
) -> geo.Geometry:
    """The geometry through these places of the instance, checked like a drawing."""
    if not place_ids:
        raise ActionRefused(_("Choose a place from the list."))
    if kind == geo.POINT and len(place_ids) != 1:
        raise ActionRefused(_("Choose one place."))
    limit = config.limits().max_vertices
    if len(place_ids) > limit:
        raise ActionRefused(_("At most %(n)d places.") % {"n": limit})
    found = {p.pk: p for p in Place.objects.filter(method_instance=instance, pk__in=place_ids)}
    if any(pk not in found for pk in place_ids):
        raise ActionRefused(_("One of the places is no longer in the list. Choose again."))
    positions = [(found[pk].lon, found[pk].lat) for pk in place_ids]
    try:
        return geo.build(kind, positions, area=cfg.area, limits=config.limits())
    except geo.InvalidGeometry as error:
        if error.reason == geo.Reason.TOO_FEW_POINTS:
            if kind == geo.LINE:
                raise ActionRefused(_("A route needs at least two different places.")) from error
            raise ActionRefused(_("An area needs at least three different places.")) from error
        raise ActionRefused(geometry_message(error)) from error


def mark_data(category: str, shape: geo.Geometry, pupil: Pupil | None) -> dict[str, Any]:
    data: dict[str, Any] = {"category": category, "geometry": shape.geojson()}
    if pupil is not None:
        data["school"] = pupil.school_class.school
        data["grade"] = pupil.school_class.grade
    return data


def _store(
    user: User | AnonymousUser,
    instance: MethodInstance,
    category: str,
    shape: geo.Geometry,
    comment: str,
    contact_email: str,
    pupil: Pupil | None,
) -> Receipt:
    draft = Draft(
        kind=KIND,
        text=comment,
        data=mark_data(category, shape, pupil),
        # Pupils give no e-mail; the class hears back through the teacher and the results.
        contact_email="" if pupil is not None else contact_email.strip(),
        needs_answer=bool(comment),
        # The data holds choices and coordinates (and a school's name): only a comment is
        # free text for moderation.
        has_free_text=bool(comment),
    )
    return do_contribute(user, instance, MARK, draft)


# -- classes -------------------------------------------------------------------------------


def pupil_of(instance: MethodInstance, class_pk: int, pupil: str) -> Pupil | None:
    """The class a browser joined, if it still belongs to this instance."""
    found = SchoolClass.objects.filter(pk=class_pk, method_instance=instance).first()
    return Pupil(found, pupil) if found is not None else None


def do_join(
    user: User | AnonymousUser, instance: MethodInstance, *, code: str, school: str, grade: int
) -> SchoolClass:
    """The open class with this code, school and grade; :class:`WrongCode` when there is none
    (the caller counts it against guessing). Counts the join."""
    cfg = config.for_instance(instance)
    if not cfg.takes_classes:
        raise ActionRefused(_("This map does not take school classes."), status=403)
    verdict = permissions.can_act(user, instance, MARK)
    if not verdict:
        raise ActionRefused(verdict.reason, status=403)
    typed = codes.normalise(code)
    found = (
        SchoolClass.objects.filter(
            method_instance=instance, code=typed, school=school, grade=grade
        ).first()
        if typed
        else None
    )
    if found is None:
        raise WrongCode(
            _(
                "We found no class with this code at this school and grade. Check the code "
                "and your choices with your teacher."
            )
        )
    if not found.is_open:
        raise ActionRefused(_("This class code is closed. Ask your teacher."), status=403)
    SchoolClass.objects.filter(pk=found.pk).update(joined=F("joined") + 1)
    return found
