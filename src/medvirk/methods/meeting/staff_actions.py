"""Writes staff make in the meeting method: a meeting added, changed or cancelled, the
gjestebod host's link, and how many took part. Each checks the staff member's capability,
writes in one transaction and leaves an audit row. ``staff=None`` is the demo loader and
tests acting as the system (nothing is audited then).

- Saving a meeting checks the times (it ends after it starts) and the rest again. A raised
  capacity moves people up from the wait list; a changed time or place is e-mailed to
  everyone registered, with the new calendar entry. A gjestebod takes no registrations
  (the host invites); a new or changed host e-mail gets a new private link by e-mail (the
  old one stops working), and no e-mail means no link.
- Cancelling an upcoming meeting without results: registration closes at once, everyone
  registered or waiting and the host are told by e-mail (with a calendar cancellation),
  and then the registrations are deleted. The meeting stays, marked cancelled with the
  reason, for those who meant to come without registering.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medvirk.contributions.models import Contribution
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_line, clean_name, clean_title
from medvirk.core.tokens import new_nonce
from medvirk.organisations import capabilities
from medvirk.processes.models import MethodInstance
from medvirk.vocabulary import Capability

from . import actions, tasks
from .models import Format, Meeting, Registration

if TYPE_CHECKING:
    from medvirk.identity.models import User

MAX_DESCRIPTION = 4000
MAX_ACCESSIBILITY = 2000
MAX_CAPACITY = 100_000
MAX_ATTENDANCE = 100_000
MAX_MESSAGE = 1000
MAX_DAYS = 7  # a meeting lasts at most a week (a plansmie is one to three days)

AUDIT_LABELS = {
    "meeting.saved": gettext_lazy("Meeting added or changed"),
    "meeting.cancelled": gettext_lazy("Meeting cancelled (everyone registered told)"),
    "meeting.host_link_sent": gettext_lazy("Gjestebod host's link sent"),
    "meeting.attendance_saved": gettext_lazy("Number who took part in a meeting saved"),
    "meeting.results_reported": gettext_lazy("Results of a gjestebod reported by its host"),
    "meeting.registrations_deleted": gettext_lazy(
        "Registrations of a meeting held deleted (names, addresses and needs)"
    ),
}


@dataclass
class MeetingData:
    """What staff give about a meeting (the form's cleaned data)."""

    format: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    description: str = ""
    place_name: str = ""
    address: str = ""
    step_free: bool = False
    hearing_loop: bool = False
    accessible_toilet: bool = False
    accessibility: str = ""
    digital_link: str = ""
    capacity: int | None = None
    registration_open: bool = True
    host_name: str = ""
    host_email: str = ""


def check_staff(staff: User | None, instance: MethodInstance, capability: Capability) -> None:
    if instance.method_key != actions.METHOD_KEY:
        raise ActionRefused(_("These are not meetings."), status=404)
    if staff is None:
        return
    if not capabilities.staff_can(staff, capability, instance.process.municipality_id):
        raise ActionRefused(
            _("Your role in this municipality does not let you do this."), status=403
        )


def _text(value: str, limit: int, label: str) -> str:
    text = value.replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise ActionRefused(
            _("%(field)s: at most %(max)d characters.") % {"field": label, "max": limit}
        )
    return text


def clean(data: MeetingData) -> MeetingData:
    """Everything checked again, whatever the form did; refusals name the field."""
    if data.format not in Format.values:
        raise ActionRefused(_("Choose the kind of meeting."))
    title = clean_title(data.title)
    if not title:
        raise ActionRefused(_("Give the meeting a title."))
    if data.starts_at >= data.ends_at:
        raise ActionRefused(_("The meeting must end after it starts."))
    if data.ends_at - data.starts_at > dt.timedelta(days=MAX_DAYS):
        raise ActionRefused(_("A meeting lasts at most %(n)d days.") % {"n": MAX_DAYS})
    if data.capacity is not None and not 1 <= data.capacity <= MAX_CAPACITY:
        raise ActionRefused(
            _("Places: from 1 to %(max)d, or empty for no limit.") % {"max": MAX_CAPACITY}
        )
    link = data.digital_link.strip()
    if link:
        try:
            URLValidator(schemes=["https", "http"])(link)
        except ValidationError as exc:
            raise ActionRefused(
                _("The link to take part online must be a web address (https://…).")
            ) from exc
    host_name = clean_name(data.host_name)
    host_email = data.host_email.strip()
    is_hosted = data.format == Format.HOSTED
    if not is_hosted:
        host_name, host_email = "", ""
    if host_email:
        try:
            validate_email(host_email)
        except ValidationError as exc:
            raise ActionRefused(_("The host's e-mail address is not valid.")) from exc
    return MeetingData(
        format=data.format,
        title=title,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        description=_text(data.description, MAX_DESCRIPTION, _("What it is about")),
        place_name=clean_line(data.place_name)[:200],
        address=clean_line(data.address)[:300],
        step_free=data.step_free,
        hearing_loop=data.hearing_loop,
        accessible_toilet=data.accessible_toilet,
        accessibility=_text(data.accessibility, MAX_ACCESSIBILITY, _("Accessibility, in words")),
        digital_link=link,
        capacity=data.capacity,
        # A gjestebod is by the host's invitation: no registration through the site.
        registration_open=data.registration_open and not is_hosted,
        host_name=host_name,
        host_email=host_email,
    )


def do_save_meeting(
    staff: User | None,
    instance: MethodInstance,
    data: MeetingData,
    meeting: Meeting | None = None,
) -> Meeting:
    """Add a meeting (``meeting`` None) or change one of this instance."""
    check_staff(staff, instance, Capability.MANAGE_PROCESS)
    cleaned = clean(data)
    with transaction.atomic():
        if meeting is None:
            target = Meeting(method_instance=instance)
            before: dict[str, object] = {}
        else:
            found = (
                Meeting.objects.select_for_update()
                .filter(pk=meeting.pk, method_instance=instance)
                .first()
            )
            if found is None:
                raise ActionRefused(_("This meeting is no longer here."), status=404)
            target = found
            before = {f.name: getattr(target, f.name) for f in fields(MeetingData)}
        new_host = cleaned.host_email and (
            cleaned.host_email.lower() != str(before.get("host_email", "")).lower()
            or not target.host_nonce
        )
        for f in fields(MeetingData):
            setattr(target, f.name, getattr(cleaned, f.name))
        if not cleaned.host_email:
            target.host_nonce = ""  # no host, no link
        elif new_host:
            target.host_nonce = new_nonce()  # a new host (or address): a new link
        target.save()
        changed = (
            sorted(name for name in before if before[name] != getattr(target, name))
            if before
            else []
        )
        moved: list[int] = []
        if meeting is not None:
            moved = actions.promote(target)
            if {"starts_at", "ends_at", "place_name", "address"} & set(changed):
                _tell_changed(target, exclude=moved)
        if new_host:
            pk = target.pk
            transaction.on_commit(lambda: tasks.send_host_link.enqueue(pk))
        if staff is not None:
            audit.record(
                "meeting.saved",
                actor=staff,
                obj=target,
                municipality_id=instance.process.municipality_id,
                data={
                    "method": instance.pk,
                    "new": meeting is None,
                    "changed": changed,
                    "moved_up": len(moved),
                    "host_link_sent": bool(new_host),
                },
            )
    return target


def _tell_changed(meeting: Meeting, exclude: list[int]) -> None:
    """Everyone registered hears of a new time or place (an upcoming meeting only)."""
    if meeting.ends_at <= timezone.now():
        return
    ids = list(
        Registration.objects.filter(meeting=meeting, status=Registration.Status.REGISTERED)
        .exclude(pk__in=exclude)
        .values_list("pk", flat=True)
    )
    for pk in ids:
        transaction.on_commit(partial(tasks.send_registration.enqueue, pk, tasks.CHANGED))


def has_results(meeting: Meeting) -> bool:
    return Contribution.objects.filter(
        method_instance_id=meeting.method_instance_id,
        kind=actions.RESULT_KIND,
        data__meeting=meeting.pk,
    ).exists()


def do_cancel_meeting(staff: User | None, meeting: Meeting, message: str = "") -> int:
    """Cancel an upcoming meeting: registration closes, it is marked cancelled with the
    reason, and everyone registered or waiting (and the host) is told. Returns how many
    are told."""
    instance = meeting.method_instance
    check_staff(staff, instance, Capability.MANAGE_PROCESS)
    text = _text(message, MAX_MESSAGE, _("Message to those registered"))
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        if locked is None:
            raise ActionRefused(_("This meeting is no longer here."), status=404)
        if locked.cancelled_at is not None:
            raise ActionRefused(_("This meeting is already cancelled."), status=409)
        if locked.ends_at <= timezone.now():
            raise ActionRefused(
                _("The meeting has been held, so it cannot be cancelled."), status=409
            )
        if has_results(locked):
            raise ActionRefused(
                _("Results are registered for this meeting, so it cannot be cancelled."),
                status=409,
            )
        active = Registration.objects.filter(meeting=locked).exclude(
            status=Registration.Status.CANCELLED
        )
        ids = list(active.values_list("pk", flat=True))
        active.update(status=Registration.Status.CANCELLED, updated_at=timezone.now())
        locked.registration_open = False
        locked.cancelled_at = timezone.now()
        locked.cancel_reason = text
        locked.save(update_fields=["registration_open", "cancelled_at", "cancel_reason"])
        if staff is not None:
            audit.record(
                "meeting.cancelled",
                actor=staff,
                obj=locked,
                municipality_id=instance.process.municipality_id,
                data={
                    "method": instance.pk,
                    "title": locked.title,
                    "starts_at": locked.starts_at.isoformat(),
                    "registrations": len(ids),
                },
            )
        pk = locked.pk
        transaction.on_commit(lambda: tasks.announce_cancellation.enqueue(pk, ids, text))
    return len(ids) + (1 if locked.host_email else 0)


def do_send_host_link(staff: User | None, meeting: Meeting, *, new_link: bool = False) -> None:
    """E-mail the host their link again; ``new_link`` first makes a new one (the old one
    stops working)."""
    instance = meeting.method_instance
    check_staff(staff, instance, Capability.MANAGE_PROCESS)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.format != Format.HOSTED or not locked.host_email:
            raise ActionRefused(_("Give the host's e-mail address first."), status=409)
        if new_link or not locked.host_nonce:
            locked.host_nonce = new_nonce()
            locked.save(update_fields=["host_nonce"])
        if staff is not None:
            audit.record(
                "meeting.host_link_sent",
                actor=staff,
                obj=locked,
                municipality_id=instance.process.municipality_id,
                data={"meeting": locked.pk, "new_link": new_link},
            )
        pk = locked.pk
        transaction.on_commit(lambda: tasks.send_host_link.enqueue(pk))
    meeting.host_nonce = locked.host_nonce


def do_set_attendance(staff: User | None, meeting: Meeting, attendance: int | None) -> None:
    """How many took part, as counted (empty: not known)."""
    instance = meeting.method_instance
    check_staff(staff, instance, Capability.MANAGE_PROCESS)
    if attendance is not None and not 0 <= attendance <= MAX_ATTENDANCE:
        raise ActionRefused(_("How many took part: from 0 to %(max)d.") % {"max": MAX_ATTENDANCE})
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if attendance is not None and locked.starts_at > timezone.now():
            raise ActionRefused(
                _("The meeting has not started yet: count who took part afterwards."),
                status=409,
            )
        before = locked.attendance
        locked.attendance = attendance
        locked.save(update_fields=["attendance"])
        if staff is not None:
            audit.record(
                "meeting.attendance_saved",
                actor=staff,
                obj=locked,
                municipality_id=instance.process.municipality_id,
                data={"meeting": locked.pk, "from": before, "to": attendance},
            )
    meeting.attendance = attendance


def do_delete_registrations(staff: User | None, meeting: Meeting) -> int:
    """After the meeting: delete its registrations (names, addresses, needs), which were
    only for planning it. How many took part stays. Returns how many were deleted."""
    instance = meeting.method_instance
    check_staff(staff, instance, Capability.MANAGE_PROCESS)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.ends_at > timezone.now():
            raise ActionRefused(
                _("The registrations can be deleted once the meeting is over."), status=409
            )
        deleted, _rows = Registration.objects.filter(meeting=locked).delete()
        if staff is not None:
            audit.record(
                "meeting.registrations_deleted",
                actor=staff,
                obj=locked,
                municipality_id=instance.process.municipality_id,
                data={"meeting": locked.pk, "registrations": deleted},
            )
    return deleted
