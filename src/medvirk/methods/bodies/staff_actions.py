"""Staff writes: bodies, their members, meetings (agenda and minutes), and which bodies a
case asks for a statement. Each checks the capability first, writes in one transaction
and leaves an audit row.

Bodies belong to the municipality: a case officer with ``manage_process`` keeps them from
any case's editor. ``staff`` None is the system itself (the demo's seed), as in the other
methods' seeds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medvirk.core import audit, uploads
from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_line, clean_name, clean_title
from medvirk.organisations import capabilities
from medvirk.organisations import queries as organisation_queries
from medvirk.organisations.models import Municipality
from medvirk.processes.models import MethodInstance
from medvirk.vocabulary import Capability

from .actions import METHOD_KEY
from .models import (
    AgendaItem,
    Body,
    BodyKind,
    BodyMeeting,
    BodyMember,
    MeetingStatus,
    MemberRole,
    Statement,
    StatementRequest,
)

if TYPE_CHECKING:
    from medvirk.identity.models import User

AUDIT_LABELS = {
    "bodies.body_saved": gettext_lazy("Council or committee added or changed"),
    "bodies.member_saved": gettext_lazy("Member of a council or committee added or changed"),
    "bodies.member_removed": gettext_lazy("Member of a council or committee removed"),
    "bodies.meeting_saved": gettext_lazy("Meeting of a council or committee added or changed"),
    "bodies.meeting_deleted": gettext_lazy("Meeting of a council or committee deleted"),
    "bodies.agenda_changed": gettext_lazy("Agenda of a council's or committee's meeting changed"),
    "bodies.minutes_saved": gettext_lazy("Minutes of a council's or committee's meeting saved"),
    "bodies.body_asked": gettext_lazy("Council or committee asked for a statement"),
    "bodies.request_changed": gettext_lazy("Request for a statement changed"),
    "bodies.request_removed": gettext_lazy("Request for a statement withdrawn"),
    "bodies.statement_registered": gettext_lazy("Statement of a council or committee registered"),
}

# Storage prefix of minutes files (then year/month/random name).
STORAGE_PREFIX = "organ"
MINUTES_KINDS = uploads.ATTACHMENT_KINDS
# The legal basis a body of each kind usually has, offered when staff leave it empty.
DEFAULT_LEGAL_BASIS: dict[str, str] = {
    BodyKind.COMMITTEE: "kommuneloven §§ 5-7 og 5-3",
    BodyKind.DISTRICT: "kommuneloven §§ 5-7 og 5-8",
    BodyKind.YOUTH_COUNCIL: "kommuneloven § 5-12 og forskrift om medverknadsordningar",
    BodyKind.CHILDREN_COUNCIL: "kommuneloven § 5-12 (anna representasjonsordning for ungdom)",
    BodyKind.BOARD: "kommuneloven § 5-2 andre ledd bokstav b",
    BodyKind.ELDERLY_COUNCIL: "kommuneloven § 5-12 og forskrift om medverknadsordningar",
    BodyKind.DISABILITY_COUNCIL: "kommuneloven § 5-12 og forskrift om medverknadsordningar",
}
# Ungdomsråd: elected for at most two years (NORWAY.md, "Councils").
YOUTH_TERM_DAYS = 2 * 366


def check_staff(staff: User | None, municipality_id: int, capability: Capability) -> None:
    if staff is None:
        return
    if not capabilities.staff_can(staff, capability, municipality_id):
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


def _record(action: str, staff: User | None, obj: Any, municipality_id: int, **data: Any) -> None:
    audit.record(action, actor=staff, obj=obj, municipality_id=municipality_id, data=data)


# -- bodies ----------------------------------------------------------------------------------


@dataclass
class BodyData:
    kind: str
    name: str
    slug: str = ""
    mandate: str = ""
    delegation: str = ""
    legal_basis: str = ""
    contact_email: str = ""
    is_published: bool = False


BODY_FIELDS = (
    "kind",
    "name",
    "slug",
    "mandate",
    "delegation",
    "legal_basis",
    "contact_email",
    "is_published",
)


def clean_body(data: BodyData) -> BodyData:
    if data.kind not in BodyKind.values:
        raise ActionRefused(_("Choose what kind of body this is."))
    name = clean_title(data.name, max_length=150)
    if not name:
        raise ActionRefused(_("Give the body its name."))
    slug = slugify(data.slug or name)[:80].strip("-")
    if not slug:
        raise ActionRefused(_("Give the body an address with letters or digits."))
    email = data.contact_email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ActionRefused(_("The e-mail address is not valid.")) from exc
    return BodyData(
        kind=data.kind,
        name=name,
        slug=slug,
        mandate=_text(data.mandate, 4000, _("Mandate")),
        delegation=_text(data.delegation, 4000, _("What it may decide itself")),
        legal_basis=clean_line(data.legal_basis)[:300] or DEFAULT_LEGAL_BASIS[data.kind],
        contact_email=email,
        is_published=bool(data.is_published),
    )


def do_save_body(
    staff: User | None, municipality: Municipality, data: BodyData, body: Body | None = None
) -> Body:
    """Add a body to the municipality (``body`` None) or change one of its own."""
    check_staff(staff, municipality.pk, Capability.MANAGE_PROCESS)
    cleaned = clean_body(data)
    with transaction.atomic():
        if body is None:
            target = Body(municipality=municipality)
            before: dict[str, Any] = {}
        else:
            found = (
                Body.objects.select_for_update()
                .filter(pk=body.pk, municipality=municipality)
                .first()
            )
            if found is None:
                raise ActionRefused(_("This body is no longer here."), status=404)
            target = found
            before = {f: getattr(target, f) for f in BODY_FIELDS}
        taken = Body.objects.filter(municipality=municipality, slug=cleaned.slug)
        if target.pk is not None:
            taken = taken.exclude(pk=target.pk)
        if taken.exists():
            raise ActionRefused(
                _("Another body already has the address “%(slug)s”. Choose another.")
                % {"slug": cleaned.slug}
            )
        for f in BODY_FIELDS:
            setattr(target, f, getattr(cleaned, f))
        target.save()
        changed = sorted(f for f in before if before[f] != getattr(target, f))
        _record(
            "bodies.body_saved",
            staff,
            target,
            municipality.pk,
            new=body is None,
            fields=changed,
            kind=target.kind,
            is_published=target.is_published,
        )
    return target


# -- members ---------------------------------------------------------------------------------


@dataclass
class MemberData:
    name: str
    role: str
    term_from: dt.date
    term_to: dt.date | None = None
    represents: str = ""
    name_public: bool = True
    # Username or e-mail address of the member's account; "" unlinks it.
    account: str = ""


def _member_values(body: Body, data: MemberData) -> dict[str, Any]:
    name = clean_name(data.name)
    if not name:
        raise ActionRefused(_("Give the member's name."))
    if data.role not in MemberRole.values:
        raise ActionRefused(_("Choose the member's role."))
    if data.term_from is None:
        raise ActionRefused(_("Give the first day of the term."))
    if data.term_to is not None and data.term_to < data.term_from:
        raise ActionRefused(_("The term cannot end before it starts."))
    youth = body.kind == BodyKind.YOUTH_COUNCIL and data.role != MemberRole.SECRETARY
    if youth and (data.term_to is None or (data.term_to - data.term_from).days > YOUTH_TERM_DAYS):
        raise ActionRefused(
            _(
                "Members of a youth council are elected for at most two years "
                "(forskrift om medverknadsordningar): give the last day of the term, "
                "at most two years after the first."
            )
        )
    user = None
    account = data.account.strip()
    if account:
        user = organisation_queries.person_by_login(account)
        if user is None:
            raise ActionRefused(_("No account has that username or e-mail address."))
    return {
        "name": name,
        "role": data.role,
        "term_from": data.term_from,
        "term_to": data.term_to,
        "represents": clean_line(data.represents)[:200],
        "name_public": bool(data.name_public),
        "user": user,
    }


def do_save_member(
    staff: User | None, body: Body, data: MemberData, member: BodyMember | None = None
) -> BodyMember:
    check_staff(staff, body.municipality_id, Capability.MANAGE_PROCESS)
    values = _member_values(body, data)
    with transaction.atomic():
        if member is None:
            target = BodyMember(body=body)
            before: dict[str, Any] = {}
        else:
            found = BodyMember.objects.select_for_update().filter(pk=member.pk, body=body).first()
            if found is None:
                raise ActionRefused(_("This member is no longer here."), status=404)
            target = found
            before = {k: getattr(target, k) for k in values}
        for key, value in values.items():
            setattr(target, key, value)
        target.save()
        _record(
            "bodies.member_saved",
            staff,
            target,
            body.municipality_id,
            body=body.pk,
            new=member is None,
            role=target.role,
            fields=sorted(k for k in before if before[k] != values[k]),
            # Whether an account is linked, never which: the link is the person's data.
            account_linked=target.user_id is not None,
        )
    return target


def do_remove_member(staff: User | None, member: BodyMember) -> None:
    body = member.body
    check_staff(staff, body.municipality_id, Capability.MANAGE_PROCESS)
    with transaction.atomic():
        _record(
            "bodies.member_removed",
            staff,
            member,
            body.municipality_id,
            body=body.pk,
            role=member.role,
        )
        BodyMember.objects.filter(pk=member.pk, body=body).delete()


# -- meetings, agenda, minutes ---------------------------------------------------------------


@dataclass
class MeetingData:
    starts_at: dt.datetime
    place: str = ""
    status: str = MeetingStatus.PLANNED


def do_save_meeting(
    staff: User | None, body: Body, data: MeetingData, meeting: BodyMeeting | None = None
) -> BodyMeeting:
    check_staff(staff, body.municipality_id, Capability.MANAGE_PROCESS)
    if data.status not in MeetingStatus.values:
        raise ActionRefused(_("Choose the meeting's status."))
    if data.starts_at is None:
        raise ActionRefused(_("Give the day and time of the meeting."))
    if data.status == MeetingStatus.HELD and data.starts_at > timezone.now():
        raise ActionRefused(_("A meeting in the future cannot have been held."))
    place = clean_line(data.place)[:200]
    with transaction.atomic():
        if meeting is None:
            target = BodyMeeting(body=body)
        else:
            found = BodyMeeting.objects.select_for_update().filter(pk=meeting.pk, body=body).first()
            if found is None:
                raise ActionRefused(_("This meeting is no longer here."), status=404)
            target = found
            if (
                data.status == MeetingStatus.CANCELLED
                and Statement.objects.filter(meeting=target).exists()
            ):
                raise ActionRefused(
                    _("A statement was adopted in this meeting, so it was not cancelled.")
                )
        target.starts_at, target.place, target.status = data.starts_at, place, data.status
        target.save()
        _record(
            "bodies.meeting_saved",
            staff,
            target,
            body.municipality_id,
            body=body.pk,
            new=meeting is None,
            status=target.status,
            starts_at=target.starts_at.isoformat(),
        )
    return target


def do_delete_meeting(staff: User | None, meeting: BodyMeeting) -> None:
    body = meeting.body
    check_staff(staff, body.municipality_id, Capability.MANAGE_PROCESS)
    with transaction.atomic():
        if Statement.objects.filter(meeting=meeting).exists():
            raise ActionRefused(
                _(
                    "A statement was adopted in this meeting: it stays. Mark it cancelled only "
                    "if it was not held."
                )
            )
        stored = meeting.minutes_file.name or ""
        _record(
            "bodies.meeting_deleted",
            staff,
            meeting,
            body.municipality_id,
            body=body.pk,
            starts_at=meeting.starts_at.isoformat(),
        )
        BodyMeeting.objects.filter(pk=meeting.pk).delete()
        if stored:
            uploads.delete_after_commit([stored])


def do_add_agenda_item(
    staff: User | None, meeting: BodyMeeting, title: str, case_reference: str = ""
) -> AgendaItem:
    body = meeting.body
    check_staff(staff, body.municipality_id, Capability.MANAGE_PROCESS)
    cleaned = clean_title(title)
    if not cleaned:
        raise ActionRefused(_("Give the agenda item a title."))
    with transaction.atomic():
        BodyMeeting.objects.select_for_update().filter(pk=meeting.pk).first()
        last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"] or 0
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=last + 1,
            title=cleaned,
            case_reference=clean_line(case_reference)[:60],
        )
        _record(
            "bodies.agenda_changed",
            staff,
            meeting,
            body.municipality_id,
            change="added",
            item=item.pk,
        )
    return item


def do_remove_agenda_item(staff: User | None, item: AgendaItem) -> None:
    meeting = item.meeting
    check_staff(staff, meeting.body.municipality_id, Capability.MANAGE_PROCESS)
    with transaction.atomic():
        AgendaItem.objects.filter(pk=item.pk).delete()
        _record(
            "bodies.agenda_changed",
            staff,
            meeting,
            meeting.body.municipality_id,
            change="removed",
            item=item.pk,
            title=item.title,
        )


def do_move_agenda_item(staff: User | None, item: AgendaItem, *, up: bool) -> None:
    """Swap the item with the one before (``up``) or after it."""
    meeting = item.meeting
    check_staff(staff, meeting.body.municipality_id, Capability.MANAGE_PROCESS)
    with transaction.atomic():
        BodyMeeting.objects.select_for_update().filter(pk=meeting.pk).first()
        items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"))
        index = next((i for i, it in enumerate(items) if it.pk == item.pk), None)
        if index is None:
            raise ActionRefused(_("This agenda item is no longer here."), status=404)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(items):
            return
        items[index], items[other] = items[other], items[index]
        for position, it in enumerate(items, start=1):
            it.position = position
        AgendaItem.objects.bulk_update(items, ["position"])
        _record(
            "bodies.agenda_changed",
            staff,
            meeting,
            meeting.body.municipality_id,
            change="moved",
            item=item.pk,
            order=[it.pk for it in items],
        )


def do_save_minutes(
    staff: User | None,
    meeting: BodyMeeting,
    text: str,
    checked: uploads.CheckedUpload | None = None,
    *,
    remove_file: bool = False,
) -> BodyMeeting:
    """The minutes as text and/or a file (a new file replaces the old one)."""
    body = meeting.body
    check_staff(staff, body.municipality_id, Capability.MANAGE_PROCESS)
    minutes = _text(text, 20000, _("Minutes"))
    if checked is not None and checked.kind not in MINUTES_KINDS:
        raise ActionRefused(_("The minutes must be a PDF, an image or a text document."))
    with uploads.discard_on_failure() as written, transaction.atomic():
        locked = BodyMeeting.objects.select_for_update().filter(pk=meeting.pk, body=body).first()
        if locked is None:
            raise ActionRefused(_("This meeting is no longer here."), status=404)
        old = locked.minutes_file.name or ""
        locked.minutes = minutes
        if checked is not None:
            stored = uploads.store(checked, STORAGE_PREFIX)
            written.append(stored)
            locked.minutes_file = stored
            locked.minutes_filename = checked.name
            locked.minutes_content_type = checked.content_type
            locked.minutes_size = checked.size
        elif remove_file:
            locked.minutes_file = ""
            locked.minutes_filename = ""
            locked.minutes_content_type = ""
            locked.minutes_size = 0
        locked.save()
        if old and (checked is not None or remove_file):
            uploads.delete_after_commit([old])
        _record(
            "bodies.minutes_saved",
            staff,
            locked,
            body.municipality_id,
            body=body.pk,
            text=bool(minutes),
            file=bool(locked.minutes_file.name),
            file_replaced=bool(old) and (checked is not None or remove_file),
        )
    return locked


# -- which bodies a case asks ----------------------------------------------------------------


def _check_instance(staff: User | None, instance: MethodInstance) -> None:
    if instance.method_key != METHOD_KEY:
        raise ActionRefused(_("This is not a request for statements."), status=404)
    check_staff(staff, instance.process.municipality_id, Capability.MANAGE_PROCESS)


def do_ask_body(
    staff: User | None,
    instance: MethodInstance,
    body: Body,
    deadline: dt.date,
    question: str = "",
) -> StatementRequest:
    """Ask one of the municipality's published bodies for its statement by ``deadline``."""
    _check_instance(staff, instance)
    if body.municipality_id != instance.process.municipality_id:
        raise ActionRefused(_("Choose one of the municipality's bodies."), status=404)
    if not body.is_published:
        raise ActionRefused(_("Publish the body first: residents must see who was asked."))
    if deadline is None:
        raise ActionRefused(_("Give the deadline for the statement."))
    with transaction.atomic():
        if StatementRequest.objects.filter(method_instance=instance, body=body).exists():
            raise ActionRefused(
                _("%(body)s is already asked here.") % {"body": body.name}, status=409
            )
        request = StatementRequest.objects.create(
            method_instance=instance,
            body=body,
            deadline=deadline,
            question=_text(question, 2000, _("What the body is asked about")),
        )
        _record(
            "bodies.body_asked",
            staff,
            request,
            body.municipality_id,
            body=body.pk,
            instance=instance.pk,
            deadline=deadline.isoformat(),
        )
    return request


def do_change_request(
    staff: User | None, request: StatementRequest, deadline: dt.date, question: str = ""
) -> StatementRequest:
    instance = request.method_instance
    _check_instance(staff, instance)
    if deadline is None:
        raise ActionRefused(_("Give the deadline for the statement."))
    with transaction.atomic():
        locked = StatementRequest.objects.select_for_update().get(pk=request.pk)
        before = locked.deadline
        locked.deadline = deadline
        locked.question = _text(question, 2000, _("What the body is asked about"))
        locked.save(update_fields=["deadline", "question"])
        _record(
            "bodies.request_changed",
            staff,
            locked,
            instance.process.municipality_id,
            body=locked.body_id,
            deadline_before=before.isoformat(),
            deadline=deadline.isoformat(),
        )
    return locked


def do_remove_request(staff: User | None, request: StatementRequest) -> None:
    instance = request.method_instance
    _check_instance(staff, instance)
    with transaction.atomic():
        locked = StatementRequest.objects.select_for_update().get(pk=request.pk)
        if Statement.objects.filter(request=locked).exists():
            raise ActionRefused(_("The body has given its statement: the request stays with it."))
        _record(
            "bodies.request_removed",
            staff,
            locked,
            instance.process.municipality_id,
            body=locked.body_id,
        )
        locked.delete()
