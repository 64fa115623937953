"""Answering input (begrunnet tilbakemelding) and recording decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.contributions.models import Contribution
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.organisations import capabilities
from medvirk.processes import actions as process_actions
from medvirk.processes.models import Process
from medvirk.vocabulary import Capability

from . import tasks
from .models import FINAL_STATUSES, Decision, Response, ResponseStatus

if TYPE_CHECKING:
    from medvirk.identity.models import User

MAX_BULK = 5000
MAX_REASON = 5000


class ResponseConflict(ActionRefused):
    """Someone else answered (some of) the chosen input after the officer opened it.

    Nothing was written (409). ``conflicts`` are the answers saved meanwhile, each with its
    contribution, so the page can show them beside the officer's own text.
    """

    def __init__(self, conflicts: list[Response], total: int) -> None:
        if total == 1:
            message = _(
                "Someone else answered this input after you opened it, so your answer was "
                "not saved. Compare the two answers below; send yours again if it should "
                "replace the one saved."
            )
        else:
            message = _(
                "Nothing was answered: %(n)d of the chosen inputs were answered by someone "
                "else after you opened the list. Compare the answers below; send again if "
                "yours should replace them."
            ) % {"n": len(conflicts)}
        super().__init__(message, status=409)
        self.conflicts = conflicts


def check_respond(
    staff: User,
    municipality_id: int,
    contribution_ids: Sequence[int],
    status: str,
    reason: str,
) -> None:
    if not capabilities.staff_can(staff, Capability.RESPOND, municipality_id):
        raise ActionRefused(_("You cannot answer input in this municipality."), status=403)
    if not contribution_ids:
        raise ActionRefused(_("Choose at least one contribution to answer."))
    if len(contribution_ids) > MAX_BULK:
        raise ActionRefused(_("Answer at most %(n)d at a time.") % {"n": MAX_BULK})
    if status not in ResponseStatus.values:
        raise ActionRefused(_("Choose a status for the answer."))
    if status in FINAL_STATUSES and not reason.strip():
        raise ActionRefused(_("Give a reason: residents are owed a reasoned answer."))
    if len(reason) > MAX_REASON:
        raise ActionRefused(
            _("The reason is too long: at most %(n)d characters.") % {"n": MAX_REASON}
        )


def do_respond(
    staff: User,
    process: Process,
    contribution_ids: Sequence[int],
    status: str,
    reason: str,
    *,
    versions: Mapping[int, int] | None = None,
) -> list[Response]:
    """Give (or change) the answer to one or many contributions of one process at once.

    All or nothing: if any id is not a contribution of this process, nothing is written.
    Each changed response writes an audit row; authors are notified after commit.

    ``versions`` maps a contribution id to the version of its answer the officer saw
    (0: not answered yet); the staff forms carry it. If any of those answers has changed
    since, and would change again, nothing is written and :class:`ResponseConflict` (409)
    lists them: the last to send never silently overwrites, and residents hear once. The
    same answer sent again (a double click) is no conflict and writes nothing. Ids without
    a version are not checked (the staff pages always send one; a group answer checks
    every member, see ``inbox.do_answer_group``).

    Many ids at once come only from a theme or duplicate group: the inbox offers no answer
    to arbitrary ticked input (issue 16).
    """
    ids = sorted({int(i) for i in contribution_ids})
    check_respond(staff, process.municipality_id, ids, status, reason)
    with transaction.atomic():
        # Locked in id order, so two bulk answers over overlapping input never deadlock; the
        # answers read next are those committed before the lock was ours.
        contributions = list(
            Contribution.objects.select_for_update()
            .filter(pk__in=ids, process=process)
            .order_by("pk")
        )
        if len(contributions) != len(ids):
            raise ActionRefused(_("Some of the chosen input does not belong to this case."))
        existing = {r.contribution_id: r for r in Response.objects.filter(contribution_id__in=ids)}
        if versions is not None:
            _check_versions(contributions, existing, versions, status, reason.strip())
        changed: list[Response] = []
        to_create: list[Response] = []
        for contribution in contributions:
            response = existing.get(contribution.pk)
            if response is None:
                to_create.append(
                    Response(
                        contribution=contribution,
                        status=status,
                        reason=reason.strip(),
                        responded_by=staff,
                    )
                )
            elif response.status != status or response.reason != reason.strip():
                response.status = status
                response.reason = reason.strip()
                response.responded_by = staff
                response.version += 1
                changed.append(response)
        Response.objects.bulk_create(to_create)
        if changed:
            Response.objects.bulk_update(changed, ["status", "reason", "responded_by", "version"])
        written = to_create + changed
        # bulk_create on SQLite may not set pks; fetch them for audit rows and notifications.
        by_contribution = {
            r.contribution_id: r
            for r in Response.objects.filter(
                contribution_id__in=[w.contribution_id for w in written]
            )
        }
        for response in written:
            saved = by_contribution[response.contribution_id]
            audit.record(
                "response.set",
                actor=staff,
                obj=saved,
                municipality_id=process.municipality_id,
                data={
                    "contribution": saved.contribution_id,
                    "status": saved.status,
                    "reason_sha256": _digest(saved.reason),
                    "version": saved.version,
                },
            )
        # A bare "received" or "under review" with no text tells the resident nothing: only
        # an answer with a reason is worth a message ("Husk å gi en begrunnet tilbakemelding").
        response_ids = [by_contribution[w.contribution_id].pk for w in written if w.reason.strip()]
        if response_ids:
            transaction.on_commit(lambda: _enqueue_notifications(response_ids))
    return [by_contribution[w.contribution_id] for w in written]


def _check_versions(
    contributions: Sequence[Contribution],
    existing: Mapping[int, Response],
    versions: Mapping[int, int],
    status: str,
    reason: str,
) -> None:
    """Raise :class:`ResponseConflict` if an answer changed since the officer saw it."""
    conflicts: list[Response] = []
    for contribution in contributions:
        response = existing.get(contribution.pk)
        seen = versions.get(contribution.pk)
        if response is None or seen is None or response.version == seen:
            continue
        if (response.status, response.reason) == (status, reason):
            continue  # the same answer: nothing would change
        response.contribution = contribution
        conflicts.append(response)
    if conflicts:
        raise ResponseConflict(conflicts, total=len(contributions))


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def _responses_to_link(
    process: Process, statuses: Collection[str], decision: Decision | None
) -> list[int]:
    """The answers a decision explains when linked by status (see ``do_decide``)."""
    if statuses:
        return list(
            Response.objects.filter(
                contribution__process=process, status__in=list(statuses)
            ).values_list("pk", flat=True)
        )
    if decision is not None and decision.pk is not None:
        return list(decision.responses.values_list("pk", flat=True))
    return []


def _enqueue_notifications(response_ids: list[int]) -> None:
    tasks.notify_responses.enqueue(response_ids)


def _enqueue_announcement(decision_id: int) -> None:
    tasks.announce_decision.enqueue(decision_id)


def check_meeting_record_url(url: str) -> None:
    """The link to the møtebok is a web address (http or https), nothing else."""
    if not url:
        return
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ActionRefused(
            _("The link to the meeting record must be a web address starting with https://.")
        ) from exc


def do_decide(
    staff: User,
    process: Process,
    *,
    body: str,
    text: str,
    date: dt.date | None,
    pending: bool,
    response_ids: Sequence[int] = (),
    link_statuses: Collection[str] | None = None,
    decision: Decision | None = None,
    case_number: str | None = None,
    meeting_record_url: str | None = None,
) -> Decision:
    """Record or change a decision and the answers it explains.

    ``response_ids`` names answers one by one. ``link_statuses`` links every answer of the
    case that has one of these statuses now; given but empty, an existing decision keeps
    the answers it already explains (the editor's "link the answers with these statuses").
    ``case_number`` and ``meeting_record_url`` left None keep what the decision has.

    The first time a decision is saved as made (not pending), in the same transaction: it
    is marked announced, the case becomes "decided" and its open methods close; after
    commit ``tasks.announce_decision`` tells everyone who took part and every follower,
    once. The decision row is locked, so two saves at once cannot both announce, and an
    edit later sends nothing.
    """
    if not capabilities.staff_can(staff, Capability.DECIDE, process.municipality_id):
        raise ActionRefused(_("You cannot record decisions in this municipality."), status=403)
    if not body.strip() or not text.strip():
        raise ActionRefused(_("Say who decided and what was decided."))
    if not pending and date is None:
        raise ActionRefused(_("A decision that has been made needs a date."))
    if link_statuses is not None and not set(link_statuses) <= set(ResponseStatus.values):
        raise ActionRefused(_("Choose answer statuses from the list."))
    if decision is not None and decision.process_id != process.pk:
        raise ActionRefused(_("This decision belongs to another case."), status=404)
    if case_number is not None and len(case_number.strip()) > 50:
        raise ActionRefused(_("The case number is too long: at most 50 characters."))
    if meeting_record_url is not None:
        check_meeting_record_url(meeting_record_url.strip())
    with transaction.atomic():
        if link_statuses is not None:
            response_ids = [*response_ids, *_responses_to_link(process, link_statuses, decision)]
        responses = list(
            Response.objects.filter(pk__in=response_ids, contribution__process=process)
        )
        if len(responses) != len(set(response_ids)):
            raise ActionRefused(_("Some of the chosen answers do not belong to this case."))
        if decision is None:
            decision = Decision(process=process)
        else:
            # Locked and read again: announced_at as committed, not as the officer saw it.
            decision = Decision.objects.select_for_update().get(pk=decision.pk)
        decision.body, decision.text, decision.date = body.strip(), text.strip(), date
        decision.is_pending = pending
        if case_number is not None:
            decision.case_number = case_number.strip()
        if meeting_record_url is not None:
            decision.meeting_record_url = meeting_record_url.strip()
        announce = not pending and decision.announced_at is None
        if announce:
            decision.announced_at = timezone.now()
        decision.save()
        decision.responses.set(responses)
        closed = process_actions.do_close_for_decision(staff, process) if announce else 0
        audit.record(
            "decision.saved",
            actor=staff,
            obj=decision,
            municipality_id=process.municipality_id,
            data={
                "pending": pending,
                "responses": sorted(r.pk for r in responses),
                "announced": announce,
                "closed_methods": closed,
            },
        )
        if announce:
            decision_id = decision.pk
            transaction.on_commit(lambda: _enqueue_announcement(decision_id))
    return decision
