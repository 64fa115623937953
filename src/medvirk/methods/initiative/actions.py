"""Writes of innbyggerforslag that residents make: proposing, correcting and withdrawing a
proposal, signing and withdrawing a signature; and delivery when the threshold is reached.

Proposing
    A proposal is a contribution (kind ``initiative``) through ``do_contribute``: screened,
    moderated, received and answered in the inbox. Its title and text are copied, screened,
    to :class:`Initiative` and never change. A correction is a new proposal that replaces
    the old one (which stops collecting; its signatures stay with it).

Signing
    One signature per person and proposal. The proposal's row is locked while the
    signature is written and counted, so the count is exact however many sign at once and
    exactly one signature reaches the threshold; the database's unique (proposal, keyed
    identity hash) refuses a second signature of the same person, from any account.
    Withdrawing deletes the row (so the count stays the rows) while signing is open.

Eligibility
    Only inhabitants sign (no age or voting right needed): the configured residence
    provider (``identity.residence``) says where the person lives, or, in "declared" mode,
    the person gives their address and says they live here. For an e-ID checked against a
    register only the kommunenummer is kept; a declared address is kept for staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from medvirk.contributions.actions import Draft, Receipt, do_contribute
from medvirk.contributions.models import ModerationState
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_line, clean_title
from medvirk.identity import residence
from medvirk.identity.models import AssuranceLevel, User
from medvirk.processes import permissions
from medvirk.processes.models import MethodInstance
from medvirk.processes.permissions import NeedsLogin

from . import config, keys, rules, tasks
from .forms import MAX_TITLE, MIN_TEXT, MIN_TITLE, max_text
from .models import Initiative, Signature, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

METHOD_KEY = "initiative"
PROPOSE = "propose"
SIGN = "sign"
KIND = "initiative"
MAX_ADDRESS = 300


class AlreadySigned(ActionRefused):
    def __init__(self, *, other_account: bool = False) -> None:
        message = (
            _(
                "This identity has already signed this proposal, from another account. "
                "Each person signs once."
            )
            if other_account
            else _("You have already signed this proposal.")
        )
        super().__init__(message, status=409)


def _same_instance(instance: MethodInstance, initiative: Initiative) -> None:
    if instance.method_key != METHOD_KEY or initiative.method_instance_id != instance.pk:
        raise ActionRefused(_("This proposal is not part of this page."), status=404)


def _permitted(user: User | AnonymousUser, instance: MethodInstance, action: str) -> None:
    permissions.require(user, instance, action)


def _day(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


# -- the signing period --------------------------------------------------------------------


def signing_months(instance: MethodInstance) -> int:
    """The instance's signing period, never longer than the installation allows."""
    chosen = int(instance.settings.get("signing_months", config.signing_months()))
    return max(1, min(chosen, config.signing_months()))


def open_signing(initiative: Initiative, instance: MethodInstance, now: dt.datetime) -> None:
    """Start signing (call with the row locked): the period and the threshold are fixed
    now, from the municipality's inhabitants as recorded today."""
    municipality = instance.process.municipality
    initiative.status = Status.COLLECTING
    initiative.signing_opens_at = now
    initiative.signing_closes_at = rules.add_months(
        timezone.localtime(now), signing_months(instance)
    )
    initiative.threshold = rules.threshold(
        municipality.inhabitants, is_county=municipality.is_county
    )


def is_open(initiative: Initiative, now: dt.datetime | None = None) -> bool:
    """Is the proposal taking signatures at this moment?"""
    moment = now or timezone.now()
    return (
        initiative.status == Status.COLLECTING
        and initiative.signing_opens_at is not None
        and initiative.signing_closes_at is not None
        and initiative.signing_opens_at <= moment < initiative.signing_closes_at
    )


def _closed_reason(initiative: Initiative) -> str:
    if initiative.status == Status.SUBMITTED:
        return _("Signing has not started: the municipality checks the proposal first.")
    if initiative.status in (Status.DELIVERED, Status.DECIDED):
        return _("The proposal has been delivered to the municipality: signing is closed.")
    if initiative.status == Status.COLLECTING and initiative.signing_closes_at is not None:
        return _("Signing closed on %(date)s.") % {"date": _day(initiative.signing_closes_at)}
    return _("This proposal cannot be signed.")


# -- proposing -------------------------------------------------------------------------------


def check_propose(user: User | AnonymousUser, instance: MethodInstance) -> None:
    """Raise :class:`ActionRefused` (:class:`NeedsLogin` for too little identity)."""
    if instance.method_key != METHOD_KEY:
        raise ActionRefused(_("This page takes no proposals."), status=404)
    _permitted(user, instance, PROPOSE)
    if permissions.user_level(user) < AssuranceLevel.VERIFIED:
        # The law's proposal comes from residents: never less than a verified identity,
        # whatever level the instance's settings ask for.
        raise NeedsLogin(
            _("You need to log in with %(level)s to do this.")
            % {"level": AssuranceLevel.VERIFIED.label},
            status=403,
        )


@dataclass(frozen=True)
class Proposed:
    initiative: Initiative
    receipt: Receipt


def _clean_proposal(title: str, text: str) -> tuple[str, str]:
    cleaned_title = clean_title(title, max_length=MAX_TITLE)
    if len(cleaned_title) < MIN_TITLE:
        raise ActionRefused(
            _("Give the proposal a title of at least %(n)d characters.") % {"n": MIN_TITLE}
        )
    body = text.replace("\r\n", "\n").strip()
    if len(body) < MIN_TEXT:
        raise ActionRefused(
            _("Write the proposal in at least %(n)d characters: say what and why.")
            % {"n": MIN_TEXT}
        )
    if len(body) > max_text():
        raise ActionRefused(
            _("At most %(max)d characters (you wrote %(n)d).") % {"max": max_text(), "n": len(body)}
        )
    return cleaned_title, body


def do_propose(
    user: User | AnonymousUser,
    instance: MethodInstance,
    *,
    title: str,
    text: str,
    show_name: bool = True,
    contact_email: str = "",
    corrects: Initiative | None = None,
    now: dt.datetime | None = None,
) -> Proposed:
    """A new proposal, or a corrected version of one of the person's own (``corrects``).

    With the instance's check on (the default), the proposal waits for staff; without it,
    signing starts at once when the text is published (not held for a moderator).
    """
    check_propose(user, instance)
    cleaned_title, body = _clean_proposal(title, text)
    if corrects is not None:
        _check_correctable(user, instance, corrects)
    moment = now or timezone.now()
    draft = Draft(
        kind=KIND,
        text=body,
        data={"title": cleaned_title},
        contact_email=contact_email.strip(),
        show_name=show_name,
    )
    with transaction.atomic():
        replaced: Initiative | None = None
        if corrects is not None:
            replaced = Initiative.objects.select_for_update().get(pk=corrects.pk)
            _check_correctable(user, instance, replaced)
        receipt = do_contribute(user, instance, PROPOSE, draft)
        contribution = receipt.contribution
        screened_title = str(contribution.data.get("title") or cleaned_title)
        initiative = Initiative(
            method_instance=instance,
            contribution=contribution,
            title=screened_title[:200],
            text=contribution.text,
            submitted_at=contribution.created_at,
            corrects=replaced,
        )
        published = contribution.moderation == ModerationState.PUBLISHED
        if not instance.settings.get("check_first", True) and published:
            open_signing(initiative, instance, moment)
        initiative.save()
        if replaced is not None:
            replaced.status = Status.REPLACED
            replaced.ended_at = moment
            replaced.save(update_fields=["status", "ended_at"])
    initiative.method_instance = instance
    return Proposed(initiative, receipt)


def _check_correctable(
    user: User | AnonymousUser, instance: MethodInstance, initiative: Initiative
) -> None:
    _same_instance(instance, initiative)
    if not user.is_authenticated or initiative.contribution.author_id != user.pk:
        raise ActionRefused(_("Only the proposer can correct a proposal."), status=403)
    if initiative.status not in (Status.SUBMITTED, Status.COLLECTING):
        raise ActionRefused(
            _("This proposal can no longer be corrected. Its status: %(status)s.")
            % {"status": initiative.get_status_display()},
            status=409,
        )


def do_withdraw_proposal(
    user: User | AnonymousUser, instance: MethodInstance, initiative: Initiative
) -> None:
    """The proposer takes the proposal back before it is delivered; signing stops, and the
    signatures given stay with it (they are not moved anywhere)."""
    _same_instance(instance, initiative)
    with transaction.atomic():
        locked = (
            Initiative.objects.select_for_update()
            .select_related("contribution")
            .get(pk=initiative.pk)
        )
        if not user.is_authenticated or locked.contribution.author_id != user.pk:
            raise ActionRefused(_("Only the proposer can withdraw the proposal."), status=403)
        if locked.status not in (Status.SUBMITTED, Status.COLLECTING):
            raise ActionRefused(
                _("The proposal can no longer be withdrawn. Its status: %(status)s.")
                % {"status": locked.get_status_display()},
                status=409,
            )
        locked.status = Status.WITHDRAWN
        locked.ended_at = timezone.now()
        locked.save(update_fields=["status", "ended_at"])
    initiative.status = Status.WITHDRAWN


# -- signing ------------------------------------------------------------------------------


def check_sign(
    user: User | AnonymousUser,
    instance: MethodInstance,
    initiative: Initiative,
    now: dt.datetime | None = None,
) -> None:
    """Raise :class:`ActionRefused` when this person cannot sign this proposal now."""
    _same_instance(instance, initiative)
    _permitted(user, instance, SIGN)
    if not is_open(initiative, now):
        raise ActionRefused(_closed_reason(initiative), status=403)
    if initiative.contribution.moderation != ModerationState.PUBLISHED:
        raise ActionRefused(
            _("This proposal is not published, so it cannot be signed."), status=403
        )
    if not isinstance(user, User) or keys.identity_of(user) is None:
        raise NeedsLogin(
            _(
                "Signing needs a login with e-ID, so that each person signs once. Log in "
                "with ID-porten (or another e-ID) and try again."
            ),
            status=403,
        )


def _is_inhabitant(kommunenummer: str, instance: MethodInstance) -> bool:
    municipality = instance.process.municipality
    if municipality.is_county:
        return kommunenummer[:2] == municipality.fylkesnummer
    return kommunenummer == municipality.kommunenummer


@dataclass(frozen=True)
class Eligible:
    kommunenummer: str
    address: str
    how: str  # Signature.Residence


def check_residence(
    user: User, instance: MethodInstance, *, address: str = "", lives_here: bool = False
) -> Eligible:
    """Whether the person lives in the kommune (or fylke), by the configured provider."""
    municipality = instance.process.municipality
    if residence.declares():
        declared = clean_line(address)
        if not declared:
            raise ActionRefused(_("Write your home address."))
        if len(declared) > MAX_ADDRESS:
            raise ActionRefused(
                _("The address is too long: at most %(n)d characters.") % {"n": MAX_ADDRESS}
            )
        if not lives_here:
            raise ActionRefused(
                _("Only inhabitants of %(kommune)s may sign: tick that you live here.")
                % {"kommune": municipality.name}
            )
        return Eligible(municipality.kommunenummer, declared, Signature.Residence.DECLARED)
    found = residence.residence_of(user)
    if found is None or not _is_inhabitant(found.kommunenummer, instance):
        raise ActionRefused(
            _(
                "Only inhabitants of %(kommune)s may sign this proposal, and the population "
                "register does not have you living there. If you have just moved, you can "
                "sign once the move is registered."
            )
            % {"kommune": municipality.name},
            status=403,
        )
    # Only the kommune's number is kept: the address is not needed once it is checked.
    return Eligible(found.kommunenummer, "", Signature.Residence.REGISTER)


@dataclass(frozen=True)
class Signed:
    signature: Signature
    count: int
    delivered: bool


def do_sign(
    user: User | AnonymousUser,
    instance: MethodInstance,
    initiative: Initiative,
    *,
    address: str = "",
    lives_here: bool = False,
    language: str = "",
    now: dt.datetime | None = None,
) -> Signed:
    """Sign the proposal once; delivers it when this signature reaches the threshold
    (unless the instance lets signing go on)."""
    check_sign(user, instance, initiative, now)
    assert isinstance(user, User)
    identity = keys.identity_of(user)
    assert identity is not None
    eligible = check_residence(user, instance, address=address, lives_here=lives_here)
    key = keys.signature_key(initiative.pk, identity)
    with transaction.atomic():
        # The lock: every signature of this proposal is written and counted in turn.
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        moment = now or timezone.now()
        if not is_open(locked, moment):
            raise ActionRefused(_closed_reason(locked), status=409)
        existing = Signature.objects.filter(initiative=locked, identity_hash=key).first()
        if existing is not None:
            raise AlreadySigned(other_account=existing.user_id not in (None, user.pk))
        try:
            with transaction.atomic():
                signature = Signature.objects.create(
                    initiative=locked,
                    kind=Signature.Kind.EID,
                    user=user,
                    identity_hash=key,
                    kommunenummer=eligible.kommunenummer,
                    address=eligible.address,
                    residence=eligible.how,
                    language=language[:5],
                )
        except IntegrityError as exc:  # past the lock only if the row lock was not taken
            raise AlreadySigned() from exc
        count, delivered = after_new_signatures(locked, instance, moment)
    initiative.status = locked.status
    return Signed(signature, count, delivered)


def count_of(initiative: Initiative) -> int:
    return Signature.objects.filter(initiative=initiative).count()


def after_new_signatures(
    locked: Initiative, instance: MethodInstance, now: dt.datetime
) -> tuple[int, bool]:
    """Count again (the row is locked) and deliver when the threshold is reached now;
    returns the count and whether it was delivered."""
    count = count_of(locked)
    if locked.threshold is None or count < locked.threshold:
        return count, False
    if locked.threshold_reached_at is None:
        locked.threshold_reached_at = now
        locked.save(update_fields=["threshold_reached_at"])
    if instance.settings.get("deliver_at_threshold", True):
        deliver(locked, instance, count=count, staff=None, now=now)
        return count, True
    return count, False


def deliver(
    locked: Initiative,
    instance: MethodInstance,
    *,
    count: int,
    staff: User | None,
    now: dt.datetime,
) -> None:
    """Mark the proposal delivered (row locked): signing stops, the council's deadline
    starts; after commit the archive message goes to postmottak (when set) and the
    proposer hears. ``staff`` None: delivered automatically at the threshold."""
    locked.status = Status.DELIVERED
    locked.delivered_at = now
    locked.delivered_by = staff
    locked.delivered_count = count
    if (
        locked.threshold is not None
        and count >= locked.threshold
        and not locked.threshold_reached_at
    ):
        locked.threshold_reached_at = now
    locked.save(
        update_fields=[
            "status",
            "delivered_at",
            "delivered_by",
            "delivered_count",
            "threshold_reached_at",
        ]
    )
    audit.record(
        "initiative.delivered",
        actor=staff,
        obj=locked,
        municipality_id=instance.process.municipality_id,
        data={
            "method": instance.pk,
            "signatures": count,
            "threshold": locked.threshold,
            "automatic": staff is None,
        },
    )
    pk = locked.pk
    transaction.on_commit(lambda: tasks.after_delivery.enqueue(pk))


def do_withdraw_signature(
    user: User | AnonymousUser,
    instance: MethodInstance,
    initiative: Initiative,
    now: dt.datetime | None = None,
) -> int:
    """Take one's signature back while signing is open: the row goes, the count drops.
    Returns the count after."""
    _same_instance(instance, initiative)
    if not isinstance(user, User):
        raise NeedsLogin(_("Log in to withdraw your signature."), status=403)
    identity = keys.identity_of(user)
    mine = Q(user=user)
    if identity is not None:
        mine |= Q(identity_hash=keys.signature_key(initiative.pk, identity))
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if not is_open(locked, now or timezone.now()):
            raise ActionRefused(
                _("Signing is closed, so a signature can no longer be withdrawn."), status=409
            )
        deleted, _rows = Signature.objects.filter(
            mine, initiative=locked, kind=Signature.Kind.EID
        ).delete()
        if not deleted:
            raise ActionRefused(_("You have not signed this proposal."), status=409)
        count = count_of(locked)
        if (
            locked.threshold_reached_at is not None
            and locked.threshold
            and count < locked.threshold
        ):
            # Still collecting (delivery was not automatic): the threshold is no longer met.
            locked.threshold_reached_at = None
            locked.save(update_fields=["threshold_reached_at"])
    return count
