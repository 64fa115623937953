"""Writes of the meeting method that residents and gjestebod hosts make: registering for a
meeting (or its wait list), cancelling through the private link, and the results.

Registration and the wait list
    The meeting's row is locked (``select_for_update``) while a place is counted and taken,
    so when two people take the last place at once one gets it and the other is put on the
    wait list. Cancelling a place moves the first on the wait list up (in the order they
    came), and tells them by e-mail. One registration per address per meeting (the database
    refuses a second while the first is not cancelled).

Results
    Each result is one contribution (kind ``meeting_result``, channel "meeting") with its
    structure in ``data``: ``{"meeting": pk, "type": note|postit|priority|photo,
    "stage": kritikk|fantasi|realisering, "rank": n, "guests": n}``. Staff register them on
    the meeting's behalf (``registered_by``, audited, dated the meeting's day, at its
    place); a gjestebod host reports them without an account through their private link,
    as the action "report" (the link is the permission). All rows of one report are stored
    or none. A photo is an attachment (images only, never public) and needs the reporter's
    word that everyone recognisable agreed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.accountability import contact
from medvirk.contributions import attachments
from medvirk.contributions.actions import Draft, Receipt, do_contribute
from medvirk.contributions.models import Attachment, Channel
from medvirk.core import audit, ratelimit, uploads
from medvirk.core.errors import ActionRefused
from medvirk.core.filetypes import IMAGES
from medvirk.core.text import clean_name
from medvirk.core.tokens import new_nonce
from medvirk.processes import permissions
from medvirk.processes.models import MethodInstance

from . import demographics as demographics_module
from . import links, tasks
from . import needs as needs_module
from .demographics import Demographics
from .guides import ResultType, Stage
from .models import Format, Meeting, Registration

if TYPE_CHECKING:
    from medvirk.identity.models import User

METHOD_KEY = "meeting"
REGISTER = "register"
REPORT = "report"
RESULT_KIND = "meeting_result"
MAX_RESULT_TEXT = 2000
MAX_RANK = 100
MAX_GUESTS = 500
MAX_ROWS = 30

Status = Registration.Status


class AlreadyRegistered(ActionRefused):
    """The address has a registration for this meeting already (409); its link was sent
    to that address again."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "This e-mail address is already registered for this meeting. We have sent the "
                "link to see or cancel that registration to the address again."
            ),
            status=409,
        )


def _meeting_of(instance: MethodInstance, meeting: Meeting) -> None:
    if meeting.method_instance_id != instance.pk:
        raise ActionRefused(_("This meeting is not part of this page."), status=404)


# -- registration ---------------------------------------------------------------------------


def check_register(user: User | AnonymousUser, instance: MethodInstance, meeting: Meeting) -> None:
    """Raise :class:`ActionRefused` (403) when this person cannot register for it now."""
    _meeting_of(instance, meeting)
    permissions.require(user, instance, REGISTER)
    if meeting.format == Format.HOSTED:
        raise ActionRefused(
            _("A gjestebod is by the host's own invitation: there is no registration here."),
            status=403,
        )
    if meeting.cancelled_at is not None:
        raise ActionRefused(_("This meeting is cancelled."), status=403)
    if meeting.starts_at <= timezone.now():
        raise ActionRefused(_("This meeting has started or is over."), status=403)
    if not meeting.registration_open:
        raise ActionRefused(_("Registration for this meeting is closed."), status=403)


@dataclass(frozen=True)
class Registered:
    registration: Registration
    token: str

    @property
    def waiting(self) -> bool:
        return self.registration.status == Status.WAITING


def do_register(
    user: User | AnonymousUser,
    instance: MethodInstance,
    meeting: Meeting,
    *,
    name: str,
    email: str,
    needs: Mapping[str, Any],
    language: str = "",
    demographics: Demographics | None = None,
) -> Registered:
    """A place at the meeting, or on its wait list when it is full.

    A logged-in person with a verified e-mail address is registered with that address
    whatever ``email`` says. A second registration of one address is refused with
    :class:`AlreadyRegistered` (409), and the existing link is e-mailed to it again.
    ``demographics`` is what the person consented to tell (None: no consent, so nothing
    of it is stored); the consent is recorded with the time.
    """
    check_register(user, instance, meeting)
    own = contact.account_email(user)
    address = (own or email).strip()
    if not address:
        raise ActionRefused(_("Give your e-mail address: the confirmation goes there."))
    cleaned_name = clean_name(name, max_length=150)
    if not cleaned_name:
        raise ActionRefused(_("Give your name."))
    cleaned_needs = needs_module.clean(needs)
    told = demographics_module.clean(instance, demographics)
    with transaction.atomic():
        # The lock: two people taking the last place at once are counted one after the other.
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        check_register(user, instance, locked)
        existing = (
            Registration.objects.filter(meeting=locked, email__iexact=address)
            .exclude(status=Status.CANCELLED)
            .first()
        )
        if existing is None:
            registration = _create(
                user, locked, cleaned_name, address, cleaned_needs, language, told
            )
            pk = registration.pk
            kind = tasks.WAITING if registration.status == Status.WAITING else tasks.REGISTERED
            if own or ratelimit.hit("email_to", "meeting", address.lower()):
                transaction.on_commit(lambda: tasks.send_registration.enqueue(pk, kind))
    if existing is not None:
        # Outside the transaction (nothing was written): the link goes out again.
        _send_again(existing, typed=not own)
        raise AlreadyRegistered()
    registration.meeting = locked
    return Registered(registration, links.registration_token(registration))


def _create(
    user: User | AnonymousUser,
    locked: Meeting,
    name: str,
    address: str,
    cleaned_needs: dict[str, Any],
    language: str,
    told: Demographics | None,
) -> Registration:
    """The registration row: a place while the meeting has one, else the wait list."""
    taken = Registration.objects.filter(meeting=locked, status=Status.REGISTERED).count()
    full = locked.capacity is not None and taken >= locked.capacity
    try:
        with transaction.atomic():
            return Registration.objects.create(
                meeting=locked,
                user=user if user.is_authenticated else None,
                name=name,
                email=address,
                needs=cleaned_needs,
                status=Status.WAITING if full else Status.REGISTERED,
                nonce=new_nonce(),
                language=language[:5],
                age_band=told.age_band if told else "",
                sex=told.sex if told else "",
                district=told.district if told else "",
                demographics_consent_at=timezone.now() if told else None,
            )
    except IntegrityError as exc:  # the same address in the same moment, past the lock
        raise AlreadyRegistered() from exc


def _send_again(existing: Registration, *, typed: bool) -> None:
    """The existing registration's link to its own address, limited per address (anyone
    can type an address)."""
    if typed and not ratelimit.hit("email_to", "meeting", existing.email.lower()):
        return
    pk = existing.pk
    transaction.on_commit(lambda: tasks.send_registration.enqueue(pk, tasks.AGAIN))


def promote(meeting: Meeting) -> list[int]:
    """Move people up from the wait list while there are places (call with the meeting's
    row locked); their ids, each told by e-mail after the commit."""
    if meeting.starts_at <= timezone.now():
        return []
    taken = Registration.objects.filter(meeting=meeting, status=Status.REGISTERED).count()
    waiting = Registration.objects.filter(meeting=meeting, status=Status.WAITING).order_by(
        "created_at", "pk"
    )
    if meeting.capacity is not None:
        free = max(meeting.capacity - taken, 0)
        waiting = waiting[:free]
    moved = list(waiting.values_list("pk", flat=True))
    if moved:
        Registration.objects.filter(pk__in=moved).update(
            status=Status.REGISTERED, updated_at=timezone.now()
        )
        for pk in moved:
            transaction.on_commit(partial(tasks.send_registration.enqueue, pk, tasks.PROMOTED))
    return moved


def do_cancel_registration(registration: Registration) -> list[int]:
    """Cancel a place or a place on the wait list (through the private link); the first
    waiting moves up. Returns the ids moved up. Cancelling twice changes nothing (409)."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status == Status.CANCELLED:
            raise ActionRefused(_("This registration is already cancelled."), status=409)
        if meeting.ends_at <= timezone.now():
            raise ActionRefused(_("The meeting is over: there is nothing to cancel."), status=409)
        locked.status = Status.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        moved = promote(meeting)
    registration.status = Status.CANCELLED
    return moved


# -- results -----------------------------------------------------------------------------


@dataclass
class ResultRow:
    """One result as the form gives it."""

    type: str
    text: str
    stage: str = ""
    rank: int | None = None
    photo: uploads.CheckedUpload | None = None
    consent: bool = False


def check_results_open(meeting: Meeting) -> None:
    if meeting.cancelled_at is not None:
        raise ActionRefused(_("This meeting is cancelled: it has no results."), status=409)
    if meeting.starts_at > timezone.now():
        raise ActionRefused(
            _("Results can be registered once the meeting has started."), status=409
        )


def _clean_row(meeting: Meeting, row: ResultRow, number: int) -> ResultRow:
    """The row checked again (a path around the form meets the same rules)."""
    where = _("Result %(n)d") % {"n": number}
    if row.type not in ResultType.values:
        raise ActionRefused(_("%(where)s: choose what kind of result it is.") % {"where": where})
    text = row.text.strip()
    if not text:
        raise ActionRefused(_("%(where)s: write the result.") % {"where": where})
    if len(text) > MAX_RESULT_TEXT:
        raise ActionRefused(
            _("%(where)s: at most %(max)d characters.") % {"where": where, "max": MAX_RESULT_TEXT}
        )
    stage = row.stage
    if meeting.format == Format.FUTURE_WORKSHOP:
        if stage not in Stage.values:
            raise ActionRefused(
                _("%(where)s: choose the stage of the workshop.") % {"where": where}
            )
    else:
        stage = ""
    rank = row.rank
    if row.type == ResultType.PRIORITY:
        if rank is None or not 1 <= rank <= MAX_RANK:
            raise ActionRefused(
                _("%(where)s: give the priority's place in the order, from 1 to %(max)d.")
                % {"where": where, "max": MAX_RANK}
            )
    else:
        rank = None
    if row.type == ResultType.PHOTO:
        if row.photo is None:
            raise ActionRefused(_("%(where)s: choose the photo.") % {"where": where})
        if row.photo.kind not in IMAGES:
            raise ActionRefused(_("%(where)s: a photo must be an image.") % {"where": where})
        if not row.consent:
            raise ActionRefused(
                _(
                    "%(where)s: tick that everyone recognisable in the photo agreed to it "
                    "being sent."
                )
                % {"where": where}
            )
    elif row.photo is not None:
        raise ActionRefused(
            _("%(where)s: choose “Photo” as the kind to send a photo.") % {"where": where}
        )
    return ResultRow(
        type=row.type,
        text=text,
        stage=stage,
        rank=rank,
        photo=row.photo,
        consent=row.consent,
    )


def _data(meeting: Meeting, row: ResultRow, guests: int | None) -> dict[str, Any]:
    data: dict[str, Any] = {"meeting": meeting.pk, "type": row.type}
    if row.stage:
        data["stage"] = row.stage
    if row.rank is not None:
        data["rank"] = row.rank
    if guests is not None:
        data["guests"] = guests
    if row.type == ResultType.PHOTO:
        data["consent"] = True  # everyone recognisable agreed, on the reporter's word
    return data


def do_report_results(
    meeting: Meeting,
    rows: Sequence[ResultRow],
    *,
    staff: User | None = None,
    guests: int | None = None,
) -> list[Receipt]:
    """Store the results of one meeting: each row a contribution, all or none.

    ``staff`` registers them on the meeting's behalf (``register_offline``); without it
    the gjestebod host reports them through the private link (the caller found the meeting
    by the link's token). ``guests`` (a gjestebod) is kept with each result and as the
    meeting's attendance.
    """
    instance = meeting.method_instance
    check_results_open(meeting)
    if not rows:
        raise ActionRefused(_("Write at least one result."))
    if len(rows) > MAX_ROWS:
        raise ActionRefused(_("At most %(n)d results at a time.") % {"n": MAX_ROWS})
    if guests is not None and not 0 <= guests <= MAX_GUESTS:
        raise ActionRefused(_("The number of guests is from 0 to %(max)d.") % {"max": MAX_GUESTS})
    cleaned = [_clean_row(meeting, row, n) for n, row in enumerate(rows, start=1)]
    if len([r for r in cleaned if r.photo is not None]) > attachments.MAX_ATTACHMENTS:
        raise ActionRefused(
            _("At most %(n)d photos at a time.") % {"n": attachments.MAX_ATTACHMENTS}
        )
    given_on = timezone.localtime(meeting.starts_at).date()
    place = ", ".join(p for p in (meeting.place_name, meeting.address) if p)[:200]
    actor: User | AnonymousUser = staff if staff is not None else AnonymousUser()
    receipts = []
    with uploads.discard_on_failure() as written, transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        for row in cleaned:
            draft = Draft(
                kind=RESULT_KIND,
                text=row.text,
                data=_data(locked, row, guests),
                channel=Channel.MEETING,
                needs_answer=True,
                has_free_text=True,
                given_on=given_on,
                given_at_place=place,
            )
            receipt = do_contribute(actor, instance, REPORT, draft, registered_by=staff)
            if row.photo is not None:
                stored = uploads.store(row.photo, attachments.STORAGE_PREFIX)
                written.append(stored)
                Attachment.objects.create(
                    contribution=receipt.contribution,
                    file=stored,
                    name=row.photo.name,
                    content_type=row.photo.content_type,
                    size=row.photo.size,
                )
                # Kind and size, never the name (it may name a person).
                audit.record(
                    "contribution.attachments_added",
                    actor=staff,
                    obj=receipt.contribution,
                    municipality_id=instance.process.municipality_id,
                    data={"count": 1, "kinds": [row.photo.kind.value], "bytes": row.photo.size},
                )
            receipts.append(receipt)
        fields = ["results_registered_at"]
        locked.results_registered_at = timezone.now()
        if guests is not None:
            locked.attendance = guests
            fields.append("attendance")
        locked.save(update_fields=fields)
        if staff is None:
            # The host acted through the link, not as anyone: the log says what came in.
            audit.record(
                "meeting.results_reported",
                obj=locked,
                municipality_id=instance.process.municipality_id,
                data={"meeting": locked.pk, "results": len(receipts), "by": "host"},
            )
    meeting.results_registered_at = locked.results_registered_at
    meeting.attendance = locked.attendance
    return receipts
