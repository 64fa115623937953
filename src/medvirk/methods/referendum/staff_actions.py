"""Staff writes of a referendum, each checked, in one transaction, and audited.

- Preparing (``manage_process``): the question, options, the council's decision, the
  period, the roll's size, districts and polling places. Editable until announced.
- Announcing (``do_open``): locks the question, the options, the period and the rules
  (the instance's settings are copied), and writes the count record's first entry.
- Paper (``register_offline``): marking a paper voter in the roll by national identity
  number (hashed at once, never stored) while voting is open; after the polling places
  close, each place's count entered by two different staff members, accepted only when
  both are equal (a mismatch is shown to both, who count again).
- Closing (``do_close``; staff, or ``referendum_close`` from cron): after the period and
  every polling place's count, the ballots are mixed, counted, and the count record gets
  the electronic tally, the close and the result. The result is then public.
- Mixing (``mix``; at the close and nightly with ``referendum_mix``): the ballot and roll
  tables are rewritten in the order of their random ids, so neither their physical nor
  their default order follows the order of voting (docs/methods/referendum.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medvirk.algorithms.text import fodselsnummer
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.identity import hashing
from medvirk.organisations import capabilities
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from medvirk.vocabulary import Capability

from . import actions, chain, keys
from .forms import District, Place
from .models import (
    Ballot,
    Channel,
    CountEntry,
    Option,
    PaperBatch,
    PaperEntry,
    Referendum,
    RollEntry,
    Status,
)

if TYPE_CHECKING:
    from medvirk.identity.models import User

SUPPRESS_BELOW = 5

AUDIT_LABELS = {
    "referendum.saved": gettext_lazy("Referendum prepared (question and details saved)"),
    "referendum.opened": gettext_lazy("Referendum announced: question and rules locked"),
    "referendum.paper_voter_marked": gettext_lazy("Paper voter marked in the referendum's roll"),
    "referendum.paper_entered": gettext_lazy("Paper count entered (one of two entries)"),
    "referendum.paper_accepted": gettext_lazy("Paper count accepted (two equal entries)"),
    "referendum.paper_mismatch": gettext_lazy("Two paper counts did not match"),
    "referendum.closed": gettext_lazy("Referendum closed and result published"),
}


def check_staff(staff: User | None, instance: MethodInstance, capability: Capability) -> None:
    if instance.method_key != actions.METHOD_KEY:
        raise ActionRefused(_("This is not a referendum."), status=404)
    if staff is None or not capabilities.staff_can(
        staff, capability, instance.process.municipality_id
    ):
        raise ActionRefused(
            _("Your role in this municipality does not let you do this."), status=403
        )


def _record(
    action: str, staff: User | None, instance: MethodInstance, referendum: Referendum, **data: Any
) -> None:
    audit.record(
        action,
        actor=staff,
        obj=referendum,
        municipality_id=instance.process.municipality_id,
        data={"method": instance.pk, **data},
    )


def _lock(instance: MethodInstance) -> Referendum:
    referendum, _created = Referendum.objects.get_or_create(method_instance=instance)
    return Referendum.objects.select_for_update().get(pk=referendum.pk)


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


# -- the count record ------------------------------------------------------------------------


def append(referendum: Referendum, kind: str, data: Mapping[str, Any]) -> CountEntry:
    """Add an entry to the count record (call with the referendum's row locked)."""
    last = CountEntry.objects.filter(referendum=referendum).order_by("-seq").first()
    seq = 0 if last is None else last.seq + 1
    entry = chain.make_entry(seq, kind, data, last.hash if last else chain.GENESIS)
    return CountEntry.objects.create(
        referendum=referendum,
        seq=seq,
        kind=kind,
        data=entry["data"],
        prev=entry["prev"],
        hash=entry["hash"],
    )


# -- preparing and announcing ------------------------------------------------------------------


@dataclass(frozen=True)
class Details:
    question: str
    options: Sequence[str]
    council_reference: str
    council_url: str = ""
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    roll_size: int | None = None
    districts: Sequence[District] = ()
    polling_places: Sequence[Place] = ()


def do_save(staff: User, instance: MethodInstance, details: Details) -> Referendum:
    """Save the prepared referendum (only before it is announced)."""
    check_staff(staff, instance, Capability.MANAGE_PROCESS)
    question = details.question.replace("\r\n", "\n").strip()
    labels = [label.strip() for label in details.options if label.strip()]
    if not question:
        raise ActionRefused(_("Write the question."))
    if len(labels) < 2:
        raise ActionRefused(_("A referendum needs at least two options."))
    with transaction.atomic():
        referendum = _lock(instance)
        if referendum.status != Status.DRAFT:
            raise ActionRefused(
                _("The referendum is announced: its question and details can no longer change."),
                status=409,
            )
        referendum.question = question[:1000]
        referendum.council_reference = details.council_reference.strip()[:300]
        referendum.council_url = details.council_url.strip()[:500]
        referendum.opens_at = details.opens_at
        referendum.closes_at = details.closes_at
        referendum.roll_size = details.roll_size
        referendum.districts = [{"name": d.name, "roll": d.roll} for d in details.districts]
        referendum.polling_places = [
            {"key": p.key, "name": p.name, "district": p.district} for p in details.polling_places
        ]
        referendum.save()
        Option.objects.filter(referendum=referendum).delete()
        Option.objects.bulk_create(
            [
                Option(referendum=referendum, label=label[:200], position=n)
                for n, label in enumerate(labels, start=1)
            ]
        )
        _record("referendum.saved", staff, instance, referendum, options=len(labels))
    return referendum


def rules_of(instance: MethodInstance) -> dict[str, Any]:
    """The instance's settings, validated, as the rules to lock."""
    settings = registry.get(instance.method_key).validate_settings(instance.settings)
    floor = int(settings.get("turnout_floor") or 0)
    return {
        "voting_age": int(settings["voting_age"]),
        "turnout_floor": floor or None,
        "revote": bool(settings["revote"]),
        "blank_vote": bool(settings["blank_vote"]),
        "paper": bool(settings["paper"]),
    }


def do_open(
    staff: User | None, instance: MethodInstance, now: dt.datetime | None = None
) -> Referendum:
    """Announce the referendum: the question, options, period and rules are fixed, and the
    count record starts. ``staff`` None only for the demo's own set-up."""
    if staff is not None:
        check_staff(staff, instance, Capability.MANAGE_PROCESS)
    moment = now or timezone.now()
    with transaction.atomic():
        referendum = _lock(instance)
        if referendum.status != Status.DRAFT:
            raise ActionRefused(_("The referendum is already announced."), status=409)
        options = actions.options_of(referendum)
        if not referendum.question or len(options) < 2:
            raise ActionRefused(_("Write the question and at least two options first."))
        if not referendum.council_reference:
            raise ActionRefused(
                _("Say which decision of the council ordered the referendum: only the council can.")
            )
        opens = referendum.opens_at or instance.phase.start
        closes = referendum.closes_at or instance.phase.end
        if opens >= closes:
            raise ActionRefused(_("Voting must close after it opens."))
        if closes <= moment:
            raise ActionRefused(
                _("The voting period has already ended: choose when voting opens and closes.")
            )
        rules = rules_of(instance)
        if rules["paper"] and not referendum.polling_places:
            raise ActionRefused(
                _("Paper ballots are on in the settings: list the polling places first.")
            )
        referendum.opens_at, referendum.closes_at = opens, closes
        referendum.rules = rules
        referendum.status = Status.OPEN
        referendum.locked_at = moment
        referendum.save()
        municipality = instance.process.municipality
        append(
            referendum,
            chain.OPENED,
            {
                "municipality": municipality.name,
                "kommunenummer": municipality.kommunenummer,
                "case": instance.process.title,
                "title": instance.title,
                "question": referendum.question,
                "council_reference": referendum.council_reference,
                "council_url": referendum.council_url,
                "options": [{"id": o.pk, "label": o.label} for o in options],
                "blank_vote": rules["blank_vote"],
                "revote": rules["revote"],
                "paper": rules["paper"],
                "opens_at": _iso(opens),
                "closes_at": _iso(closes),
                "voting_age": rules["voting_age"],
                "voting_year": actions.voting_year(referendum),
                "turnout_floor_percent": rules["turnout_floor"],
                "roll_size": referendum.roll_size,
                "districts": referendum.districts,
                "polling_places": referendum.polling_places,
                "announced_at": _iso(moment),
            },
        )
        _record("referendum.opened", staff, instance, referendum)
    return referendum


# -- paper -------------------------------------------------------------------------------------


def _place(referendum: Referendum, key: str) -> dict[str, str]:
    for place in referendum.polling_places:
        if place.get("key") == key:
            return place
    raise ActionRefused(_("This polling place is not on the list."), status=404)


def _paper_referendum(staff: User, instance: MethodInstance) -> Referendum:
    check_staff(staff, instance, Capability.REGISTER_OFFLINE)
    referendum = actions.referendum_of(instance)
    if referendum is None or referendum.status == Status.DRAFT:
        raise ActionRefused(_("This referendum has not been announced yet."), status=403)
    if not referendum.rules.get("paper"):
        raise ActionRefused(_("This referendum has no paper ballots."), status=403)
    return referendum


def do_mark_paper_voter(
    staff: User,
    instance: MethodInstance,
    national_id: str,
    place_key: str,
    now: dt.datetime | None = None,
) -> dt.date:
    """Mark a person who votes on paper at a polling place in the roll, so they cannot vote
    again (electronically or at another place). The number is checked, hashed, and
    forgotten: only the roll's keyed hash is stored."""
    referendum = _paper_referendum(staff, instance)
    moment = now or timezone.now()
    actions.check_open(referendum, moment)
    place = _place(referendum, place_key)
    number = "".join(ch for ch in national_id if ch.isdigit())
    if not fodselsnummer.is_valid(number):
        raise ActionRefused(_("This is not a valid national identity number: check the 11 digits."))
    born = fodselsnummer.birth_date(number)
    if born is None:
        raise ActionRefused(_("The number holds no date of birth: check it against the roll."))
    year = actions.voting_year(referendum)
    minimum = actions.voting_age(referendum)
    if year - born.year < minimum:
        raise ActionRefused(
            _("This person is too young to vote: the voting age is %(age)d in %(year)d.")
            % {"age": minimum, "year": year},
            status=403,
        )
    key = keys.voter_key(referendum.pk, hashing.national_id_hash(number))
    with transaction.atomic():
        day = actions.cast(
            referendum,
            key,
            channel=Channel.PAPER,
            district=str(place.get("district", "")),
            ballot=False,
            now=moment,
            already=_(
                "This person has already voted in this referendum (electronically or on "
                "paper). Do not give them a ballot."
            ),
        )
        _record("referendum.paper_voter_marked", staff, instance, referendum, place=place["key"])
    return day


@dataclass(frozen=True)
class PaperOutcome:
    state: str  # "waiting", "replaced", "accepted" or "mismatch"
    entries: list[PaperEntry] = field(default_factory=list)


def clean_counts(referendum: Referendum, counts: Mapping[str, Any]) -> dict[str, Any]:
    """The counts as stored: every option's id once, blank and rejected; whole numbers ≥ 0."""
    ids = {str(o.pk) for o in actions.options_of(referendum)}
    raw = counts.get("options")
    if not isinstance(raw, Mapping) or set(raw) != ids:
        raise ActionRefused(_("Give a count for every option."))
    cleaned: dict[str, Any] = {"options": {}, "blank": 0, "rejected": 0}
    values = [(k, raw[k]) for k in sorted(ids, key=int)]
    values += [("blank", counts.get("blank")), ("rejected", counts.get("rejected"))]
    for name, value in values:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
            raise ActionRefused(_("Write whole numbers, 0 or more."))
        if name in ("blank", "rejected"):
            cleaned[name] = value
        else:
            cleaned["options"][name] = value
    return cleaned


def do_enter_paper(
    staff: User,
    instance: MethodInstance,
    place_key: str,
    counts: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> PaperOutcome:
    """One staff member's count of a polling place. The second entry, by someone else,
    either matches (the batch is accepted and goes into the count record) or not (both
    entries are kept and shown as not matching; both count and enter again)."""
    referendum = _paper_referendum(staff, instance)
    moment = now or timezone.now()
    if referendum.status == Status.CLOSED:
        raise ActionRefused(_("The referendum is closed."), status=409)
    assert referendum.closes_at is not None
    if moment < referendum.closes_at:
        raise ActionRefused(
            _("Paper ballots are counted when the polling places have closed, %(when)s.")
            % {"when": timezone.localtime(referendum.closes_at).strftime("%d.%m.%Y %H:%M")},
            status=403,
        )
    place = _place(referendum, place_key)
    cleaned = clean_counts(referendum, counts)
    with transaction.atomic():
        locked = Referendum.objects.select_for_update().get(pk=referendum.pk)
        if locked.status != Status.OPEN:
            raise ActionRefused(_("The referendum is closed."), status=409)
        if PaperBatch.objects.filter(referendum=locked, place=place["key"]).exists():
            raise ActionRefused(
                _("The count for this polling place is already accepted."), status=409
            )
        entries = PaperEntry.objects.filter(referendum=locked, place=place["key"])
        pending = list(entries.filter(state=PaperEntry.State.PENDING).order_by("pk"))
        mine = [p for p in pending if p.entered_by_id == staff.pk]
        if mine:
            mine[0].counts, mine[0].entered_at = cleaned, moment
            mine[0].save(update_fields=["counts", "entered_at"])
            _record(
                "referendum.paper_entered",
                staff,
                instance,
                locked,
                place=place["key"],
                replaced=True,
            )
            return PaperOutcome("replaced", [mine[0]])
        if not pending:
            last = entries.order_by("-round").first()
            entry = PaperEntry.objects.create(
                referendum=locked,
                place=place["key"],
                round=(last.round + 1) if last else 1,
                entered_by=staff,
                counts=cleaned,
                entered_at=moment,
            )
            _record("referendum.paper_entered", staff, instance, locked, place=place["key"])
            return PaperOutcome("waiting", [entry])
        first = pending[0]
        second = PaperEntry.objects.create(
            referendum=locked,
            place=place["key"],
            round=first.round,
            entered_by=staff,
            counts=cleaned,
            entered_at=moment,
        )
        pair = [first, second]
        if first.counts == cleaned:
            PaperEntry.objects.filter(pk__in=[e.pk for e in pair]).update(
                state=PaperEntry.State.MATCHED
            )
            PaperBatch.objects.create(
                referendum=locked,
                place=place["key"],
                district=str(place.get("district", "")),
                counts=cleaned,
                accepted_at=moment,
            )
            append(
                locked,
                chain.PAPER,
                {
                    "place": place["key"],
                    "name": place["name"],
                    "district": place.get("district", ""),
                    "counts": cleaned,
                    "accepted_at": _iso(moment),
                    "entries": 2,
                },
            )
            _record("referendum.paper_accepted", staff, instance, locked, place=place["key"])
            state = "accepted"
        else:
            PaperEntry.objects.filter(pk__in=[e.pk for e in pair]).update(
                state=PaperEntry.State.MISMATCH
            )
            _record(
                "referendum.paper_mismatch",
                staff,
                instance,
                locked,
                place=place["key"],
                round=first.round,
            )
            state = "mismatch"
        for entry in pair:
            entry.refresh_from_db()
        return PaperOutcome(state, pair)


# -- mixing ---------------------------------------------------------------------------------------


def _mix_rows(referendum: Referendum) -> int:
    """Rewrite the referendum's ballots and roll in the order of their random ids (call with
    the referendum's row locked). The rows get new physical places (rowid, ctid) and — on
    PostgreSQL — the mixing transaction's id instead of the voter's."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # overwrite deleted rows' bytes in the file
            cursor.execute("PRAGMA secure_delete = ON")
    ballots = list(Ballot.objects.filter(referendum=referendum).order_by("id"))
    Ballot.objects.filter(referendum=referendum).delete()
    Ballot.objects.bulk_create(ballots, batch_size=500)
    roll = list(RollEntry.objects.filter(referendum=referendum).order_by("id"))
    RollEntry.objects.filter(referendum=referendum).delete()
    RollEntry.objects.bulk_create(roll, batch_size=500)
    return len(ballots)


def mix(referendum: Referendum, now: dt.datetime | None = None) -> int:
    """Mix one referendum's ballots now (votes wait for the few moments it takes)."""
    with transaction.atomic():
        locked = Referendum.objects.select_for_update().get(pk=referendum.pk)
        count = _mix_rows(locked)
        locked.mixed_at = now or timezone.now()
        locked.save(update_fields=["mixed_at"])
    return count


def vacuum() -> bool:
    """PostgreSQL: rewrite the two tables (VACUUM FULL), so the dead copies of the rows as
    they were before mixing are gone from the data files. Outside any transaction only;
    returns whether it ran."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    tables = ", ".join(f'"{m._meta.db_table}"' for m in (Ballot, RollEntry))
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM FULL {tables}")
    return True


# -- closing -------------------------------------------------------------------------------------


def missing_batches(referendum: Referendum) -> list[str]:
    """Names of the polling places whose count is not accepted yet (paper referendums)."""
    if not referendum.rules.get("paper"):
        return []
    done = set(PaperBatch.objects.filter(referendum=referendum).values_list("place", flat=True))
    return [str(p["name"]) for p in referendum.polling_places if p["key"] not in done]


def check_close(referendum: Referendum | None, now: dt.datetime | None = None) -> Referendum:
    moment = now or timezone.now()
    if referendum is None or referendum.status == Status.DRAFT:
        raise ActionRefused(_("This referendum has not been announced yet."), status=409)
    if referendum.status == Status.CLOSED:
        raise ActionRefused(_("The referendum is already closed."), status=409)
    assert referendum.closes_at is not None
    if moment < referendum.closes_at:
        raise ActionRefused(
            _("Voting is open until %(when)s: the referendum can be closed after that.")
            % {"when": timezone.localtime(referendum.closes_at).strftime("%d.%m.%Y %H:%M")},
            status=409,
        )
    missing = missing_batches(referendum)
    if missing:
        raise ActionRefused(
            _("Waiting for the paper count from: %(places)s.") % {"places": ", ".join(missing)},
            status=409,
        )
    return referendum


def _suppressed(count: int) -> int | None:
    return count if count == 0 or count >= SUPPRESS_BELOW else None


def tally(
    referendum: Referendum, options: Sequence[Option]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The electronic entry's data and the result's data, from the database."""
    option_ids = [o.pk for o in options]
    pairs: list[tuple[str, int | None]] = [
        (str(ballot_id), option_id)
        for ballot_id, option_id in Ballot.objects.filter(referendum=referendum).values_list(
            "id", "option_id"
        )
    ]
    pairs.sort()  # by id, as text: the same order on every database
    ballots: list[list[object]] = [[ballot_id, option_id] for ballot_id, option_id in pairs]
    electronic = chain.count_ballots(ballots, option_ids)
    electronic_data = {
        "ballots": ballots,
        "totals": {
            "options": {str(k): v for k, v in electronic.per_option.items()},
            "blank": electronic.blank,
        },
    }
    paper = dict.fromkeys(option_ids, 0)
    paper_blank = paper_rejected = 0
    for batch in PaperBatch.objects.filter(referendum=referendum):
        for key, value in batch.counts["options"].items():
            paper[int(key)] += int(value)
        paper_blank += int(batch.counts["blank"])
        paper_rejected += int(batch.counts["rejected"])
    valid = sum(electronic.per_option.values()) + sum(paper.values())
    by_channel = Counter(
        RollEntry.objects.filter(referendum=referendum).values_list("channel", flat=True)
    )
    by_district = Counter(
        RollEntry.objects.filter(referendum=referendum).values_list("district", flat=True)
    )
    voters = {
        "electronic": by_channel.get(Channel.ELECTRONIC, 0),
        "paper": by_channel.get(Channel.PAPER, 0),
    }
    voters["total"] = voters["electronic"] + voters["paper"]
    floor = referendum.rules.get("turnout_floor")
    districts = []
    named = [str(d["name"]) for d in referendum.districts]
    rolls = {str(d["name"]): d.get("roll") for d in referendum.districts}
    for name in [*named, *sorted(set(by_district) - set(named))]:
        count = by_district.get(name, 0)
        shown = _suppressed(count)
        roll = rolls.get(name)
        districts.append(
            {
                "name": name,
                "voters": shown,
                "roll": roll,
                "turnout_percent": chain.percent(count, roll) if shown is not None else None,
            }
        )
    result = {
        "options": [
            {
                "id": o.pk,
                "label": o.label,
                "electronic": electronic.per_option[o.pk],
                "paper": paper[o.pk],
                "total": electronic.per_option[o.pk] + paper[o.pk],
                "percent": chain.percent(electronic.per_option[o.pk] + paper[o.pk], valid),
            }
            for o in options
        ],
        "blank": {
            "electronic": electronic.blank,
            "paper": paper_blank,
            "total": electronic.blank + paper_blank,
        },
        "rejected": {"paper": paper_rejected},
        "valid_votes": valid,
        "voters": voters,
        "roll_size": referendum.roll_size,
        "turnout_percent": chain.percent(voters["total"], referendum.roll_size),
        "turnout_floor_percent": floor,
        "floor_reached": chain.floor_reached(voters["total"], referendum.roll_size, floor),
        "districts": districts,
        "suppressed_below": SUPPRESS_BELOW,
    }
    return electronic_data, result


def do_close(
    staff: User | None, instance: MethodInstance, now: dt.datetime | None = None
) -> Referendum:
    """Close the vote and publish the result: mix, count, and finish the count record.
    ``staff`` None: the scheduled ``referendum_close`` command."""
    if staff is not None:
        check_staff(staff, instance, Capability.MANAGE_PROCESS)
    moment = now or timezone.now()
    check_close(actions.referendum_of(instance), moment)
    with transaction.atomic():
        # Exclusive: waits for every vote in flight (they hold the row shared), and every
        # vote after this sees the referendum closed.
        locked = _lock(instance)
        check_close(locked, moment)
        _mix_rows(locked)
        options = actions.options_of(locked)
        electronic, result = tally(locked, options)
        append(locked, chain.ELECTRONIC, electronic)
        append(
            locked,
            chain.CLOSED,
            {"closed_at": _iso(moment), "by": "staff" if staff is not None else "schedule"},
        )
        head = append(locked, chain.RESULT, result).hash
        locked.status = Status.CLOSED
        locked.closed_at = moment
        locked.mixed_at = moment
        locked.result = {**result, "head": head}
        locked.save()
        _record("referendum.closed", staff, instance, locked, head=head)
    return locked


# -- the schedule (the commands referendum_close and referendum_mix) ---------------------------


def _announced() -> list[Referendum]:
    return list(
        Referendum.objects.filter(status=Status.OPEN)
        .select_related("method_instance__process__municipality", "method_instance__phase")
        .order_by("pk")
    )


def close_due(now: dt.datetime | None = None) -> list[tuple[Referendum, str]]:
    """Close every announced referendum whose voting has ended and which can be counted;
    returns each one looked at with what happened ("closed" or the reason it waits)."""
    moment = now or timezone.now()
    outcomes: list[tuple[Referendum, str]] = []
    for referendum in _announced():
        assert referendum.closes_at is not None
        if moment < referendum.closes_at:
            continue
        try:
            closed = do_close(None, referendum.method_instance, now=moment)
        except ActionRefused as refused:
            outcomes.append((referendum, refused.message))
        else:
            outcomes.append((closed, "closed"))
    return outcomes


def mix_open(now: dt.datetime | None = None) -> list[tuple[Referendum, int]]:
    """Mix every announced, not yet closed referendum's ballots; returns each with how many
    ballots it has."""
    moment = now or timezone.now()
    return [(referendum, mix(referendum, now=moment)) for referendum in _announced()]
