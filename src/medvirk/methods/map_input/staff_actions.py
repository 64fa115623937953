"""Staff writes (and a teacher's, through the private link): classes and their codes,
teachers' links, and the list of places. Each checks, writes in one transaction and leaves
an audit row. ``staff=None`` is the system (the demo) or, with ``teacher``, a teacher acting
through a link: the row then says so instead of naming a person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medvirk.algorithms import geo
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_line, clean_name
from medvirk.core.tokens import new_nonce
from medvirk.organisations import capabilities
from medvirk.processes.models import MethodInstance
from medvirk.vocabulary import Capability

from . import codes, config
from .forms import GRADES
from .models import Place, SchoolClass, TeacherLink
from .refusals import place_message

if TYPE_CHECKING:
    from medvirk.identity.models import User

MAX_CLASSES_PER_LINK = 40
MAX_ERRORS_SHOWN = 20

AUDIT_LABELS = {
    "map_input.class_created": gettext_lazy("Class code made for a map (Barnetråkk)"),
    "map_input.class_closed": gettext_lazy("Class code closed"),
    "map_input.class_reopened": gettext_lazy("Class code opened again"),
    "map_input.teacher_link_created": gettext_lazy("Teacher's link to make class codes made"),
    "map_input.teacher_link_revoked": gettext_lazy("Teacher's link stopped"),
    "map_input.places_replaced": gettext_lazy("List of named places for a map uploaded"),
    "map_input.places_cleared": gettext_lazy("List of named places for a map removed"),
}


def _check_staff(staff: User | None, instance: MethodInstance) -> None:
    if staff is not None and not capabilities.staff_can(
        staff, Capability.MANAGE_PROCESS, instance.process.municipality_id
    ):
        raise ActionRefused(_("Only the staff who run the case can do this."), status=403)


def _record(
    code: str,
    staff: User | None,
    obj: object,
    instance: MethodInstance,
    teacher: TeacherLink | None,
    **data: object,
) -> None:
    extra = {"method": instance.pk, **data}
    if teacher is not None:
        extra["by"] = "teacher_link"
        extra["teacher_link"] = teacher.pk
    audit.record(
        code,
        actor=staff,
        obj=obj,
        municipality_id=instance.process.municipality_id,
        data=extra,
    )


# -- classes -------------------------------------------------------------------------------


def do_create_class(
    staff: User | None,
    instance: MethodInstance,
    *,
    school: str,
    grade: int,
    label: str = "",
    teacher: TeacherLink | None = None,
) -> SchoolClass:
    """A class with a new code. A teacher's link makes classes at its own school only."""
    _check_staff(staff, instance)
    if not config.for_instance(instance).takes_classes:
        raise ActionRefused(
            _("Turn on school classes in the method's settings (“Who marks”) first."),
            status=409,
        )
    if teacher is not None:
        if teacher.method_instance_id != instance.pk or teacher.revoked_at is not None:
            raise ActionRefused(_("This link no longer works."), status=403)
        school = teacher.school
    school = clean_name(school, max_length=120)
    label = clean_line(label)[:20].upper()
    if not school:
        raise ActionRefused(_("Write the school's name."))
    if grade not in GRADES:
        raise ActionRefused(_("Choose the grade."))
    with transaction.atomic():
        if teacher is not None:
            locked = TeacherLink.objects.select_for_update().get(pk=teacher.pk)
            if SchoolClass.objects.filter(teacher_link=locked).count() >= MAX_CLASSES_PER_LINK:
                raise ActionRefused(
                    _("At most %(n)d classes from one link.") % {"n": MAX_CLASSES_PER_LINK},
                    status=409,
                )
        existing = SchoolClass.objects.filter(
            method_instance=instance, school=school, grade=grade, label=label
        ).first()
        if existing is not None:
            raise ActionRefused(
                _("This class has a code already: %(code)s.")
                % {"code": codes.shown(existing.code)},
                status=409,
            )
        created = _insert(instance, school, grade, label, teacher)
        _record(
            "map_input.class_created",
            staff,
            created,
            instance,
            teacher,
            school=school,
            grade=grade,
            label=label,
        )
    return created


def _insert(
    instance: MethodInstance, school: str, grade: int, label: str, teacher: TeacherLink | None
) -> SchoolClass:
    for _attempt in range(20):
        code = codes.new_code()
        if SchoolClass.objects.filter(code=code).exists():
            continue
        try:
            with transaction.atomic():
                return SchoolClass.objects.create(
                    method_instance=instance,
                    school=school,
                    grade=grade,
                    label=label,
                    code=code,
                    teacher_link=teacher,
                )
        except IntegrityError:  # the same code, or the same class, in the same moment
            if SchoolClass.objects.filter(
                method_instance=instance, school=school, grade=grade, label=label
            ).exists():
                raise ActionRefused(_("This class has a code already."), status=409) from None
    raise ActionRefused(_("No free code was found. Try again."), status=503)


def do_set_class_open(
    staff: User | None,
    school_class: SchoolClass,
    *,
    open_: bool,
    teacher: TeacherLink | None = None,
) -> None:
    """Close a class's code (no one joins or marks with it any more) or open it again."""
    instance = school_class.method_instance
    _check_staff(staff, instance)
    if teacher is not None and school_class.teacher_link_id != teacher.pk:
        raise ActionRefused(_("This class was not made with this link."), status=403)
    with transaction.atomic():
        locked = SchoolClass.objects.select_for_update().get(pk=school_class.pk)
        if locked.is_open == open_:
            return
        locked.closed_at = None if open_ else timezone.now()
        locked.save(update_fields=["closed_at"])
        _record(
            "map_input.class_reopened" if open_ else "map_input.class_closed",
            staff,
            locked,
            instance,
            teacher,
            school=locked.school,
            grade=locked.grade,
            label=locked.label,
        )
    school_class.closed_at = locked.closed_at


def do_create_teacher_link(
    staff: User | None, instance: MethodInstance, school: str
) -> TeacherLink:
    _check_staff(staff, instance)
    school = clean_name(school, max_length=120)
    if not school:
        raise ActionRefused(_("Write the school's name."))
    if not config.for_instance(instance).takes_classes:
        raise ActionRefused(
            _("Turn on school classes in the method's settings (“Who marks”) first."),
            status=409,
        )
    with transaction.atomic():
        link = TeacherLink.objects.create(
            method_instance=instance, school=school, nonce=new_nonce()
        )
        _record("map_input.teacher_link_created", staff, link, instance, None, school=school)
    return link


def do_revoke_teacher_link(staff: User | None, link: TeacherLink) -> None:
    """The link stops working at once; the classes made with it keep their codes."""
    instance = link.method_instance
    _check_staff(staff, instance)
    with transaction.atomic():
        locked = TeacherLink.objects.select_for_update().get(pk=link.pk)
        if locked.revoked_at is not None:
            return
        locked.revoked_at = timezone.now()
        locked.nonce = ""
        locked.save(update_fields=["revoked_at", "nonce"])
        _record(
            "map_input.teacher_link_revoked", staff, locked, instance, None, school=locked.school
        )
    link.revoked_at, link.nonce = locked.revoked_at, locked.nonce


# -- places --------------------------------------------------------------------------------


class PlacesRefused(ActionRefused):
    """The list was not stored; ``problems`` has a message per bad row (the first 20)."""

    def __init__(self, problems: list[str], more: int) -> None:
        text = _("Nothing was stored: correct the list and upload it again.")
        super().__init__(text)
        self.problems = problems
        self.more = more


def do_replace_places(staff: User | None, instance: MethodInstance, csv_text: str) -> int:
    """Replace the instance's places with the rows of a CSV text: all, or none when any row
    is wrong. Returns how many were stored."""
    _check_staff(staff, instance)
    cfg = config.for_instance(instance)
    rows, errors = geo.read_places(csv_text, max_rows=config.max_places(), area=cfg.area)
    if errors:
        shown = [place_message(e) for e in errors[:MAX_ERRORS_SHOWN]]
        raise PlacesRefused(shown, max(len(errors) - MAX_ERRORS_SHOWN, 0))
    if not rows:
        raise ActionRefused(_("The list has no places."))
    with transaction.atomic():
        removed, _by_model = Place.objects.filter(method_instance=instance).delete()
        Place.objects.bulk_create(
            Place(method_instance=instance, name=r.name, kind=r.kind, lat=r.lat, lon=r.lon)
            for r in rows
        )
        _record(
            "map_input.places_replaced",
            staff,
            instance,
            instance,
            None,
            places=len(rows),
            replaced=removed,
        )
    return len(rows)


def do_clear_places(staff: User | None, instance: MethodInstance) -> int:
    _check_staff(staff, instance)
    with transaction.atomic():
        removed, _by_model = Place.objects.filter(method_instance=instance).delete()
        if removed:
            _record("map_input.places_cleared", staff, instance, instance, None, places=removed)
    return removed
