"""Staff writes of the opinion map: the municipality's statements, taking a statement out of
the vote, drawing the map now, and importing a conversation from a Pol.is export.

Each checks ``manage_process`` in the municipality (``None`` as staff is the system: the
demo and tests), writes in one transaction and is audited. What changes the map asks for a
new one (``actions.request_recompute``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.organisations import capabilities
from medvirk.processes.models import MethodInstance
from medvirk.vocabulary import Capability

from . import actions, tasks
from .models import OpinionMap, Participant, Statement, Vote
from .polis_files import Conversation

if TYPE_CHECKING:
    from medvirk.identity.models import User

ADDED = "opinion_map.statement_added"
UPDATED = "opinion_map.statement_updated"
REMOVED = "opinion_map.statement_removed"
RESTORED = "opinion_map.statement_restored"
RECOMPUTED = "opinion_map.recompute_requested"
IMPORTED = "opinion_map.imported"
# Rows per INSERT when importing.
BATCH = 2000


def check_staff(staff: User | None, instance: MethodInstance) -> None:
    if instance.method_key != actions.METHOD_KEY:
        raise ActionRefused(_("This is not an opinion map."), status=404)
    if staff is not None and not capabilities.staff_can(
        staff, Capability.MANAGE_PROCESS, instance.process.municipality_id
    ):
        raise ActionRefused(
            _("You cannot change the opinion maps of this municipality."), status=403
        )


def _data(instance: MethodInstance, **data: object) -> dict[str, object]:
    return {"method": instance.pk, **data}


def do_add_seed(staff: User | None, instance: MethodInstance, text: str) -> Statement:
    """A statement written by the municipality, in the vote at once."""
    check_staff(staff, instance)
    cleaned = actions.clean_statement(text)
    with transaction.atomic():
        # The instance's row is locked so two staff adding the same text cannot both win.
        MethodInstance.objects.select_for_update().filter(pk=instance.pk).first()
        actions.check_new_text(instance, cleaned)
        statement = Statement.objects.create(
            method_instance=instance, text=cleaned, is_seed=True, is_active=True
        )
        if staff is not None:
            audit.record(
                ADDED,
                actor=staff,
                obj=statement,
                municipality_id=instance.process.municipality_id,
                data=_data(instance),
            )
    return statement


def do_edit_statement(staff: User | None, statement: Statement, text: str) -> Statement:
    """Change the wording of the municipality's (or an imported) statement before anyone
    has voted on it. A participant's statement is their input: it is moderated, not edited.
    Once voted on, a new wording would change what the votes mean (409)."""
    instance = statement.method_instance
    check_staff(staff, instance)
    if statement.contribution_id is not None:
        raise ActionRefused(
            _(
                "This statement was written by a participant: it cannot be reworded. "
                "Moderate it, or take it out of the vote."
            ),
            status=403,
        )
    cleaned = actions.clean_statement(text)
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if cleaned == locked.text:
            return locked
        if Vote.objects.filter(statement=locked).exists():
            raise ActionRefused(
                _(
                    "People have voted on this statement, so its wording can no longer "
                    "change. Take it out of the vote and add a new one instead."
                ),
                status=409,
            )
        actions.check_new_text(instance, cleaned, exclude=locked.pk)
        locked.text = cleaned
        locked.save(update_fields=["text"])
        if staff is not None:
            audit.record(
                UPDATED,
                actor=staff,
                obj=locked,
                municipality_id=instance.process.municipality_id,
                data=_data(instance),
            )
    return locked


def do_set_active(staff: User | None, statement: Statement, active: bool) -> Statement:
    """Take a statement out of the vote (kept, with its votes, but left out of the map), or
    put it back. The map is drawn again."""
    instance = statement.method_instance
    check_staff(staff, instance)
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if locked.is_active == active:
            return locked
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        if staff is not None:
            audit.record(
                RESTORED if active else REMOVED,
                actor=staff,
                obj=locked,
                municipality_id=instance.process.municipality_id,
                data=_data(instance),
            )
        OpinionMap.objects.get_or_create(method_instance=instance)
        actions.request_recompute(instance.pk, delay=actions.AT_ONCE)
    return locked


def do_recompute(staff: User | None, instance: MethodInstance) -> None:
    """Draw the map now (queued at once, without the debounce)."""
    check_staff(staff, instance)
    with transaction.atomic():
        OpinionMap.objects.get_or_create(method_instance=instance)
        # Pending already: the task is queued; ask again at once all the same.
        if not actions.request_recompute(instance.pk, delay=actions.AT_ONCE):
            transaction.on_commit(lambda: tasks.enqueue(instance.pk, actions.AT_ONCE))
        if staff is not None:
            audit.record(
                RECOMPUTED,
                actor=staff,
                obj=instance,
                municipality_id=instance.process.municipality_id,
                data=_data(instance),
            )


# --- importing a Pol.is conversation ------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    statements_added: int
    statements_known: int
    statements_out: int
    statements_unvoted: int
    participants_added: int
    participants_known: int
    votes_added: int
    votes_changed: int
    votes_known: int


def do_import(
    staff: User | None, instance: MethodInstance, conversation: Conversation
) -> ImportReport:
    """Add the conversation's statements, participants and votes; what is there already
    (by the Pol.is ids) is not added twice. A statement moderated out in Pol.is, or one
    without text, comes in taken out of the vote. The map is drawn again."""
    check_staff(staff, instance)
    comments = conversation.comments
    voted = {cid for _voter, cid in conversation.votes}
    with transaction.atomic():
        MethodInstance.objects.select_for_update().filter(pk=instance.pk).first()
        known = dict(
            Statement.objects.filter(method_instance=instance)
            .exclude(external_id="")
            .values_list("external_id", "pk")
        )
        new_statements = [
            Statement(
                method_instance=instance,
                text=comment.text,
                external_id=str(cid),
                is_seed=False,
                is_active=comment.moderated != -1 and bool(comment.text),
            )
            for cid, comment in sorted(comments.items())
            if str(cid) not in known
        ]
        Statement.objects.bulk_create(new_statements, batch_size=BATCH)
        statement_of = dict(
            Statement.objects.filter(method_instance=instance)
            .exclude(external_id="")
            .values_list("external_id", "pk")
        )
        voters = sorted({voter for voter, _cid in conversation.votes})
        people = dict(
            Participant.objects.filter(method_instance=instance)
            .exclude(external_id="")
            .values_list("external_id", "pk")
        )
        new_people = [
            Participant(
                method_instance=instance,
                key=actions.imported_key(instance.pk, str(voter)),
                external_id=str(voter),
            )
            for voter in voters
            if str(voter) not in people
        ]
        Participant.objects.bulk_create(new_people, batch_size=BATCH)
        participant_of = dict(
            Participant.objects.filter(method_instance=instance)
            .exclude(external_id="")
            .values_list("external_id", "pk")
        )
        existing: dict[tuple[int, int], int] = {}
        imported_ids = list(participant_of.values())
        for start in range(0, len(imported_ids), 900):
            rows = Vote.objects.filter(
                participant_id__in=imported_ids[start : start + 900]
            ).values_list("participant_id", "statement_id", "value")
            existing.update(((p, s), v) for p, s, v in rows.iterator(chunk_size=20_000))
        added = changed = same = 0
        to_write: list[Vote] = []
        for (voter, cid), value in conversation.votes.items():
            pair = (participant_of[str(voter)], statement_of[str(cid)])
            before = existing.get(pair)
            if before == value:
                same += 1
                continue
            if before is None:
                added += 1
            else:
                changed += 1
            to_write.append(Vote(participant_id=pair[0], statement_id=pair[1], value=value))
        Vote.objects.bulk_create(
            to_write,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["participant", "statement"],
            update_fields=["value", "updated_at"],
        )
        OpinionMap.objects.get_or_create(method_instance=instance)
        report = ImportReport(
            statements_added=len(new_statements),
            statements_known=len(comments) - len(new_statements),
            statements_out=sum(1 for s in new_statements if not s.is_active),
            statements_unvoted=sum(1 for cid in comments if cid not in voted),
            participants_added=len(new_people),
            participants_known=len(voters) - len(new_people),
            votes_added=added,
            votes_changed=changed,
            votes_known=same,
        )
        if staff is not None:
            audit.record(
                IMPORTED,
                actor=staff,
                obj=instance,
                municipality_id=instance.process.municipality_id,
                data=_data(
                    instance,
                    statements=report.statements_added,
                    participants=report.participants_added,
                    votes=added + changed,
                    skipped=conversation.skipped_count,
                ),
            )
        if new_statements or new_people or to_write:
            actions.request_recompute(instance.pk, delay=actions.AT_ONCE)
    return report
