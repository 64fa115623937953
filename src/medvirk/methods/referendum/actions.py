"""Voting: who is on the roll, casting a ballot, and changing it (when the council allowed).

The roll
    A person votes electronically when they are logged in with e-ID (a verified identity
    with a national identity number, ID-porten level substantial or high), have reached
    the voting age by the end of the year of the vote (``identity.eligibility``), and live
    in the kommune: looked up by the configured residence provider (which also gives the
    district), or — with the default provider, which knows nothing — declared by the
    person on the ballot form, with their district.

Casting
    :func:`cast` writes the roll entry and the ballot in ONE transaction, so nothing
    acknowledged is ever lost and no ballot exists without its voter on the roll. The
    roll's unique (referendum, keyed person) makes one vote per person hold in the
    database, however many requests race. Every vote holds a shared lock on the
    referendum's row (PostgreSQL ``FOR SHARE``: votes do not wait for each other); closing
    takes the row exclusively, so it waits for votes in flight and votes after it see the
    vote closed. Nothing here writes the time, the account or an audit row for a vote.

Changing
    Only when re-voting is allowed: the logged-in voter brings the change code from the
    receipt; the ballot whose keyed change hash matches is replaced by a new ballot (new
    random id, new code). The roll is not touched. See ``keys.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_line
from medvirk.identity import eligibility, residence
from medvirk.identity.models import User
from medvirk.processes import permissions
from medvirk.processes.models import MethodInstance
from medvirk.processes.permissions import NeedsLogin

from . import keys
from .forms import BLANK, DEFAULT_AGE
from .models import Ballot, Channel, Option, Referendum, RollEntry, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

METHOD_KEY = "referendum"
VOTE = "vote"


class AlreadyVoted(ActionRefused):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message or _("You have already voted in this referendum. Each person votes once."),
            status=409,
        )


# -- the period -----------------------------------------------------------------------------


def _when(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def stage(referendum: Referendum | None, now: dt.datetime | None = None) -> str:
    """``draft``, ``upcoming``, ``open``, ``counting`` (voting over, not closed) or
    ``closed``."""
    if referendum is None or referendum.status == Status.DRAFT:
        return "draft"
    if referendum.status == Status.CLOSED:
        return "closed"
    moment = now or timezone.now()
    assert referendum.opens_at is not None and referendum.closes_at is not None
    if moment < referendum.opens_at:
        return "upcoming"
    if moment < referendum.closes_at:
        return "open"
    return "counting"


def check_open(referendum: Referendum | None, now: dt.datetime | None = None) -> Referendum:
    """The referendum, when it takes votes now; else :class:`ActionRefused` with why."""
    current = stage(referendum, now)
    if referendum is None or current == "draft":
        raise ActionRefused(_("This referendum has not been announced yet."), status=403)
    if current == "upcoming":
        assert referendum.opens_at is not None
        raise ActionRefused(
            _("Voting opens %(when)s.") % {"when": _when(referendum.opens_at)}, status=403
        )
    if current in ("counting", "closed"):
        assert referendum.closes_at is not None
        raise ActionRefused(
            _("Voting closed %(when)s.") % {"when": _when(referendum.closes_at)}, status=403
        )
    return referendum


def voting_year(referendum: Referendum) -> int:
    moment = referendum.closes_at or referendum.opens_at or timezone.now()
    return timezone.localtime(moment).year


def voting_age(referendum: Referendum) -> int:
    return int(referendum.rules.get("voting_age", DEFAULT_AGE))


# -- the roll ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Voter:
    key: str  # keys.voter_key: the person in this referendum's roll
    district: str  # from the residence provider ("" when declared: the form asks)
    declared: bool  # the provider knows nothing: the person declares where they live


def _identity(user: User | AnonymousUser) -> str | None:
    if not isinstance(user, User) or not eligibility.is_verified(user):
        return None
    return user.national_id_hash or None


def roll_key(user: User | AnonymousUser, referendum: Referendum) -> str | None:
    """The person's key in this referendum's roll, when they are logged in with e-ID."""
    identity = _identity(user)
    return keys.voter_key(referendum.pk, identity) if identity else None


def _is_inhabitant(kommunenummer: str, instance: MethodInstance) -> bool:
    municipality = instance.process.municipality
    if municipality.is_county:
        return kommunenummer[:2] == municipality.fylkesnummer
    return kommunenummer == municipality.kommunenummer


def check_voter(
    user: User | AnonymousUser,
    instance: MethodInstance,
    referendum: Referendum | None,
    now: dt.datetime | None = None,
) -> Voter:
    """Who this person is in the roll, or why they cannot vote (:class:`NeedsLogin` when an
    e-ID login would help; :class:`ActionRefused` for too young, not an inhabitant, closed).
    Does not look at whether they have voted already (see :func:`has_voted`)."""
    referendum = check_open(referendum, now)
    verdict = permissions.can_act(user, instance, VOTE)
    if not verdict and verdict.needs_level is None:
        raise ActionRefused(verdict.reason, status=403)  # the case is closed, unpublished …
    if not isinstance(user, User) or not eligibility.is_verified(user):
        raise NeedsLogin(
            _(
                "Voting needs a login with e-ID (ID-porten: MinID, BankID, Buypass or "
                "Commfides), so that each person on the roll votes once."
            )
        )
    identity = _identity(user)
    if identity is None:
        raise NeedsLogin(
            _(
                "Your login did not give us your national identity number, which the roll "
                "needs. Log in with ID-porten (MinID, BankID, Buypass or Commfides)."
            )
        )
    year = voting_year(referendum)
    age = eligibility.age_in_year(user, year)
    if age is None:
        raise NeedsLogin(
            _(
                "We do not know your year of birth, which the voting age needs. Log in again "
                "with e-ID, and it is read from your identity."
            )
        )
    minimum = voting_age(referendum)
    if age < minimum:
        raise ActionRefused(
            _(
                "You cannot vote in this referendum: the voting age is %(age)d, counted as "
                "the age reached by the end of %(year)d, and you turn %(yours)d that year."
            )
            % {"age": minimum, "year": year, "yours": age},
            status=403,
        )
    permissions.require(user, instance, VOTE)  # whatever else the instance asks
    key = keys.voter_key(referendum.pk, identity)
    if residence.declares():
        return Voter(key, "", declared=True)
    found = residence.residence_of(user)
    municipality = instance.process.municipality
    if found is None or not _is_inhabitant(found.kommunenummer, instance):
        raise ActionRefused(
            _(
                "Only inhabitants of %(kommune)s may vote, and the population register does "
                "not have you living there. If you have just moved here, you can vote once "
                "the move is registered."
            )
            % {"kommune": municipality.name},
            status=403,
        )
    return Voter(key, clean_line(found.district)[:100], declared=False)


def has_voted(referendum: Referendum, key: str) -> RollEntry | None:
    return RollEntry.objects.filter(referendum=referendum, voter_hash=key).first()


def options_of(referendum: Referendum) -> list[Option]:
    return list(Option.objects.filter(referendum=referendum).order_by("position", "pk"))


def _option(referendum: Referendum, choice: str, options: list[Option] | None = None) -> int | None:
    """The option id chosen (None: blank), or :class:`ActionRefused`."""
    choice = str(choice).strip()
    if choice == BLANK:
        if referendum.rules.get("blank_vote", True):
            return None
        raise ActionRefused(_("A blank vote is not offered in this referendum."))
    if choice.isdigit() and len(choice) < 19:
        ids = {o.pk for o in (options if options is not None else options_of(referendum))}
        if int(choice) in ids:
            return int(choice)
    raise ActionRefused(_("Choose one of the options."))


def _district(referendum: Referendum, voter: Voter, lives_here: bool, district: str) -> str:
    if not voter.declared:
        return voter.district
    if not lives_here:
        raise ActionRefused(_("Only inhabitants may vote: tick that you live here."))
    names = [str(d.get("name", "")) for d in referendum.districts]
    if not names:
        return ""
    chosen = clean_line(district)
    for name in names:
        if name.casefold() == chosen.casefold():
            return name
    raise ActionRefused(_("Choose your district."))


# -- casting -------------------------------------------------------------------------------------


def share_lock(referendum_id: int) -> Referendum:
    """The referendum's row, held so that closing waits for this transaction (and votes do
    not wait for each other on PostgreSQL). Call inside a transaction."""
    if connection.vendor == "postgresql":
        table = Referendum._meta.db_table
        sql = f'SELECT * FROM "{table}" WHERE id = %s FOR SHARE'  # noqa: S608 - our own table
        rows = list(Referendum.objects.raw(sql, [referendum_id]))
        if not rows:
            raise ActionRefused(_("This referendum is no longer here."), status=404)
        return rows[0]
    # SQLite runs one writing transaction at a time (BEGIN IMMEDIATE): nothing to share.
    found = Referendum.objects.select_for_update().filter(pk=referendum_id).first()
    if found is None:
        raise ActionRefused(_("This referendum is no longer here."), status=404)
    return found


def cast(
    referendum: Referendum,
    key: str,
    *,
    channel: str,
    district: str,
    option_id: int | None = None,
    ballot: bool = True,
    change: str | None = None,
    now: dt.datetime | None = None,
    already: str | None = None,
) -> dt.date:
    """Write the roll entry and (electronic) the ballot in one transaction; returns the day.

    ``change`` is the ballot's keyed change hash (re-voting), ``ballot=False`` marks a paper
    voter (their ballot goes in the polling place's box and is counted in its batch).
    """
    moment = now or timezone.now()
    day = timezone.localdate(moment)
    with transaction.atomic():
        check_open(share_lock(referendum.pk), moment)
        try:
            with transaction.atomic():
                RollEntry.objects.create(
                    referendum_id=referendum.pk,
                    voter_hash=key,
                    district=district,
                    channel=channel,
                    day=day,
                )
        except IntegrityError as exc:
            raise AlreadyVoted(already) from exc
        if ballot:
            Ballot.objects.create(
                referendum_id=referendum.pk,
                option_id=option_id,
                district=district,
                day=day,
                change_hash=change,
            )
    return day


@dataclass(frozen=True)
class Voted:
    day: dt.date
    code: str | None  # the one-time change code (re-voting), shown once on the receipt


def referendum_of(instance: MethodInstance) -> Referendum | None:
    if instance.method_key != METHOD_KEY:
        raise ActionRefused(_("This page is not a referendum."), status=404)
    return Referendum.objects.filter(method_instance=instance).first()


def do_vote(
    user: User | AnonymousUser,
    instance: MethodInstance,
    *,
    choice: str,
    lives_here: bool = False,
    district: str = "",
    now: dt.datetime | None = None,
    referendum: Referendum | None = None,
    options: list[Option] | None = None,
) -> Voted:
    """Cast the person's electronic ballot once; returns the day and, with re-voting, the
    one-time change code. ``referendum`` and ``options``: as the page just read them (the
    vote checks the referendum's state again under its lock)."""
    if referendum is None or referendum.method_instance_id != instance.pk:
        referendum = referendum_of(instance)
    voter = check_voter(user, instance, referendum, now)
    assert referendum is not None
    option_id = _option(referendum, choice, options)
    where = _district(referendum, voter, lives_here, district)
    code = keys.new_code() if referendum.rules.get("revote") else None
    change = keys.change_hash(referendum.pk, voter.key, code) if code else None
    day = cast(
        referendum,
        voter.key,
        channel=Channel.ELECTRONIC,
        district=where,
        option_id=option_id,
        change=change,
        now=now,
    )
    return Voted(day, code)


def do_change_vote(
    user: User | AnonymousUser,
    instance: MethodInstance,
    *,
    code: str,
    choice: str,
    now: dt.datetime | None = None,
) -> Voted:
    """Replace the ballot the change code belongs to (only the same person, logged in, with
    the code); returns the new code. The roll is not touched."""
    referendum = referendum_of(instance)
    voter = check_voter(user, instance, referendum, now)
    assert referendum is not None
    if not referendum.rules.get("revote"):
        raise ActionRefused(_("In this referendum a vote cannot be changed."), status=403)
    if has_voted(referendum, voter.key) is None:
        raise ActionRefused(_("You have not voted yet, so there is nothing to change."), status=409)
    if keys.normalise_code(code) is None:
        raise ActionRefused(
            _("That is not a change code: it has 20 letters and digits, as on your receipt.")
        )
    option_id = _option(referendum, choice)
    old_hash = keys.change_hash(referendum.pk, voter.key, code)
    new_code = keys.new_code()
    moment = now or timezone.now()
    day = timezone.localdate(moment)
    with transaction.atomic():
        check_open(share_lock(referendum.pk), moment)
        old = (
            Ballot.objects.select_for_update()
            .filter(referendum_id=referendum.pk, change_hash=old_hash)
            .first()
        )
        if old is None:
            raise ActionRefused(
                _(
                    "The change code does not match a vote of yours. Check it against your "
                    "latest receipt: each code works once, and a change gives a new one."
                )
            )
        where = old.district
        old.delete()
        Ballot.objects.create(
            referendum_id=referendum.pk,
            option_id=option_id,
            district=where,
            day=day,
            change_hash=keys.change_hash(referendum.pk, voter.key, new_code),
        )
    return Voted(day, new_code)
