"""Staff writes of innbyggerforslag, each checked, in one transaction, and audited.

- The check before signing (``manage_process``, and ``respond`` for the answer): start
  signing, or refuse with reasons. Either way the proposer gets a reasoned answer in the
  inbox's way (a Response to the proposal's contribution).
- Closing signing early, delivering (also below the threshold, on purpose), and marking
  the proposal referred to a plan case (no six-month deadline then).
- Paper signature lists (``register_offline``): name, address and date of birth per row;
  a row whose person (normalised name + date of birth) is already on the proposal's paper
  signatures is skipped and reported, never stored twice. Rows may be removed again before
  delivery.
- The council's position (``decide``): a Decision of the case with its text, date, body,
  case number and møtebok, linked to the Response that answers the proposal with the
  reasons; every signer is told afterwards. The decision is marked announced at once: it
  concerns this proposal, so the case is not closed and its other participants are not
  e-mailed (recording a decision in the core's editor would do both).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medvirk.accountability.actions import check_meeting_record_url, do_respond
from medvirk.accountability.models import Decision, ResponseStatus
from medvirk.contributions.models import ModerationState
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_line, clean_name
from medvirk.organisations import capabilities
from medvirk.processes.models import MethodInstance
from medvirk.vocabulary import Capability

from . import actions, keys, tasks
from .models import Initiative, Signature, Status

if TYPE_CHECKING:
    from medvirk.identity.models import User

MAX_REASON = 5000
MAX_DECISION = 10000
OLDEST_BIRTH = dt.date(1900, 1, 1)
POSITIONS = (
    ResponseStatus.ADOPTED,
    ResponseStatus.PARTLY_ADOPTED,
    ResponseStatus.NOT_ADOPTED,
    ResponseStatus.OUT_OF_SCOPE,
)

AUDIT_LABELS = {
    "initiative.checked": gettext_lazy("Citizens' initiative checked (signing started or refused)"),
    "initiative.signing_closed": gettext_lazy("Signing of a citizens' initiative closed"),
    "initiative.paper_registered": gettext_lazy("Paper signatures registered"),
    "initiative.paper_removed": gettext_lazy("A paper signature removed"),
    "initiative.delivered": gettext_lazy("Citizens' initiative delivered to the municipality"),
    "initiative.referred": gettext_lazy("Citizens' initiative marked as referred to a plan case"),
    "initiative.position_recorded": gettext_lazy(
        "The council's position on a citizens' initiative"
    ),
    "initiative.exported": gettext_lazy(
        "Signatures or archive message of an initiative downloaded"
    ),
    "initiative.sent_to_postmottak": gettext_lazy("Citizens' initiative e-mailed to postmottak"),
}


def check_staff(staff: User, initiative: Initiative, capability: Capability) -> MethodInstance:
    instance = initiative.method_instance
    if instance.method_key != actions.METHOD_KEY:
        raise ActionRefused(_("This is not a citizens' initiative."), status=404)
    if not capabilities.staff_can(staff, capability, instance.process.municipality_id):
        raise ActionRefused(
            _("Your role in this municipality does not let you do this."), status=403
        )
    return instance


def _lock(initiative: Initiative) -> Initiative:
    locked = (
        Initiative.objects.select_for_update()
        .filter(pk=initiative.pk, method_instance_id=initiative.method_instance_id)
        .first()
    )
    if locked is None:
        raise ActionRefused(_("This proposal is no longer here."), status=404)
    return locked


def _record(
    action: str,
    staff: User | None,
    initiative: Initiative,
    instance: MethodInstance,
    **data: object,
) -> None:
    audit.record(
        action,
        actor=staff,
        obj=initiative,
        municipality_id=instance.process.municipality_id,
        data={"method": instance.pk, **data},
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _reason(text: str) -> str:
    cleaned = text.replace("\r\n", "\n").strip()
    if len(cleaned) > MAX_REASON:
        raise ActionRefused(
            _("The answer is too long: at most %(n)d characters.") % {"n": MAX_REASON}
        )
    return cleaned


# -- the check ------------------------------------------------------------------------------


def do_check(staff: User, initiative: Initiative, *, approve: bool, reason: str = "") -> Initiative:
    """Start signing (``approve``) or refuse the proposal, with an answer to the proposer."""
    instance = check_staff(staff, initiative, Capability.MANAGE_PROCESS)
    answer = _reason(reason)
    if not approve and not answer:
        raise ActionRefused(_("Say why: the proposer is owed a reasoned answer."))
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(initiative)
        if locked.status != Status.SUBMITTED:
            raise ActionRefused(
                _("This proposal has been checked already. Its status: %(status)s.")
                % {"status": locked.get_status_display()},
                status=409,
            )
        contribution = initiative.contribution
        if approve and contribution.moderation != ModerationState.PUBLISHED:
            raise ActionRefused(
                _(
                    "The proposal's text is not published yet (a moderator has to look at it "
                    "first). Moderate it, then start signing."
                ),
                status=409,
            )
        locked.checked_at = now
        locked.checked_by = staff
        if approve:
            actions.open_signing(locked, instance, now)
            assert locked.signing_closes_at is not None
            answer = answer or _(
                "The municipality has checked the proposal, and it can now be signed. "
                "Signing is open until %(date)s; %(n)d signatures are needed."
            ) % {
                "date": date_format(timezone.localtime(locked.signing_closes_at), "DATE_FORMAT"),
                "n": locked.threshold,
            }
            status = ResponseStatus.UNDER_REVIEW
        else:
            locked.status = Status.REFUSED
            locked.ended_at = now
            status = ResponseStatus.OUT_OF_SCOPE
        locked.save()
        do_respond(staff, instance.process, [contribution.pk], status, answer)
        _record(
            "initiative.checked",
            staff,
            locked,
            instance,
            outcome="approved" if approve else "refused",
            reason_sha256=_digest(answer),
            threshold=locked.threshold,
        )
    return locked


def do_close_signing(staff: User, initiative: Initiative) -> Initiative:
    """End signing now (before its period is over); it can then be delivered or not."""
    instance = check_staff(staff, initiative, Capability.MANAGE_PROCESS)
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(initiative)
        if not actions.is_open(locked, now):
            raise ActionRefused(_("Signing is not open."), status=409)
        locked.signing_closes_at = now
        locked.save(update_fields=["signing_closes_at"])
        _record(
            "initiative.signing_closed",
            staff,
            locked,
            instance,
            signatures=actions.count_of(locked),
        )
    return locked


def do_deliver(staff: User, initiative: Initiative, *, below_threshold: bool = False) -> Initiative:
    """Deliver the proposal to the municipality now (the proposer asked for it, or signing
    ended). Below the threshold only on purpose: the council is then not bound."""
    instance = check_staff(staff, initiative, Capability.MANAGE_PROCESS)
    with transaction.atomic():
        locked = _lock(initiative)
        if locked.status != Status.COLLECTING:
            raise ActionRefused(
                _("Only a proposal that has collected signatures can be delivered."), status=409
            )
        count = actions.count_of(locked)
        needed = locked.threshold or 0
        if count < needed and not below_threshold:
            raise ActionRefused(
                _(
                    "It has %(count)d of the %(needed)d signatures needed. Tick that you "
                    "deliver it anyway, or wait."
                )
                % {"count": count, "needed": needed}
            )
        actions.deliver(locked, instance, count=count, staff=staff, now=timezone.now())
    return locked


def do_refer(
    staff: User, initiative: Initiative, *, referred: bool, plan_case: str = ""
) -> Initiative:
    """Mark (or unmark) the proposal as referred to an ongoing plan case: no deadline then."""
    instance = check_staff(staff, initiative, Capability.MANAGE_PROCESS)
    name = clean_line(plan_case)[:200]
    if referred and not name:
        raise ActionRefused(_("Name the plan case."))
    with transaction.atomic():
        locked = _lock(initiative)
        if locked.status != Status.DELIVERED:
            raise ActionRefused(
                _("Only a delivered proposal the council has not decided on can be referred."),
                status=409,
            )
        locked.referred_at = timezone.now() if referred else None
        locked.plan_case = name if referred else ""
        locked.save(update_fields=["referred_at", "plan_case"])
        _record("initiative.referred", staff, locked, instance, referred=referred, plan_case=name)
    return locked


# -- paper signatures ---------------------------------------------------------------------


@dataclass(frozen=True)
class PaperRow:
    signer_name: str
    address: str
    birth_date: dt.date


@dataclass(frozen=True)
class PaperResult:
    added: int
    duplicates: list[PaperRow]
    count: int
    delivered: bool


def _clean_rows(rows: Sequence[PaperRow]) -> list[PaperRow]:
    if not rows:
        raise ActionRefused(_("Fill in at least one signature."))
    today = timezone.localdate()
    cleaned = []
    for number, row in enumerate(rows, start=1):
        where = _("Row %(n)d") % {"n": number}
        name = clean_name(row.signer_name)
        address = clean_line(row.address)[:300]
        if len(name) < 2:
            raise ActionRefused(_("%(where)s: write the name.") % {"where": where})
        if not address:
            raise ActionRefused(_("%(where)s: write the address.") % {"where": where})
        if not OLDEST_BIRTH <= row.birth_date <= today:
            raise ActionRefused(
                _("%(where)s: the date of birth must be a real date, not in the future.")
                % {"where": where}
            )
        cleaned.append(PaperRow(name, address, row.birth_date))
    return cleaned


def do_register_paper(
    staff: User, initiative: Initiative, rows: Sequence[PaperRow], *, checked: bool
) -> PaperResult:
    """Register the signatures of a paper list. A person already on the proposal's paper
    signatures (or twice on this list) is skipped and returned in ``duplicates``."""
    instance = check_staff(staff, initiative, Capability.REGISTER_OFFLINE)
    if not checked:
        raise ActionRefused(_("Tick that you checked where the signers live."))
    cleaned = _clean_rows(rows)
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(initiative)
        if locked.status != Status.COLLECTING:
            raise ActionRefused(
                _("Paper signatures can be registered only while the proposal collects them."),
                status=409,
            )
        keyed = [(keys.paper_key(locked.pk, r.signer_name, r.birth_date), r) for r in cleaned]
        taken = set(
            Signature.objects.filter(
                initiative=locked, paper_hash__in=[k for k, _r in keyed]
            ).values_list("paper_hash", flat=True)
        )
        new: list[Signature] = []
        duplicates: list[PaperRow] = []
        for key, row in keyed:
            if key in taken:
                duplicates.append(row)
                continue
            taken.add(key)
            new.append(
                Signature(
                    initiative=locked,
                    kind=Signature.Kind.PAPER,
                    paper_hash=key,
                    signer_name=row.signer_name,
                    address=row.address,
                    birth_date=row.birth_date,
                    kommunenummer=instance.process.municipality.kommunenummer,
                    residence=Signature.Residence.PAPER,
                    registered_by=staff,
                )
            )
        Signature.objects.bulk_create(new)
        _record(
            "initiative.paper_registered",
            staff,
            locked,
            instance,
            added=len(new),
            duplicates=len(duplicates),
        )
        count, delivered = actions.after_new_signatures(locked, instance, now)
    return PaperResult(len(new), duplicates, count, delivered)


def do_remove_paper(staff: User, initiative: Initiative, signature_id: int) -> int:
    """Remove one paper signature registered by mistake (before delivery); the count after."""
    instance = check_staff(staff, initiative, Capability.REGISTER_OFFLINE)
    with transaction.atomic():
        locked = _lock(initiative)
        if locked.status != Status.COLLECTING:
            raise ActionRefused(
                _("The proposal has been delivered: its signatures can no longer change."),
                status=409,
            )
        deleted, _rows = Signature.objects.filter(
            pk=signature_id, initiative=locked, kind=Signature.Kind.PAPER
        ).delete()
        if not deleted:
            raise ActionRefused(_("This paper signature is no longer here."), status=404)
        count = actions.count_of(locked)
        if (
            locked.threshold_reached_at is not None
            and locked.threshold
            and count < locked.threshold
        ):
            locked.threshold_reached_at = None
            locked.save(update_fields=["threshold_reached_at"])
        _record("initiative.paper_removed", staff, locked, instance, signature=signature_id)
    return count


# -- the council's position -----------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    body: str
    date: dt.date
    position: str
    decision_text: str
    reason: str
    case_number: str = ""
    meeting_record_url: str = ""


def do_record_position(staff: User, initiative: Initiative, data: Position) -> Decision:
    """The council's position: a decision of the case and the reasoned answer to the
    proposal (the proposer is told by the answer, every signer after commit)."""
    instance = check_staff(staff, initiative, Capability.DECIDE)
    body = clean_line(data.body)[:200]
    text = data.decision_text.replace("\r\n", "\n").strip()
    reason = _reason(data.reason)
    if not body or not text:
        raise ActionRefused(_("Say who decided and what was decided."))
    if len(text) > MAX_DECISION:
        raise ActionRefused(
            _("The decision is too long: at most %(n)d characters.") % {"n": MAX_DECISION}
        )
    if not reason:
        raise ActionRefused(_("Give the reasons: the proposer and the signers are owed them."))
    if data.position not in POSITIONS:
        raise ActionRefused(_("Choose the council's position."))
    if data.date > timezone.localdate():
        raise ActionRefused(_("The date of a decision made cannot be in the future."))
    case_number = clean_line(data.case_number)
    if len(case_number) > 50:
        raise ActionRefused(_("The case number is too long: at most 50 characters."))
    link = data.meeting_record_url.strip()
    check_meeting_record_url(link)
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(initiative)
        if locked.status != Status.DELIVERED:
            raise ActionRefused(
                _("The council's position can be recorded once the proposal is delivered, once."),
                status=409,
            )
        assert locked.delivered_at is not None
        if data.date < timezone.localtime(locked.delivered_at).date():
            raise ActionRefused(
                _("The decision cannot be dated before the proposal was delivered.")
            )
        process = instance.process
        responses = do_respond(staff, process, [initiative.contribution_id], data.position, reason)
        decision = Decision.objects.create(
            process=process,
            body=body,
            date=data.date,
            text=text,
            is_pending=False,
            case_number=case_number,
            meeting_record_url=link,
            # Announced here, to this proposal's signers: an edit in the core's decision
            # editor must not close the case nor e-mail its other participants.
            announced_at=now,
        )
        decision.responses.set(responses)
        locked.status = Status.DECIDED
        locked.decided_at = now
        locked.decision = decision
        locked.save(update_fields=["status", "decided_at", "decision"])
        _record(
            "initiative.position_recorded",
            staff,
            locked,
            instance,
            decision=decision.pk,
            position=data.position,
            reason_sha256=_digest(reason),
        )
        pk = locked.pk
        transaction.on_commit(lambda: tasks.tell_signers.enqueue(pk))
    return decision


def record_export(staff: User, initiative: Initiative, what: str) -> None:
    """Who took the signatures (personal data) or the archive message, and when."""
    instance = check_staff(staff, initiative, Capability.EXPORT)
    with transaction.atomic():
        _record("initiative.exported", staff, initiative, instance, what=what)
