"""Residents' writes: handing in an idea, and casting (or changing) a ballot.

Ideas
    An idea is a contribution (kind ``idea``) through ``do_contribute``: it gets the core's
    receipt, screening, moderation, the inbox, and the answer the municipality gives when it
    reviews the idea (``staff_actions.do_review``). Its title, rough cost and district are
    copied, screened, to a :class:`Project`, which staff then cost, accept, reject or merge.

Ballots
    A voter is identified per the instance's ``voters`` setting (verified e-ID, a voting
    code, or membership of a voter group) and given a keyed hash (``keys``); the ballot is
    checked against the rules (``ballots.check``) and stored with one upsert on the unique
    (instance, voter key): the last ballot counts, and any number of parallel submissions by
    one voter leave exactly one row. The upsert runs under a shared lock on the election's
    row, which closing the vote takes exclusively: a ballot is either in before the close
    (and counted) or refused.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.contributions.actions import Draft, Receipt, do_contribute
from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_title
from medvirk.identity import eligibility, residence
from medvirk.processes import permissions, registry
from medvirk.processes import queries as process_queries
from medvirk.processes.models import MethodInstance, Phase
from medvirk.processes.permissions import NeedsLogin

from . import ballots, keys, stages
from .config import CODES, EID, GROUP, Rules, rules_of
from .models import MAX_TITLE, Ballot, Election, Project, ProjectStatus, VotingCode

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.types import User

METHOD_KEY = "budgeting"
PROPOSE = "propose"
VOTE = "vote"
KIND = "idea"
MIN_TITLE = 3
MIN_DESCRIPTION = 10
MAX_IDEA_TEXT = 2000
MAX_COST = 10**10


def _this_method(instance: MethodInstance) -> None:
    if instance.method_key != METHOD_KEY:
        raise ActionRefused(_("This page is not a participatory budget."), status=404)


# -- the election row and the stage ----------------------------------------------------------


def election_of(instance: MethodInstance) -> Election:
    """The instance's election row, made the first time it is needed (races are fine)."""
    election, _created = Election.objects.get_or_create(method_instance=instance)
    return election


def stage_of(
    instance: MethodInstance, election: Election | None = None, now: dt.datetime | None = None
) -> stages.Stage:
    found = election or Election.objects.filter(method_instance=instance).first()
    return stages.current(
        list(process_queries.phases_of(instance.process)),
        instance.phase_settings,
        opened_at=found.opened_at if found else None,
        closes_at=found.closes_at if found else None,
        closed_at=found.closed_at if found else None,
        now=now,
    )


def next_number(instance: MethodInstance) -> int:
    """The next project number (call with the election row locked)."""
    last = (
        Project.objects.filter(method_instance=instance)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1


# PostgreSQL advisory-lock namespace of the budget's elections ("bv"): ballots hold the
# election's lock shared, closing the vote (and any other change to it) holds it alone.
ADVISORY_LOCKS = 0x6276


def lock_election(instance: MethodInstance) -> Election:
    """The election row, locked for update until the transaction ends; on PostgreSQL also
    its advisory lock alone, so this waits for every ballot being written to commit."""
    election_of(instance)
    election = Election.objects.select_for_update().get(method_instance=instance)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCKS, election.pk])
    return election


# -- ideas ---------------------------------------------------------------------------------


def check_propose(
    user: User | AnonymousUser, instance: MethodInstance, now: dt.datetime | None = None
) -> None:
    """Raise :class:`ActionRefused` (or :class:`NeedsLogin`) when no idea can be handed in."""
    _this_method(instance)
    permissions.require(user, instance, PROPOSE)
    stage = stage_of(instance, now=now)
    if stage != stages.Stage.IDEAS:
        message = {
            stages.Stage.UPCOMING: _("Ideas are not taken yet: the budget has not started."),
            stages.Stage.REVIEW: _(
                "The time for ideas is over: the municipality is reviewing the ideas it got."
            ),
            stages.Stage.VOTE: _("The time for ideas is over: the vote is on."),
            stages.Stage.RESULTS: _("The time for ideas is over: the vote is done."),
        }[stage]
        raise ActionRefused(message, status=403)


@dataclass(frozen=True)
class Idea:
    title: str
    description: str
    proposed_cost: int | None = None
    district: str = ""
    contact_email: str = ""
    author_name: str = ""
    show_name: bool = False


@dataclass(frozen=True)
class Proposed:
    project: Project
    receipt: Receipt


def clean_idea(idea: Idea, rules: Rules) -> Idea:
    title = clean_title(idea.title, max_length=MAX_TITLE)
    if len(title) < MIN_TITLE:
        raise ActionRefused(_("Give the idea a title of at least %(n)d characters.") % {"n": 3})
    text = idea.description.replace("\r\n", "\n").strip()
    if len(text) < MIN_DESCRIPTION:
        raise ActionRefused(
            _("Describe the idea in at least %(n)d characters: what, where and for whom.")
            % {"n": MIN_DESCRIPTION}
        )
    if len(text) > MAX_IDEA_TEXT:
        raise ActionRefused(
            _("At most %(max)d characters (you wrote %(n)d).")
            % {"max": MAX_IDEA_TEXT, "n": len(text)}
        )
    cost = idea.proposed_cost
    if cost is not None and not 0 <= cost <= MAX_COST:
        raise ActionRefused(_("Write the cost as a whole number of kroner."))
    district = ""
    if idea.district.strip():
        found = rules.district_named(idea.district)
        if found is None:
            raise ActionRefused(_("Choose one of the districts in the list."))
        district = found
    return Idea(
        title=title,
        description=text,
        proposed_cost=cost,
        district=district,
        contact_email=idea.contact_email.strip(),
        author_name=idea.author_name,
        show_name=idea.show_name,
    )


def do_propose(
    user: User | AnonymousUser,
    instance: MethodInstance,
    idea: Idea,
    now: dt.datetime | None = None,
) -> Proposed:
    """Hand in an idea; returns the project waiting for review and the private receipt."""
    check_propose(user, instance, now)
    cleaned = clean_idea(idea, rules_of(instance))
    data: dict[str, object] = {"title": cleaned.title}
    if cleaned.proposed_cost is not None:
        data["cost"] = cleaned.proposed_cost
    if cleaned.district:
        data["district"] = cleaned.district
    draft = Draft(
        kind=KIND,
        text=cleaned.description,
        data=data,
        contact_email=cleaned.contact_email,
        author_name=cleaned.author_name,
        show_name=cleaned.show_name,
    )
    with transaction.atomic():
        lock_election(instance)  # numbers the projects one at a time
        receipt = do_contribute(user, instance, PROPOSE, draft)
        contribution = receipt.contribution
        screened_title = str(contribution.data.get("title") or cleaned.title)
        project = Project.objects.create(
            method_instance=instance,
            contribution=contribution,
            number=next_number(instance),
            title=screened_title[:MAX_TITLE],
            description=contribution.text,
            proposed_cost=cleaned.proposed_cost,
            district=cleaned.district,
        )
    return Proposed(project, receipt)


# -- who votes -----------------------------------------------------------------------------


class BadCode(ActionRefused):
    """A voting code that is not one of this budget's (the view counts these per client)."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "That code is not valid for this vote. Check that you typed it as it stands "
                "on the slip, or ask the person who gave it to you."
            ),
            status=403,
        )


@dataclass(frozen=True)
class Voter:
    key: str
    # The district the voter belongs to, when known (a code's batch, the register);
    # None: the voter chooses (or the budget has no districts).
    district: str | None = None
    code_id: int | None = None
    code_used: bool = False


def find_code(instance: MethodInstance, typed: str) -> VotingCode:
    code = keys.normalise(typed)
    found = (
        VotingCode.objects.select_related("batch")
        .filter(method_instance=instance, code=code, void=False)
        .first()
        if code
        else None
    )
    if found is None:
        raise BadCode()
    return found


def _code_voter(instance: MethodInstance, typed: str) -> Voter:
    """The voter a typed code is: one row read as plain values (every ballot by code)."""
    code = keys.normalise(typed)
    row = (
        VotingCode.objects.filter(method_instance=instance, code=code, void=False)
        .values_list("pk", "used", "batch__district")
        .first()
        if code
        else None
    )
    if row is None:
        raise BadCode()
    pk, used, district = row
    return Voter(keys.code_key(instance.pk, code), district or None, pk, used)


def _is_inhabitant(kommunenummer: str, instance: MethodInstance) -> bool:
    municipality = instance.process.municipality
    if municipality.is_county:
        return kommunenummer[:2] == municipality.fylkesnummer
    return kommunenummer == municipality.kommunenummer


def vote_year(now: dt.datetime | None = None) -> int:
    return timezone.localtime(now or timezone.now()).year


def _group_label(instance: MethodInstance, key: str) -> str:
    for group in registry.voter_groups(instance.process.municipality):
        if group.key == key:
            return str(group.label)
    return ""


def identify(
    user: User | AnonymousUser,
    instance: MethodInstance,
    rules: Rules,
    *,
    code: str = "",
    lives_here: bool = False,
    now: dt.datetime | None = None,
) -> Voter:
    """Who this voter is (as a keyed hash) and, where known, their district; or refused."""
    if rules.voters == CODES:
        return _code_voter(instance, code)
    if rules.voters == GROUP:
        if not user.is_authenticated:
            raise NeedsLogin(_("Log in to vote: this vote is for the members of a group."))
        if not rules.voter_group or not registry.in_voter_group(user, rules.voter_group):
            group = _group_label(instance, rules.voter_group)
            raise ActionRefused(
                _("This vote is for the members of %(group)s, and you are not one of them.")
                % {"group": group}
                if group
                else _("This vote is for the members of a group, and you are not one of them."),
                status=403,
            )
        return Voter(keys.member_key(instance.pk, user.pk))
    assert rules.voters == EID
    identity = keys.identity_of(user)
    if not eligibility.is_verified(user) or identity is None:
        raise NeedsLogin(
            _(
                "Voting needs a login with e-ID (ID-porten or another), so that each person "
                "votes once. Log in and come back."
            )
        )
    if rules.min_age:
        year = vote_year(now)
        age = eligibility.age_in_year(user, year)
        if age is None:
            raise ActionRefused(
                _(
                    "This vote is for people who turn %(age)d in %(year)d or are older, and "
                    "your e-ID login did not tell us your year of birth. Log in again with "
                    "ID-porten."
                )
                % {"age": rules.min_age, "year": year},
                status=403,
            )
        if age < rules.min_age:
            raise ActionRefused(
                _("This vote is for people who turn %(age)d in %(year)d or are older.")
                % {"age": rules.min_age, "year": year},
                status=403,
            )
    district: str | None = None
    if rules.residents_only:
        municipality = instance.process.municipality
        if residence.declares():
            if not lives_here:
                raise ActionRefused(
                    _("Only inhabitants of %(kommune)s may vote: tick that you live here.")
                    % {"kommune": municipality.name}
                )
        else:
            found_home = residence.residence_of(user)
            if found_home is None or not _is_inhabitant(found_home.kommunenummer, instance):
                raise ActionRefused(
                    _(
                        "Only inhabitants of %(kommune)s may vote, and the population register "
                        "does not have you living there."
                    )
                    % {"kommune": municipality.name},
                    status=403,
                )
            known = getattr(found_home, "district", "") or ""
            district = rules.district_named(known) if known else None
    return Voter(keys.eid_key(instance.pk, identity), district)


def needs_lives_here(rules: Rules) -> bool:
    """Does the ballot form ask the voter to confirm that they live in the kommune?"""
    return rules.voters == EID and rules.residents_only and residence.declares()


def district_for(voter: Voter, rules: Rules, chosen: str) -> str:
    if not rules.has_districts:
        return ""
    if voter.district is not None:
        return voter.district
    found = rules.district_named(chosen) if chosen else None
    if found is None:
        raise ActionRefused(_("Choose the district you vote in."))
    return found


# -- the ballot ------------------------------------------------------------------------------


def offered_in(instance: MethodInstance, district: str) -> dict[int, ballots.Offered]:
    """The projects on the ballot of one election, by number."""
    rows = Project.objects.filter(
        method_instance=instance, status=ProjectStatus.ACCEPTED, district=district
    ).values_list("number", "title", "cost")
    return {n: ballots.Offered(n, t, int(c or 0)) for n, t, c in rows}


def _vote_stage(
    instance: MethodInstance, phases: list[Phase], election: Election | _State, moment: dt.datetime
) -> stages.Stage:
    return stages.current(
        phases,
        instance.phase_settings,
        opened_at=election.opened_at,
        closes_at=election.closes_at,
        closed_at=election.closed_at,
        now=moment,
    )


def _refuse_unless_voting(stage: stages.Stage) -> None:
    if stage != stages.Stage.VOTE:
        if stage == stages.Stage.RESULTS:
            raise ActionRefused(
                _("The vote is closed. The last ballot of each voter counts."), status=403
            )
        raise ActionRefused(_("The vote has not opened yet."), status=403)


def check_vote_open(
    user: User | AnonymousUser, instance: MethodInstance, now: dt.datetime | None = None
) -> Rules:
    _this_method(instance)
    permissions.require(user, instance, VOTE)
    _refuse_unless_voting(stage_of(instance, now=now))
    return rules_of(instance)


@dataclass(frozen=True)
class Cast:
    district: str
    checked: ballots.Checked
    changed: bool  # True: it replaced the voter's earlier ballot
    district_fixed: bool = True  # False: the voter chose the district


@dataclass(frozen=True)
class _State:
    opened_at: dt.datetime | None
    closes_at: dt.datetime | None
    closed_at: dt.datetime | None


def _share_lock(election_id: int) -> _State:
    """Hold the election's advisory lock shared, then read its dates: closing the vote
    (:func:`lock_election`) waits for the ballots being written and then refuses new ones.
    An advisory lock, not ``FOR SHARE`` on the row: many ballots at once would make
    PostgreSQL write a new multixact for the row at nearly every ballot. SQLite writes one
    at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock_shared(%s, %s)", [ADVISORY_LOCKS, election_id]
            )
            # Read after the lock: a close that committed while we waited is seen.
            cursor.execute(
                "SELECT opened_at, closes_at, closed_at "  # noqa: S608 - our own table name
                f"FROM {Election._meta.db_table} WHERE id = %s",
                [election_id],
            )
            opened_at, closes_at, closed_at = cursor.fetchone()
            return _State(opened_at, closes_at, closed_at)
    fresh = Election.objects.get(pk=election_id)
    return _State(fresh.opened_at, fresh.closes_at, fresh.closed_at)


# What a ballot reads that does not change during a vote, kept in each web process for a
# few seconds (``MEDVIRK_BUDGET_CACHE_SECONDS``; 0 turns it off): the case's phases (a
# staff change to their dates is seen within that time; closing the vote is not cached)
# and the projects on the ballot, which are fixed once the vote opens.
_PHASES: dict[int, tuple[float, list[Phase]]] = {}
_OFFERED: dict[tuple[int, str], tuple[float, dict[int, ballots.Offered]]] = {}


def _cache_seconds() -> float:
    return float(getattr(settings, "MEDVIRK_BUDGET_CACHE_SECONDS", 5.0))


def _phases(instance: MethodInstance) -> list[Phase]:
    keep = _cache_seconds()
    found = _PHASES.get(instance.process_id)
    if keep > 0 and found is not None and found[0] > time.monotonic():
        return found[1]
    phases = list(process_queries.phases_of(instance.process))
    if keep > 0:
        _PHASES[instance.process_id] = (time.monotonic() + keep, phases)
    return phases


_ELECTIONS: dict[int, int] = {}


def _election_id(instance: MethodInstance) -> int:
    """The id of the instance's election row (made when first needed; it never changes)."""
    if _cache_seconds() > 0 and instance.pk in _ELECTIONS:
        return _ELECTIONS[instance.pk]
    found = election_of(instance).pk
    if _cache_seconds() > 0:
        _ELECTIONS[instance.pk] = found
    return found


def _offered_while_voting(instance: MethodInstance, district: str) -> dict[int, ballots.Offered]:
    """The ballot's projects; call only once the vote is known to be open."""
    keep = _cache_seconds()
    found = _OFFERED.get((instance.pk, district))
    if keep > 0 and found is not None and found[0] > time.monotonic():
        return found[1]
    offered = offered_in(instance, district)
    if keep > 0:
        _OFFERED[(instance.pk, district)] = (time.monotonic() + keep, offered)
    return offered


def do_vote(
    user: User | AnonymousUser,
    instance: MethodInstance,
    chosen: dict[int, int],
    *,
    code: str = "",
    district: str = "",
    lives_here: bool = False,
    now: dt.datetime | None = None,
) -> Cast:
    """Store this voter's ballot (replacing an earlier one); refused ballots change nothing.

    ``chosen`` maps project numbers to points (1 for a tick). The hot path of a vote: the
    election and the voter are read once, the election's lock is taken shared and its
    state read, the ballot checked and upserted and a code marked used, in one transaction.
    """
    _this_method(instance)
    permissions.require(user, instance, VOTE)
    moment = now or timezone.now()
    phases = _phases(instance)
    election_id = _election_id(instance)
    rules = rules_of(instance)
    voter = identify(user, instance, rules, code=code, lives_here=lives_here, now=now)
    where = district_for(voter, rules, district)
    with transaction.atomic():
        # The vote's state is read once, under the lock a close waits for.
        state = _share_lock(election_id)
        _refuse_unless_voting(_vote_stage(instance, phases, state, moment))
        offered = _offered_while_voting(instance, where)
        if not offered:
            raise ActionRefused(_("There are no projects on this ballot."), status=403)
        checked = ballots.check(rules, offered, chosen, rules.budget_for(where))
        ballot = Ballot(
            method_instance=instance,
            voter_key=voter.key,
            district=where,
            choices=checked.choices,
            total=checked.total,
            limit=checked.limit,
        )
        if connection.vendor == "postgresql":
            changed = _store_postgresql(ballot, voter)
        else:
            changed = _store(ballot, voter)
    fixed = voter.district is not None or not rules.has_districts
    return Cast(where, checked, changed, fixed)


def _store(ballot: Ballot, voter: Voter) -> bool:
    """Upsert the ballot and mark a code used; True when it replaced the voter's ballot."""
    changed = (
        voter.code_used
        if voter.code_id is not None
        else Ballot.objects.filter(
            method_instance_id=ballot.method_instance_id, voter_key=ballot.voter_key
        ).exists()
    )
    Ballot.objects.bulk_create(
        [ballot],
        update_conflicts=True,
        unique_fields=["method_instance", "voter_key"],
        update_fields=["district", "choices", "total", "limit"],
    )
    if voter.code_id is not None and not voter.code_used:
        # Marked used with its first ballot, in the same transaction: the row lock orders
        # two first ballots sent at once with one code, and the second is a change.
        changed = not VotingCode.objects.filter(pk=voter.code_id, used=False).update(used=True)
    return changed


# Our own table names only; every value is a parameter.
_UPSERT = (
    f"INSERT INTO {Ballot._meta.db_table} (id, method_instance_id, voter_key, district, "  # noqa: S608
    'choices, total, "limit") VALUES (%s, %s, %s, %s, %s::jsonb, %s, %s) '
    "ON CONFLICT (method_instance_id, voter_key) DO UPDATE SET district = EXCLUDED.district, "
    'choices = EXCLUDED.choices, total = EXCLUDED.total, "limit" = EXCLUDED."limit" '
    "RETURNING (xmax = 0) AS inserted"
)
_UPSERT_WITH_CODE = (
    f"WITH stored AS ({_UPSERT}) UPDATE {VotingCode._meta.db_table} SET used = true "  # noqa: S608
    "WHERE id = %s AND NOT used AND EXISTS (SELECT 1 FROM stored)"
)


def _store_postgresql(ballot: Ballot, voter: Voter) -> bool:
    """:func:`_store` in one statement (the busiest write of a vote): the upsert, and for a
    code its first use, which tells whether the ballot replaced one."""
    values: list[Any] = [
        ballot.id,
        ballot.method_instance_id,
        ballot.voter_key,
        ballot.district,
        json.dumps(ballot.choices),
        ballot.total,
        ballot.limit,
    ]
    with connection.cursor() as cursor:
        if voter.code_id is not None and not voter.code_used:
            cursor.execute(_UPSERT_WITH_CODE, [*values, voter.code_id])
            return cursor.rowcount == 0  # the code was used already: a change
        cursor.execute(_UPSERT, values)
        (inserted,) = cursor.fetchone()
        return voter.code_used if voter.code_id is not None else not inserted


def ballot_for(instance: MethodInstance, voter_key: str) -> Ballot | None:
    return Ballot.objects.filter(method_instance=instance, voter_key=voter_key).first()


def known_voter(
    user: User | AnonymousUser, instance: MethodInstance, rules: Rules, code: str = ""
) -> Voter | None:
    """The voter this request is, without refusing: for showing their current ballot."""
    try:
        if rules.voters == CODES:
            if not code:
                return None
            found = find_code(instance, code)
            return Voter(
                keys.code_key(instance.pk, found.code), found.batch.district or None, found.pk
            )
        if rules.voters == GROUP:
            return Voter(keys.member_key(instance.pk, user.pk)) if user.is_authenticated else None
        identity = keys.identity_of(user)
        return Voter(keys.eid_key(instance.pk, identity)) if identity else None
    except ActionRefused:
        return None
