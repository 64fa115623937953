"""What staff do with an idea besides answering it: merge a duplicate into the idea that is
kept, take an idea up in an existing case, or start a new case from it (and undo a link).

Each checks the staff member's capability (``manage_process`` in the idea's municipality),
locks the idea's row (both rows, in id order, for a merge), checks again under the lock,
writes in one transaction and leaves an audit row; the author is told after commit. Two
staff members acting on one idea at once: the first wins, the second is refused (409) and
nothing of theirs is written. ``staff=None`` is the demo loader and tests acting as the
system (nothing is audited then).

The idea still gets its reasoned answer through the inbox, like any input: merging or
taking up says what happened, the answer says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medvirk.contributions.models import ModerationState
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_line
from medvirk.organisations import capabilities
from medvirk.processes import actions as process_actions
from medvirk.processes.models import MethodInstance, Process, ProcessStatus
from medvirk.vocabulary import Capability

from . import tasks
from .actions import METHOD_KEY
from .forms import CASE_SUMMARY_MAX, CASE_TEXT_MAX, CASE_TITLE_MAX, CASE_WHO_MAX
from .models import Idea, Outcome, Support

if TYPE_CHECKING:
    from medvirk.identity.models import User

AUDIT_LABELS = {
    "ideas.merged": gettext_lazy("Idea merged into another (supporters carried over)"),
    "ideas.taken_up": gettext_lazy("Idea taken up in an existing case"),
    "ideas.case_started": gettext_lazy("New case started from an idea"),
    "ideas.link_removed": gettext_lazy("Idea's link to a case removed"),
}


def check_staff(staff: User | None, instance: MethodInstance) -> None:
    if instance.method_key != METHOD_KEY:
        raise ActionRefused(_("This is not an idea board."), status=404)
    if staff is None:
        return
    if not capabilities.staff_can(
        staff, Capability.MANAGE_PROCESS, instance.process.municipality_id
    ):
        raise ActionRefused(
            _("Your role in this municipality does not let you do this."), status=403
        )


def _where(idea: Idea, data: dict[str, Any]) -> dict[str, Any]:
    """The audit row's municipality and data (the board's id added)."""
    return {
        "municipality_id": idea.method_instance.process.municipality_id,
        "data": {"method": idea.method_instance_id, **data},
    }


def _locked(instance: MethodInstance, idea_id: int) -> Idea:
    idea = (
        Idea.objects.select_for_update(of=("self",))
        .filter(pk=idea_id, method_instance=instance)
        .select_related("method_instance__process")
        .first()
    )
    if idea is None:
        raise ActionRefused(_("The idea is not on this board."), status=404)
    return idea


def _not_merged(idea: Idea) -> None:
    if idea.merged_into_id is not None:
        merged_into = Idea.objects.filter(pk=idea.merged_into_id).first()
        raise ActionRefused(
            _(
                "This idea is already merged into «%(title)s»: someone may have done it "
                "just now. Nothing was changed."
            )
            % {"title": merged_into.title if merged_into else ""},
            status=409,
        )


def _not_taken_up(idea: Idea) -> None:
    if idea.outcome:
        case = idea.taken_up_in.title if idea.taken_up_in else ""
        raise ActionRefused(
            _(
                "This idea is already taken up in the case «%(case)s»: someone may have done "
                "it just now. Nothing was changed."
            )
            % {"case": case},
            status=409,
        )


# --- merging --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Merged:
    idea: Idea
    kept: Idea
    supports_moved: int
    supports_in_both: int


def do_merge(staff: User | None, instance: MethodInstance, idea_id: int, keep_id: int) -> Merged:
    """Merge idea ``idea_id`` into ``keep_id`` (a published idea of the same board).

    The merged idea points to the kept one and leaves the board's list; its supporters
    are counted on the kept idea, a person who supported both once (their support on the
    merged idea is dropped); ideas merged into it before now point to the kept one. Its
    author is told. An idea taken up in a case is not merged (merge the other into it).
    """
    check_staff(staff, instance)
    if idea_id == keep_id:
        raise ActionRefused(_("Choose another idea to keep: an idea cannot be merged into itself."))
    with transaction.atomic():
        # Both rows, in id order: two merges of the same pair never deadlock.
        rows = {
            idea.pk: idea
            for idea in Idea.objects.select_for_update(of=("self",))
            .filter(pk__in=sorted({idea_id, keep_id}), method_instance=instance)
            .select_related("contribution", "method_instance__process", "taken_up_in")
            .order_by("pk")
        }
        if idea_id not in rows or keep_id not in rows:
            raise ActionRefused(_("Both ideas must be on this board."), status=404)
        idea, kept = rows[idea_id], rows[keep_id]
        _not_merged(idea)
        if kept.merged_into_id is not None:
            raise ActionRefused(
                _(
                    "The idea you chose to keep is itself merged into another idea: someone "
                    "may have done it just now. Choose again."
                ),
                status=409,
            )
        _not_taken_up(idea)
        if kept.contribution.moderation != ModerationState.PUBLISHED:
            raise ActionRefused(_("The idea to keep must be published on the board."), status=409)
        repointed = Idea.objects.filter(merged_into=idea).update(merged_into=kept)
        on_kept = Support.objects.filter(idea=kept).values_list("person_key", flat=True)
        in_both, _rows = Support.objects.filter(idea=idea, person_key__in=on_kept).delete()
        moved = Support.objects.filter(idea=idea).update(idea=kept)
        idea.merged_into, idea.merged_at = kept, timezone.now()
        idea.save(update_fields=["merged_into", "merged_at"])
        if staff is not None:
            summary = {
                "into": kept.pk,
                "supports_moved": moved,
                "supports_in_both": in_both,
                "earlier_merges_repointed": repointed,
            }
            audit.record("ideas.merged", actor=staff, obj=idea, **_where(idea, summary))
        pk = idea.pk
        transaction.on_commit(lambda: tasks.tell_author.enqueue(pk, tasks.MERGED))
    return Merged(idea=idea, kept=kept, supports_moved=moved, supports_in_both=in_both)


# --- taking an idea up in a case ------------------------------------------------------------


def case_for(instance: MethodInstance, process_id: int) -> Process:
    """A case of the idea board's municipality that can take an idea up (not decided)."""
    process = Process.objects.filter(
        pk=process_id, municipality_id=instance.process.municipality_id
    ).first()
    if process is None:
        raise ActionRefused(_("Choose one of the municipality's cases."), status=400)
    if process.status == ProcessStatus.DECIDED:
        raise ActionRefused(
            _("The case «%(case)s» is decided and takes nothing new. Choose another.")
            % {"case": process.title}
        )
    return process


def do_move_to_case(
    staff: User | None, instance: MethodInstance, idea_id: int, process_id: int
) -> Idea:
    """Record that an existing case of the municipality takes the idea up (it may be the
    case the board itself belongs to); the idea shows it with a link, its author is told."""
    check_staff(staff, instance)
    with transaction.atomic():
        idea = _locked(instance, idea_id)
        _not_merged(idea)
        _not_taken_up(idea)
        process = case_for(instance, process_id)
        idea.outcome, idea.taken_up_in, idea.taken_up_at = Outcome.MOVED, process, timezone.now()
        idea.save(update_fields=["outcome", "taken_up_in", "taken_up_at"])
        if staff is not None:
            where = _where(idea, {"process": process.pk})
            audit.record("ideas.taken_up", actor=staff, obj=idea, **where)
        pk = idea.pk
        transaction.on_commit(lambda: tasks.tell_author.enqueue(pk, tasks.TAKEN_UP))
    return idea


@dataclass(frozen=True)
class NewCase:
    title: str
    summary: str
    open_to_influence: str
    decided_by: str


def _free_slug(municipality_id: int, title: str) -> str:
    base = slugify(title)[:70].strip("-") or "sak"
    taken = set(
        Process.objects.filter(municipality_id=municipality_id, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _case_text(value: str, limit: int, field: str, *, required: bool = True) -> str:
    text = value.replace("\r\n", "\n").strip()
    if required and not text:
        raise ActionRefused(_("%(field)s: fill this in.") % {"field": field})
    if len(text) > limit:
        raise ActionRefused(
            _("%(field)s: at most %(max)d characters.") % {"field": field, "max": limit}
        )
    return text


def clean_case(values: NewCase) -> Mapping[str, Any]:
    """The new case's fields for ``processes.actions.do_save_process``, checked."""
    title = clean_line(values.title)
    if not title:
        raise ActionRefused(_("Title of the case: fill this in."))
    return {
        "title": title[:CASE_TITLE_MAX],
        "summary": _case_text(values.summary, CASE_SUMMARY_MAX, _("Summary in plain language")),
        "open_to_influence": _case_text(
            values.open_to_influence, CASE_TEXT_MAX, _("What residents can influence")
        ),
        "decided_by": clean_line(_case_text(values.decided_by, CASE_WHO_MAX, _("Who decides"))),
        "status": ProcessStatus.DRAFT,
    }


def do_start_case(staff: User, instance: MethodInstance, idea_id: int, values: NewCase) -> Process:
    """Start a new case in draft from the idea (through the core's ``do_save_process``,
    which checks and audits it too) and link the idea to it; its author is told."""
    check_staff(staff, instance)
    fields = dict(clean_case(values))
    municipality = instance.process.municipality
    with transaction.atomic():
        idea = _locked(instance, idea_id)
        _not_merged(idea)
        _not_taken_up(idea)
        fields["slug"] = _free_slug(municipality.pk, fields["title"])
        process = process_actions.do_save_process(staff, municipality, fields)
        idea.outcome, idea.taken_up_in, idea.taken_up_at = (
            Outcome.NEW_CASE,
            process,
            timezone.now(),
        )
        idea.save(update_fields=["outcome", "taken_up_in", "taken_up_at"])
        where = _where(idea, {"process": process.pk})
        audit.record("ideas.case_started", actor=staff, obj=idea, **where)
        pk = idea.pk
        transaction.on_commit(lambda: tasks.tell_author.enqueue(pk, tasks.CASE_STARTED))
    return process


def do_remove_link(staff: User | None, instance: MethodInstance, idea_id: int) -> Idea:
    """Undo "taken up in a case" (chosen by mistake). A case started from the idea stays
    (a draft case is deleted or published from the case's own pages)."""
    check_staff(staff, instance)
    with transaction.atomic():
        idea = _locked(instance, idea_id)
        if not idea.outcome:
            raise ActionRefused(
                _("This idea is not taken up in a case: someone may have removed it just now."),
                status=409,
            )
        before = {"outcome": idea.outcome, "process": idea.taken_up_in_id}
        idea.outcome, idea.taken_up_in, idea.taken_up_at = Outcome.NONE, None, None
        idea.save(update_fields=["outcome", "taken_up_in", "taken_up_at"])
        if staff is not None:
            audit.record("ideas.link_removed", actor=staff, obj=idea, **_where(idea, before))
    return idea
