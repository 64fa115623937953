"""Invitations from a draw: the e-mails, the one-time link and who answered.

The link is ``<panel>/invitasjon/<pk>-<mac>/`` with ``mac = HMAC(secret, pk + nonce)`` (as
``core.tokens`` makes receipt links): only the nonce is stored, so a copy of the database
alone cannot open anyone's invitation, and the token is a path segment, never a query
string. Opening it needs the invited member's own account; the first use is recorded
(``opened_at``) and leads on to the survey or dialogue; a later use says it was used and
still links there.

E-mails leave from a task (``tasks.send_invitations``) after the transaction commits, in
each member's language, with the way to stop e-mail about the case at the foot. An answer
to the draw's target by the invited member's account marks the invitation answered
(``receivers``), which the response rates count.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.contributions.models import Contribution, ModerationState
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance

from . import population, tasks
from .models import Draw, Invitation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.models import User

SALT = "medvirk.panel.invitation"


def _mac(pk: int, nonce: str) -> str:
    key = f"{SALT}:{settings.SECRET_KEY}".encode()
    digest = hmac.new(key, f"{pk}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def token_for(invitation: Invitation) -> str:
    return f"{invitation.pk}-{_mac(invitation.pk, invitation.nonce)}"


def find(instance: MethodInstance, token: str) -> Invitation | None:
    """The invitation of this panel instance that ``token`` opens, or None."""
    pk_text, sep, mac = token.partition("-")
    if not sep or not pk_text.isascii() or not pk_text.isdigit() or len(pk_text) > 12:
        return None
    invitation = (
        Invitation.objects.filter(pk=int(pk_text), draw__method_instance=instance)
        .select_related("draw__target__process__municipality", "member")
        .first()
    )
    if invitation is None or not hmac.compare_digest(_mac(invitation.pk, invitation.nonce), mac):
        return None
    return invitation


def link(invitation: Invitation) -> str:
    """The absolute one-time link for the e-mail."""
    instance = invitation.draw.method_instance
    path = registry.get(instance.method_key).url(
        instance, "invitation", token=token_for(invitation)
    )
    return str(settings.MEDVIRK_BASE_URL).rstrip("/") + path


def _lock(staff: User | None, draw: Draw) -> Draw:
    population.check_staff(staff, draw.method_instance.process.municipality_id)
    return Draw.objects.select_for_update().select_related("target").get(pk=draw.pk)


def mark_answered(draw: Draw) -> int:
    """Invitations whose member has already answered the target (before the e-mail, or
    while no one listened): answered, at the time of their first answer."""
    waiting = list(
        Invitation.objects.filter(
            draw=draw, responded_at__isnull=True, member__isnull=False
        ).select_related("member")
    )
    if not waiting:
        return 0
    first = dict(
        Contribution.objects.filter(
            method_instance_id=draw.target_id,
            author_id__in=[i.member.user_id for i in waiting if i.member is not None],
        )
        .exclude(moderation=ModerationState.REJECTED)
        .values_list("author_id")
        .annotate(first=Min("created_at"))
        .order_by()
    )
    marked = 0
    for invitation in waiting:
        assert invitation.member is not None
        when = first.get(invitation.member.user_id)
        if when is not None:
            invitation.responded_at = when
            invitation.save(update_fields=["responded_at"])
            marked += 1
    return marked


def do_send_invitations(staff: User | None, draw: Draw) -> int:
    """E-mail every invited member not sent to yet (and not answered already); returns
    how many invitations went out. Once per invitation: a second call sends none (409)."""
    with transaction.atomic():
        locked = _lock(staff, draw)
        target = locked.target
        if not target.is_published or target.closed_at is not None:
            raise ActionRefused(
                _("“%(title)s” is not published and open, so the invited could not answer it.")
                % {"title": target.title},
                status=409,
            )
        mark_answered(locked)
        pending = list(
            Invitation.objects.filter(
                draw=locked,
                sent_at__isnull=True,
                member__isnull=False,
                responded_at__isnull=True,
            ).values_list("pk", flat=True)
        )
        if not pending:
            raise ActionRefused(_("The invitations have been sent already."), status=409)
        now = timezone.now()
        Invitation.objects.filter(pk__in=pending).update(sent_at=now)
        if locked.sent_at is None:
            locked.sent_at = now
            locked.save(update_fields=["sent_at"])
        if staff is not None:
            audit.record(
                "panel.invitations_sent",
                actor=staff,
                obj=locked,
                municipality_id=locked.method_instance.process.municipality_id,
                data={"draw": locked.pk, "invitations": len(pending)},
            )
        transaction.on_commit(lambda: tasks.send_invitations.enqueue(pending, tasks.INVITE))
    return len(pending)


def do_remind(staff: User | None, draw: Draw) -> int:
    """One reminder to each invited member who has not answered yet; returns how many."""
    with transaction.atomic():
        locked = _lock(staff, draw)
        if locked.sent_at is None:
            raise ActionRefused(_("Send the invitations first."), status=409)
        target = locked.target
        if not target.is_published or target.closed_at is not None:
            raise ActionRefused(
                _("“%(title)s” is not published and open, so the invited could not answer it.")
                % {"title": target.title},
                status=409,
            )
        mark_answered(locked)
        pending = list(
            Invitation.objects.filter(
                draw=locked,
                sent_at__isnull=False,
                member__isnull=False,
                responded_at__isnull=True,
            ).values_list("pk", flat=True)
        )
        if not pending:
            raise ActionRefused(
                _("Everyone invited who is still a member has answered."), status=409
            )
        Invitation.objects.filter(pk__in=pending).update(reminded_at=timezone.now())
        if staff is not None:
            audit.record(
                "panel.reminded",
                actor=staff,
                obj=locked,
                municipality_id=locked.method_instance.process.municipality_id,
                data={"draw": locked.pk, "invitations": len(pending)},
            )
        transaction.on_commit(lambda: tasks.send_invitations.enqueue(pending, tasks.REMIND))
    return len(pending)


def is_for(user: User | AnonymousUser, invitation: Invitation) -> bool:
    """Is ``user`` the invited member (a member who left is no one's)?"""
    return bool(
        user.is_authenticated
        and invitation.member is not None
        and invitation.member.user_id == user.pk
    )


def do_open(user: User | AnonymousUser, invitation: Invitation) -> bool:
    """Record the first use of the link; True the first time, False after."""
    if not is_for(user, invitation):
        raise ActionRefused(_("This invitation is not yours."), status=404)
    updated = Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
        opened_at=timezone.now()
    )
    return bool(updated)


def mark_responded(contribution_id: int) -> int:
    """An answer came in: the invitations of its author to its method are answered."""
    found = (
        Contribution.objects.filter(pk=contribution_id)
        .values_list("author_id", "method_instance_id", "created_at")
        .first()
    )
    if found is None or found[0] is None or found[1] is None:
        return 0
    author_id, method_id, when = found
    return Invitation.objects.filter(
        draw__target_id=method_id,
        member__user_id=author_id,
        responded_at__isnull=True,
    ).update(responded_at=when)
