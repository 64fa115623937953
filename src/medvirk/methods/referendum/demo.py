"""Demo seed: a closed advisory referendum in Lillevik's school district (nynorsk, the
municipality's own text, not translated), made through the method's own actions.

The council asked the inhabitants of the school district whether Lillevik should keep a
school of its own before choosing which alternatives to investigate further. Voting ran
for two weeks, ending ten days before the demo is loaded: a few hundred people voted with
e-ID, and some on paper at two polling places, where staff marked them in the roll by
(synthetic, never real) national identity numbers. Each polling place's count was entered
by two staff members — at Nordbygda the first two entries did not match and were entered
again — and the case officer closed the vote. The result and the count record are public;
``medvirk manage referendum_verify`` checks the record.

The electronic voters are made-up identities (keyed hashes of made-up numbers, as a real
login's would be), with no accounts: the roll holds no account anyway.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from medvirk.identity import hashing
from medvirk.identity.models import User
from medvirk.organisations import capabilities
from medvirk.organisations.models import Membership, Role
from medvirk.processes.models import MethodInstance
from medvirk.vocabulary import Capability

from . import actions, keys, staff_actions
from .forms import District, Place
from .models import Channel, Referendum

QUESTION = "Ønskjer du at Lillevik framleis skal ha ein eigen barneskule i bygda?"
OPTIONS = (
    "Ja, Lillevik skal ha eigen skule",
    "Nei, elevane kan gå på Nordvik skule",
)
DISTRICTS = (District("Sentrum", 420), District("Kaia", 310), District("Nordbygda", 150))
PLACES = (
    Place("lillevik-skule", "Lillevik skule", "Sentrum"),
    Place("nordbygda-grendehus", "Nordbygda grendehus", "Nordbygda"),
)
# Electronic voters per district, and the share voting "Ja" there.
ELECTRONIC = {"Sentrum": 205, "Kaia": 160, "Nordbygda": 60}
YES_SHARE = {"Sentrum": 0.64, "Kaia": 0.52, "Nordbygda": 0.78}
BLANK_SHARE = 0.03
# Paper voters marked at each polling place, and the accepted count there (yes, no, blank,
# rejected): they add up to the people marked.
PAPER = {
    "lillevik-skule": (38, {"yes": 24, "no": 12, "blank": 1, "rejected": 1}),
    "nordbygda-grendehus": (27, {"yes": 21, "no": 5, "blank": 1, "rejected": 0}),
}


def _staff(instance: MethodInstance) -> list[User]:
    """Two different staff members who may enter paper counts (the case officer first)."""
    found: list[User] = []
    for role in (Role.CASE_OFFICER, Role.ADMINISTRATOR):
        for membership in (
            Membership.objects.filter(municipality_id=instance.process.municipality_id, role=role)
            .select_related("user")
            .order_by("pk")
        ):
            user = membership.user
            if user not in found and capabilities.staff_can(
                user, Capability.REGISTER_OFFLINE, instance.process.municipality_id
            ):
                found.append(user)
    return found


def _synthetic_number(rng: random.Random, year: int) -> str:
    """A synthetic national identity number (month + 80, as Skatteetaten's test numbers):
    valid check digits, never a real person."""
    while True:
        day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        individual = rng.randrange(0, 500) if year < 2000 else rng.randrange(500, 1000)
        base = f"{day.day:02d}{day.month + 80:02d}{year % 100:02d}{individual:03d}"
        digits = [int(c) for c in base]
        k1 = 11 - sum(d * w for d, w in zip(digits, (3, 7, 6, 1, 8, 9, 4, 5, 2), strict=True)) % 11
        k1 = 0 if k1 == 11 else k1
        if k1 == 10:
            continue
        digits.append(k1)
        k2 = (
            11
            - sum(d * w for d, w in zip(digits, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        )
        k2 = 0 if k2 == 11 else k2
        if k2 == 10:
            continue
        return base + f"{k1}{k2}"


def _moment(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    return start + (end - start) * rng.random()


def seed(instance: MethodInstance, rng: random.Random) -> int:
    """The referendum, its votes and its count; returns how many ballots were cast."""
    if Referendum.objects.filter(method_instance=instance).exclude(status="draft").exists():
        return 0
    now = timezone.now()
    local = timezone.localtime(now)
    opens = (local - dt.timedelta(days=24)).replace(hour=9, minute=0, second=0, microsecond=0)
    closes = (local - dt.timedelta(days=10)).replace(hour=21, minute=0, second=0, microsecond=0)
    decided = (opens - dt.timedelta(days=40)).date()
    staff = _staff(instance)
    officer = staff[0] if staff else None
    details = staff_actions.Details(
        question=QUESTION,
        options=OPTIONS,
        council_reference=(
            f"Kommunestyret i Lillevik {decided.day}.{decided.month}.{decided.year}, "
            f"sak 87/{decided.year % 100:02d}"
        ),
        opens_at=opens,
        closes_at=closes,
        roll_size=sum(d.roll or 0 for d in DISTRICTS),
        districts=DISTRICTS,
        polling_places=PLACES,
    )
    if officer is None:
        return 0
    staff_actions.do_save(officer, instance, details)
    referendum = staff_actions.do_open(officer, instance, now=opens - dt.timedelta(days=7))
    yes, no = actions.options_of(referendum)

    # Electronic votes, in the order they came in over the two weeks.
    votes = []
    for district, count in ELECTRONIC.items():
        for _n in range(count):
            roll = rng.random()
            option = None if roll < BLANK_SHARE else yes.pk if roll < YES_SHARE[district] else no.pk
            votes.append((_moment(rng, opens, closes - dt.timedelta(hours=1)), district, option))
    votes.sort(key=lambda vote: vote[0])
    for n, (moment, district, option) in enumerate(votes):
        identity = hashing.national_id_hash(f"demo-{instance.pk}-veljar-{n:04d}")
        actions.cast(
            referendum,
            keys.voter_key(referendum.pk, identity),
            channel=Channel.ELECTRONIC,
            district=district,
            option_id=option,
            now=moment,
        )
    cast = len(votes)
    if referendum.rules.get("paper"):
        if len(staff) < 2:
            return cast  # no second person to enter the paper counts: it stays uncounted
        cast += _paper(instance, referendum, staff, rng, yes.pk, no.pk)
    staff_actions.do_close(officer, instance, now=closes + dt.timedelta(hours=14))
    return cast


def _paper(
    instance: MethodInstance,
    referendum: Referendum,
    staff: list[User],
    rng: random.Random,
    yes: int,
    no: int,
) -> int:
    """Paper voters marked at the polling places, and their counts; returns how many."""
    officer, second = staff[0], staff[1]
    assert referendum.closes_at is not None
    closes = referendum.closes_at

    # Paper voters marked in the roll at the polling places on the last day.
    last_day = closes - dt.timedelta(hours=11)
    for place, (marked, _count) in PAPER.items():
        for _n in range(marked):
            number = _synthetic_number(rng, rng.randint(1935, 2009))
            staff_actions.do_mark_paper_voter(
                officer, instance, number, place, now=_moment(rng, last_day, closes)
            )

    # The counts, entered by two people each; Nordbygda's first pair did not match.
    counted = closes + dt.timedelta(hours=1)
    marked_in_all = 0
    for place, (marked, count) in PAPER.items():
        counts = {
            "options": {str(yes): count["yes"], str(no): count["no"]},
            "blank": count["blank"],
            "rejected": count["rejected"],
        }
        if place == "nordbygda-grendehus":
            wrong = {**counts, "options": {str(yes): count["yes"] - 1, str(no): count["no"] + 1}}
            staff_actions.do_enter_paper(officer, instance, place, counts, now=counted)
            staff_actions.do_enter_paper(second, instance, place, wrong, now=counted)
        staff_actions.do_enter_paper(officer, instance, place, counts, now=counted)
        staff_actions.do_enter_paper(second, instance, place, counts, now=counted)
        marked_in_all += marked
    return marked_in_all
