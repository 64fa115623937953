"""A body's statement (uttale) on a case: who may register it, and the one checked write.

The statement is a core contribution (kind ``statement``, channel "meeting": a body decides
only in its meetings) with the body's name shown, so it goes to the case's inbox, gets the
municipality's answer, reaches the decision with the other input, and is listed with the
case's input. The row :class:`Statement` adds where and when it was adopted.

Two people may register a body's statement:

- the municipality's staff who register input (``register_offline``): the contribution is
  registered on the body's behalf (``registered_by``, audited by the core);
- the body's own secretary, a member with the role *sekretær* in the current term whose
  membership is linked to their account: the contribution is theirs as the one who sent
  it, in the body's name. A secretary of one body cannot write for another.

One statement per body and case: the request's row is locked while the statement is
stored, and the contribution's ``once_key`` makes a second one fail in the database too.
A statement a moderator rejected or hid can be replaced by a new one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from medvirk.contributions.actions import Draft, Receipt, do_contribute
from medvirk.contributions.models import Channel, ModerationState
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.organisations import capabilities
from medvirk.processes import permissions
from medvirk.processes.models import MethodInstance
from medvirk.processes.permissions import NeedsLogin
from medvirk.vocabulary import Capability

from .models import (
    AgendaItem,
    Body,
    BodyMeeting,
    BodyMember,
    MeetingStatus,
    MemberRole,
    Statement,
    StatementRequest,
)

if TYPE_CHECKING:
    from medvirk.identity.models import User

METHOD_KEY = "bodies"
ACTION = "give_statement"
KIND = "statement"
# A statement a moderator took down does not count: the body may adopt a new one.
GONE = (ModerationState.REJECTED, ModerationState.HIDDEN)


def today() -> dt.date:
    return timezone.localdate()


def day_in_words(day: dt.date) -> str:
    return format_date(day, get_format("DATE_FORMAT"))


def current(members: QuerySet[BodyMember], day: dt.date | None = None) -> QuerySet[BodyMember]:
    """Members whose term includes ``day`` (today)."""
    day = day or today()
    return members.filter(term_from__lte=day).filter(Q(term_to__isnull=True) | Q(term_to__gte=day))


def secretary_of(user: User | AnonymousUser, body: Body) -> BodyMember | None:
    """The account's current membership as the body's secretary, if it has one."""
    if not user.is_authenticated:
        return None
    return (
        current(BodyMember.objects.filter(body=body, user_id=user.pk, role=MemberRole.SECRETARY))
        .order_by("pk")
        .first()
    )


def late_taken(instance: MethodInstance) -> bool:
    return bool(instance.settings.get("late_statements", True))


@dataclass(frozen=True)
class Writer:
    """Who registers the statement: staff on the body's behalf, or its own secretary."""

    user: User
    member: BodyMember | None  # None: staff

    @property
    def is_staff(self) -> bool:
        return self.member is None


def _check_open(instance: MethodInstance) -> None:
    """The instance takes statements at all (published, not closed, case not decided)."""
    verdict = permissions.can_act(AnonymousUser(), instance, ACTION)
    if not verdict and verdict.needs_level is None:
        raise ActionRefused(verdict.reason, status=403)


def check_statement(
    user: User | AnonymousUser, instance: MethodInstance, request: StatementRequest
) -> Writer:
    """Who may register the body's statement here now, or :class:`ActionRefused`.

    :class:`NeedsLogin` for someone not logged in: the secretary logs in first.
    """
    if instance.method_key != METHOD_KEY or request.method_instance_id != instance.pk:
        raise ActionRefused(_("This body is not asked for a statement here."), status=404)
    _check_open(instance)
    body = request.body
    if not user.is_authenticated:
        raise NeedsLogin(
            _(
                "Only %(body)s's secretary, or the municipality's staff who register input, "
                "can register its statement. Log in first."
            )
            % {"body": body.name}
        )
    writer: Writer | None = None
    if capabilities.staff_can(user, Capability.REGISTER_OFFLINE, body.municipality_id):
        writer = Writer(user, None)
    else:
        member = secretary_of(user, body)
        if member is not None:
            writer = Writer(user, member)
    if writer is None:
        raise ActionRefused(
            _(
                "Only %(body)s's secretary, or the municipality's staff who register input, "
                "can register its statement. Your account is not the secretary of this body "
                "in the current term."
            )
            % {"body": body.name},
            status=403,
        )
    if today() > request.deadline and not late_taken(instance):
        raise ActionRefused(
            _("The deadline for the statement was %(day)s.")
            % {"day": day_in_words(request.deadline)},
            status=403,
        )
    if writer.member is not None:
        # The secretary gives input as themselves: the level staff set for it applies.
        verdict = permissions.can_act(user, instance, ACTION)
        if not verdict:
            raise ActionRefused(verdict.reason, status=403)
    return writer


def live_statement(request: StatementRequest) -> Statement | None:
    """The statement that counts for this request (not rejected or hidden), if any."""
    return (
        Statement.objects.filter(request=request)
        .exclude(contribution__moderation__in=GONE)
        .select_related("contribution")
        .order_by("-pk")
        .first()
    )


def meetings_to_choose(body: Body) -> QuerySet[BodyMeeting]:
    """Where a statement can have been adopted: the body's meetings that have started and
    were not cancelled, newest first."""
    return (
        BodyMeeting.objects.filter(body=body, starts_at__lte=timezone.now())
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-starts_at", "-pk")
    )


def do_register_statement(
    user: User | AnonymousUser,
    instance: MethodInstance,
    request: StatementRequest,
    *,
    text: str,
    meeting_id: int | None,
    agenda_item_id: int | None = None,
) -> Receipt:
    """Store the body's statement as a contribution in its name; returns the receipt."""
    writer = check_statement(user, instance, request)
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ActionRefused(_("Write the statement the body adopted."))
    body = request.body
    meeting = meetings_to_choose(body).filter(pk=meeting_id).first() if meeting_id else None
    if meeting is None:
        raise ActionRefused(_("Choose the meeting where the body adopted the statement."))
    item: AgendaItem | None = None
    if agenda_item_id:
        item = AgendaItem.objects.filter(pk=agenda_item_id, meeting=meeting).first()
        if item is None:
            raise ActionRefused(_("Choose an item on that meeting's agenda, or none."))
    adopted_on = timezone.localdate(meeting.starts_at)
    with transaction.atomic():
        locked = StatementRequest.objects.select_for_update().get(pk=request.pk)
        if live_statement(locked) is not None:
            raise ActionRefused(
                _("%(body)s's statement on this case is already registered.") % {"body": body.name},
                status=409,
            )
        earlier = Statement.objects.filter(request=locked).count()
        late = today() > locked.deadline
        draft = Draft(
            kind=KIND,
            text=text,
            channel=Channel.MEETING,
            author_name=body.name,
            show_name=True,
            contact_email=body.contact_email,
            data={"body": body.pk},
            given_on=adopted_on,
            given_at_place=meeting.place,
            once_key=f"body:{body.pk}:{earlier + 1}",
        )
        if writer.is_staff:
            receipt = do_contribute(
                AnonymousUser(), instance, ACTION, draft, registered_by=writer.user
            )
        else:
            receipt = do_contribute(writer.user, instance, ACTION, draft)
        statement = Statement.objects.create(
            request=locked,
            contribution=receipt.contribution,
            meeting=meeting,
            agenda_item=item,
            adopted_on=adopted_on,
            is_late=late,
            registered_by_member=writer.member,
        )
        audit.record(
            "bodies.statement_registered",
            actor=writer.user,
            obj=statement,
            municipality_id=body.municipality_id,
            data={
                "body": body.pk,
                "instance": instance.pk,
                "contribution": receipt.contribution.pk,
                "meeting": meeting.pk,
                "agenda_item": item.pk if item else None,
                "late": late,
                "by": "staff" if writer.is_staff else "secretary",
            },
        )
    return receipt
