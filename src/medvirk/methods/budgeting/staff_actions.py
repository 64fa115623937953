"""Staff writes of participatory budgeting, each checked, in one transaction, and audited.

- The review of an idea (``manage_process``, and ``respond`` for the answer): set the
  estimated cost and put it on the ballot, reject it with the reasons, or merge it into a
  project that says the same. The author gets the answer as the answer to their input.
  Adding a project directly (no author). The ballot is fixed once the vote opens.
- Voting codes for a class or group, the printable list (its showing is audited), and
  voiding the unused codes of a list.
- The vote: open it by hand until a given time, and "Close the vote and count" (also by
  the cron command, as the system), which enqueues the count after the commit.
- The follow-up of funded projects: progress and dated updates with an optional photo.
- The voter group that votes, in "group" mode.

``staff=None`` is the system (the demo loader, the cron command): checked and audited as
such.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medvirk.accountability.actions import do_respond
from medvirk.accountability.models import ResponseStatus
from medvirk.core import audit, uploads
from medvirk.core.errors import ActionRefused
from medvirk.core.filetypes import KINDS
from medvirk.core.text import clean_line, clean_title
from medvirk.organisations import capabilities
from medvirk.processes import actions as process_actions
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from medvirk.vocabulary import Capability

from . import ballots, keys, stages, tasks
from .actions import METHOD_KEY, election_of, lock_election, next_number, stage_of
from .config import GROUP, rules_of
from .models import (
    MAX_DESCRIPTION,
    MAX_TITLE,
    Ballot,
    CodeBatch,
    Delivery,
    Election,
    Project,
    ProjectStatus,
    ProjectUpdate,
    VotingCode,
)

if TYPE_CHECKING:
    from medvirk.identity.models import User

MAX_REASON = 5000
MAX_UPDATE = 2000
MAX_CODES = 1000
MAX_VOTE_DAYS = 366

AUDIT_LABELS = {
    "budgeting.reviewed": gettext_lazy("Budget idea reviewed (accepted, rejected or merged)"),
    "budgeting.project_added": gettext_lazy("Budget project added by staff"),
    "budgeting.codes_made": gettext_lazy("Voting codes made"),
    "budgeting.codes_shown": gettext_lazy("List of voting codes shown"),
    "budgeting.codes_voided": gettext_lazy("Unused voting codes voided"),
    "budgeting.vote_opened": gettext_lazy("Budget vote opened"),
    "budgeting.vote_closed": gettext_lazy("Budget vote closed for counting"),
    "budgeting.progress": gettext_lazy("Progress of a funded budget project updated"),
    "budgeting.voter_group": gettext_lazy("Voter group of a budget chosen"),
}

ACCEPT, REJECT, MERGE = "accept", "reject", "merge"
REFUSALS = (ResponseStatus.NOT_ADOPTED, ResponseStatus.OUT_OF_SCOPE)


def check_staff(
    staff: User | None, instance: MethodInstance, capability: Capability = Capability.MANAGE_PROCESS
) -> None:
    if instance.method_key != METHOD_KEY:
        raise ActionRefused(_("This is not a participatory budget."), status=404)
    if staff is None:
        return
    if not capabilities.staff_can(staff, capability, instance.process.municipality_id):
        raise ActionRefused(
            _("Your role in this municipality does not let you do this."), status=403
        )


def _record(
    action: str, staff: User | None, instance: MethodInstance, obj: object, **data: object
) -> None:
    audit.record(
        action,
        actor=staff,
        obj=obj,
        municipality_id=instance.process.municipality_id,
        data={"method": instance.pk, **data},
    )


def _reason(text: str) -> str:
    cleaned = text.replace("\r\n", "\n").strip()
    if len(cleaned) > MAX_REASON:
        raise ActionRefused(
            _("The answer is too long: at most %(n)d characters.") % {"n": MAX_REASON}
        )
    return cleaned


def _ballot_open_to_change(instance: MethodInstance, election: Election) -> None:
    """The ballot (which projects, their costs and districts) is fixed once voting starts."""
    stage = stage_of(instance, election)
    if stage in (stages.Stage.VOTE, stages.Stage.RESULTS) or (
        Ballot.objects.filter(method_instance=instance).exists()
    ):
        raise ActionRefused(
            _(
                "The ballot is fixed once the vote has opened: projects can no longer be "
                "added, changed, accepted or rejected."
            ),
            status=409,
        )


def _locked_project(instance: MethodInstance, number: int) -> Project:
    project = (
        Project.objects.select_for_update(of=("self",))
        .select_related("contribution")
        .filter(method_instance=instance, number=number)
        .first()
    )
    if project is None:
        raise ActionRefused(_("This project is not in this budget."), status=404)
    return project


@dataclass(frozen=True)
class Ballotline:
    """What staff put on the ballot for a project."""

    title: str
    description: str
    cost: int | None
    district: str = ""


def _clean_ballotline(instance: MethodInstance, line: Ballotline) -> Ballotline:
    rules = rules_of(instance)
    title = clean_title(line.title, max_length=MAX_TITLE)
    if len(title) < 3:
        raise ActionRefused(_("Give the project a title of at least %(n)d characters.") % {"n": 3})
    description = line.description.replace("\r\n", "\n").strip()
    if len(description) > MAX_DESCRIPTION:
        raise ActionRefused(
            _("The description is too long: at most %(n)d characters.") % {"n": MAX_DESCRIPTION}
        )
    if line.cost is None or line.cost < 0:
        raise ActionRefused(_("Give the estimated cost in whole kroner."))
    district = ""
    if rules.has_districts:
        found = rules.district_named(line.district)
        if found is None:
            raise ActionRefused(_("Choose the district whose budget pays for the project."))
        district = found
    budget = rules.budget_for(district)
    if line.cost > budget:
        raise ActionRefused(
            _(
                "It costs %(cost)s, more than the whole budget (%(budget)s): it could never "
                "be funded. Split it into smaller projects, or reject it with the reason."
            )
            % {"cost": ballots.kr(line.cost), "budget": ballots.kr(budget)}
        )
    return Ballotline(title, description, line.cost, district)


# -- review --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    decision: str  # ACCEPT, REJECT or MERGE
    ballotline: Ballotline | None = None  # accept
    reason: str = ""
    refusal: str = ResponseStatus.NOT_ADOPTED  # reject: not_adopted or out_of_scope
    merge_into: int | None = None  # merge: the other project's number


def do_review(staff: User | None, instance: MethodInstance, number: int, review: Review) -> Project:
    """Accept, reject or merge one project before the vote; its author gets the answer."""
    check_staff(staff, instance)
    reason = _reason(review.reason)
    if review.decision not in (ACCEPT, REJECT, MERGE):
        raise ActionRefused(_("Choose what to do with the idea."))
    line = None
    if review.decision == ACCEPT:
        if review.ballotline is None:
            raise ActionRefused(_("Give the estimated cost in whole kroner."))
        line = _clean_ballotline(instance, review.ballotline)
    if review.decision == REJECT:
        if review.refusal not in REFUSALS:
            raise ActionRefused(_("Choose why the idea is not on the ballot."))
        if not reason:
            raise ActionRefused(_("Say why: the author is owed a reasoned answer."))
    if review.decision == MERGE and review.merge_into is None:
        raise ActionRefused(_("Choose the project to merge it into."))
    with transaction.atomic():
        election = lock_election(instance)
        _ballot_open_to_change(instance, election)
        project = _locked_project(instance, number)
        if project.status == ProjectStatus.MERGED:
            raise ActionRefused(
                _("This idea is merged into another project already: nothing was changed."),
                status=409,
            )
        if review.decision != ACCEPT and project.merged.exists():
            raise ActionRefused(
                _(
                    "Other ideas are merged into this project. It can only stay on the ballot; "
                    "change it as needed."
                ),
                status=409,
            )
        target: Project | None = None
        if review.decision == ACCEPT:
            assert line is not None
            project.title, project.description = line.title, line.description
            project.cost, project.district = line.cost, line.district
            project.status = ProjectStatus.ACCEPTED
            status = ResponseStatus.ADOPTED
            answer = reason or _(
                "Thank you for the idea. It is on the ballot as «%(title)s». The municipality "
                "estimates that it costs %(cost)s."
            ) % {"title": line.title, "cost": ballots.kr(line.cost or 0)}
        elif review.decision == REJECT:
            project.status = ProjectStatus.REJECTED
            status = ResponseStatus(review.refusal)
            answer = reason
        else:
            assert review.merge_into is not None
            if review.merge_into == project.number:
                raise ActionRefused(
                    _("Choose another project: a project cannot merge into itself.")
                )
            target = _locked_project(instance, review.merge_into)
            if target.status != ProjectStatus.ACCEPTED:
                raise ActionRefused(
                    _("Merge it into a project that is on the ballot: accept that one first."),
                    status=409,
                )
            project.status = ProjectStatus.MERGED
            project.merged_into = target
            status = ResponseStatus.ADOPTED
            answer = reason or _(
                "Thank you for the idea. It says much the same as «%(title)s», which is on the "
                "ballot, so the two are merged: your idea goes on as part of that project."
            ) % {"title": target.title}
        project.reviewed_at = timezone.now()
        project.save()
        if project.contribution is not None and staff is not None:
            do_respond(staff, instance.process, [project.contribution.pk], status, answer)
        _record(
            "budgeting.reviewed",
            staff,
            instance,
            project,
            number=project.number,
            decision=review.decision,
            cost=project.cost,
            district=project.district,
            into=target.number if target else None,
        )
    return project


def do_add_project(staff: User | None, instance: MethodInstance, line: Ballotline) -> Project:
    """A project staff put on the ballot themselves (no resident's idea behind it)."""
    check_staff(staff, instance)
    cleaned = _clean_ballotline(instance, line)
    with transaction.atomic():
        election = lock_election(instance)
        _ballot_open_to_change(instance, election)
        project = Project.objects.create(
            method_instance=instance,
            number=next_number(instance),
            title=cleaned.title,
            description=cleaned.description,
            cost=cleaned.cost,
            district=cleaned.district,
            status=ProjectStatus.ACCEPTED,
            reviewed_at=timezone.now(),
        )
        _record(
            "budgeting.project_added",
            staff,
            instance,
            project,
            number=project.number,
            cost=project.cost,
            district=project.district,
        )
    return project


# -- voting codes --------------------------------------------------------------------------


def do_make_codes(
    staff: User | None, instance: MethodInstance, *, label: str, count: int, district: str = ""
) -> CodeBatch:
    """``count`` new single-use codes for one class or group (optionally one district)."""
    check_staff(staff, instance)
    name = clean_line(label)[:120]
    if not name:
        raise ActionRefused(_("Name the class or group the codes are for."))
    if not 1 <= count <= MAX_CODES:
        raise ActionRefused(_("Make from 1 to %(n)d codes at a time.") % {"n": MAX_CODES})
    rules = rules_of(instance)
    where = ""
    if district.strip():
        found = rules.district_named(district)
        if found is None:
            raise ActionRefused(_("Choose one of the districts in the list."))
        where = found
    if stage_of(instance) == stages.Stage.RESULTS:
        raise ActionRefused(_("The vote is over: no more codes are needed."), status=409)
    with transaction.atomic():
        batch = CodeBatch.objects.create(method_instance=instance, label=name, district=where)
        taken = set(
            VotingCode.objects.filter(method_instance=instance).values_list("code", flat=True)
        )
        fresh: list[str] = []
        while len(fresh) < count:
            code = keys.new_code()
            if code not in taken:
                taken.add(code)
                fresh.append(code)
        VotingCode.objects.bulk_create(
            [VotingCode(batch=batch, method_instance=instance, code=c) for c in fresh]
        )
        _record("budgeting.codes_made", staff, instance, batch, count=count, district=where)
    return batch


def record_codes_shown(staff: User, instance: MethodInstance, batch: CodeBatch) -> None:
    """Whoever sees a list of codes could vote with them: each showing is logged."""
    with transaction.atomic():
        _record("budgeting.codes_shown", staff, instance, batch, label=batch.label)


def do_void_unused(staff: User | None, instance: MethodInstance, batch_id: int) -> int:
    """Void the codes of a list that have not voted (a list gone astray). Returns how many."""
    check_staff(staff, instance)
    with transaction.atomic():
        batch = CodeBatch.objects.filter(pk=batch_id, method_instance=instance).first()
        if batch is None:
            raise ActionRefused(_("This list of codes is not in this budget."), status=404)
        voided = VotingCode.objects.filter(batch=batch, used=False, void=False).update(void=True)
        _record("budgeting.codes_voided", staff, instance, batch, voided=voided)
    return voided


# -- the vote ------------------------------------------------------------------------------


def do_open_vote(
    staff: User | None,
    instance: MethodInstance,
    closes_at: dt.datetime,
    now: dt.datetime | None = None,
) -> Election:
    """Open the vote now, whatever the phases say, until ``closes_at``."""
    check_staff(staff, instance)
    moment = now or timezone.now()
    if closes_at <= moment:
        raise ActionRefused(_("The vote must close later than now."))
    if closes_at > moment + dt.timedelta(days=MAX_VOTE_DAYS):
        raise ActionRefused(_("The vote may be open for at most a year."))
    with transaction.atomic():
        election = lock_election(instance)
        if election.closed_at is not None:
            raise ActionRefused(_("The vote is closed already."), status=409)
        if stage_of(instance, election, moment) == stages.Stage.VOTE:
            raise ActionRefused(_("The vote is open already."), status=409)
        if not Project.objects.filter(
            method_instance=instance, status=ProjectStatus.ACCEPTED
        ).exists():
            raise ActionRefused(_("Put at least one project on the ballot first."), status=409)
        election.opened_at, election.closes_at = moment, closes_at
        election.save(update_fields=["opened_at", "closes_at"])
        _record("budgeting.vote_opened", staff, instance, election, closes_at=closes_at)
    return election


def do_close_vote(
    staff: User | None, instance: MethodInstance, now: dt.datetime | None = None
) -> Election:
    """Close the vote and count it (the count runs after the commit, in the background).

    Waits for ballots being written (they hold the election's lock shared), so every
    ballot stored before the close is counted and none after it is stored.
    """
    check_staff(staff, instance)
    moment = now or timezone.now()
    with transaction.atomic():
        election = lock_election(instance)
        if election.closed_at is not None:
            raise ActionRefused(_("The vote is closed already."), status=409)
        stage = stage_of(instance, election, moment)
        if stage not in (stages.Stage.VOTE, stages.Stage.RESULTS):
            raise ActionRefused(
                _("The vote has not opened yet, so it cannot be closed."), status=409
            )
        election.closed_at = moment
        election.closed_by_staff = staff is not None
        election.save(update_fields=["closed_at", "closed_by_staff"])
        ballots_in = Ballot.objects.filter(method_instance=instance).count()
        _record(
            "budgeting.vote_closed",
            staff,
            instance,
            election,
            ballots=ballots_in,
            early=stage == stages.Stage.VOTE,
        )
        pk = instance.pk
        transaction.on_commit(lambda: tasks.count_votes.enqueue(pk))
    return election


def due_for_closing(instance: MethodInstance, now: dt.datetime | None = None) -> bool:
    """Has the vote ended by its phases or its hand-set end, without being closed yet?"""
    election = election_of(instance)
    return election.closed_at is None and stage_of(instance, election, now) == stages.Stage.RESULTS


# -- follow-up -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    delivery: str
    text: str
    date: dt.date
    photo: uploads.CheckedUpload | None = None
    photo_alt: str = ""


def do_update_progress(
    staff: User | None, instance: MethodInstance, number: int, progress: Progress
) -> ProjectUpdate:
    """A dated update on a funded project, with its progress, shown on its public page."""
    check_staff(staff, instance)
    if progress.delivery not in Delivery.values:
        raise ActionRefused(_("Choose how far the project has come."))
    text = progress.text.replace("\r\n", "\n").strip()
    if not text:
        raise ActionRefused(_("Write what has happened."))
    if len(text) > MAX_UPDATE:
        raise ActionRefused(
            _("At most %(max)d characters (you wrote %(n)d).") % {"max": MAX_UPDATE, "n": len(text)}
        )
    if progress.date > timezone.localdate():
        raise ActionRefused(_("The date cannot be in the future."))
    alt = clean_line(progress.photo_alt)[:300]
    if progress.photo is not None and not alt:
        raise ActionRefused(_("Say what the photo shows, for those who cannot see it."))
    with uploads.discard_on_failure() as written, transaction.atomic():
        project = _locked_project(instance, number)
        if not project.delivery:
            raise ActionRefused(_("Only funded projects are followed up."), status=409)
        photo_name = ""
        if progress.photo is not None:
            photo_name = uploads.store(progress.photo, "budsjett")
            written.append(photo_name)
        update = ProjectUpdate.objects.create(
            project=project,
            date=progress.date,
            delivery=progress.delivery,
            text=text,
            photo=photo_name,
            photo_type=KINDS[progress.photo.kind].content_type if progress.photo else "",
            photo_size=progress.photo.size if progress.photo is not None else 0,
            photo_alt=alt if progress.photo is not None else "",
        )
        project.delivery = progress.delivery
        project.save(update_fields=["delivery"])
        _record(
            "budgeting.progress",
            staff,
            instance,
            project,
            number=project.number,
            delivery=progress.delivery,
            photo=bool(photo_name),
        )
    return update


# -- who votes -----------------------------------------------------------------------------


def do_choose_voter_group(staff: User, instance: MethodInstance, key: str) -> MethodInstance:
    """Set the voter group (a body's members) that votes, in "group" mode."""
    check_staff(staff, instance)
    groups = {g.key for g in registry.voter_groups(instance.process.municipality)}
    if key not in groups:
        raise ActionRefused(_("Choose one of the groups in the list."))
    if rules_of(instance).voters != GROUP:
        raise ActionRefused(
            _("Set “Who votes” to a group in the method's settings first."), status=409
        )
    with transaction.atomic():
        election = lock_election(instance)
        if stage_of(instance, election) in (stages.Stage.VOTE, stages.Stage.RESULTS):
            raise ActionRefused(_("Who votes cannot change once the vote has opened."), status=409)
        saved = process_actions.do_save_method(
            staff,
            instance.process,
            phase=instance.phase,
            method_key=instance.method_key,
            slug=instance.slug,
            title=instance.title,
            description=instance.description,
            raw_settings={**instance.settings, "voter_group": key},
            phase_settings=instance.phase_settings,
            identity_levels=instance.identity_levels,
            is_published=instance.is_published,
            instance=instance,
        )
        _record("budgeting.voter_group", staff, instance, election, group=key)
    return saved
