"""Demo seed: Lillevik's innbyggjarforslag (nynorsk, the municipality's målform), made
through the method's own actions as residents and the case officer would.

- «Gatelys langs skulevegen til Nordbygda»: checked by the case officer and collecting
  signatures, about two thirds of the way to the threshold (81 for 4 012 inhabitants).
- «Badeplass med brygge ved Lillevatnet»: signed with e-ID and on a paper list brought to
  the town hall, which reached the threshold: delivered, the council's six months running.
- «Lys på vegen til skulen frå Nordbygda»: just sent in and waiting for the check; its
  staff page shows the first proposal as one with similar text in the same valgperiode.

The signers are demo accounts with a verified identity made from fake numbers (keyed
through ``identity.hashing`` like a real one), so each counts once, as real people would.
Residence is declared (the default mode, as on minsak.no), with made-up addresses.
Content, not interface text: not translated.
"""

from __future__ import annotations

import datetime as dt
import random

from django.test.utils import override_settings
from django.utils import timezone

from medvirk.identity import hashing, residence
from medvirk.identity.models import User
from medvirk.organisations.models import Membership, Role
from medvirk.processes.models import MethodInstance

from . import actions, staff_actions
from .models import Initiative

LAMPS = (
    "Gatelys langs skulevegen til Nordbygda",
    "Vegen frå Nordbygda til Lillevik skule er mørk store delar av skuleåret. Frå oktober "
    "til mars går borna til og frå skulen i mørkret, på ei strekning på om lag 1,2 kilometer "
    "utan fortau og utan lys.\n\n"
    "Vi foreslår at kommunen set opp gatelys langs skulevegen frå Nordbygda bru til skulen, "
    "og at arbeidet kjem med i budsjettet for neste år. Trygg skuleveg er viktig for borna, "
    "og lys gjer vegen tryggare for alle som går og syklar der.",
)
BATHING = (
    "Badeplass med brygge ved Lillevatnet",
    "Lillevatnet er mykje brukt om sommaren, men det finst ingen tilrettelagd badeplass.\n\n"
    "Vi foreslår at kommunen lagar ein enkel badeplass ved nordenden av vatnet, med ei "
    "flytebrygge, benkar og søppeldunkar, og ein sti som òg rullestolbrukarar kan nytte. "
    "Ein trygg badeplass gir born og unge ein stad å lære å symje, og gir alle i bygda ein "
    "møtestad om sommaren.",
)
LIGHT_AGAIN = (
    "Lys på vegen til skulen frå Nordbygda",
    "Det er for mørkt på skulevegen frå Nordbygda om vinteren, og borna går i mørkret utan "
    "fortau. Kommunen bør setje opp lys langs vegen til skulen, slik at borna kan gå trygt.",
)
PROPOSERS = (
    ("Ingrid", "Fjellstad"),
    ("Håkon", "Strand"),
    ("Jonas", "Nordbø"),
)
STREETS = (
    "Skulevegen",
    "Kaivegen",
    "Fjordvegen",
    "Nordbygdvegen",
    "Lillevatnvegen",
    "Kyrkjebakken",
    "Strandvegen",
    "Bjørkelia",
)
PAPER = (
    ("Olav Haugland", "Nordbygdvegen 31, Lillevik", dt.date(1941, 3, 14)),
    ("Solveig Haugland", "Nordbygdvegen 31, Lillevik", dt.date(1944, 11, 2)),
    ("Arne Bø", "Kyrkjebakken 2, Lillevik", dt.date(1956, 6, 21)),
    ("Gudrun Vik", "Strandvegen 9, Lillevik", dt.date(1938, 1, 30)),
    ("Nils Aasen", "Fjordvegen 44, Lillevik", dt.date(1962, 9, 8)),
    ("Eli Tveit", "Bjørkelia 5, Lillevik", dt.date(1971, 4, 17)),
    ("Kristoffer Lunde", "Kaivegen 3, Lillevik", dt.date(2009, 12, 1)),
)
SIGNERS = 90
LAMP_SIGNATURES = 54
BATHING_SIGNATURES = 76


def _member(instance: MethodInstance, *roles: str) -> User | None:
    for role in roles:
        membership = (
            Membership.objects.filter(municipality_id=instance.process.municipality_id, role=role)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership is not None:
            return membership.user
    return None


def _person(instance: MethodInstance, key: str, now: dt.datetime, **names: str) -> User:
    """A demo account with a verified identity from a fake number (never a real one)."""
    user = User(
        username=f"demo-{instance.pk}-{key}",
        national_id_hash=hashing.national_id_hash(f"demo-{instance.pk}-{key}"),
        verified_at=now,
        verified_via="demo",
        **names,
    )
    user.set_unusable_password()
    return user


def _signers(instance: MethodInstance, now: dt.datetime) -> list[User]:
    made = [_person(instance, f"underskrivar-{n:03d}", now) for n in range(SIGNERS)]
    User.objects.bulk_create(made)
    return list(
        User.objects.filter(username__startswith=f"demo-{instance.pk}-underskrivar-").order_by(
            "username"
        )
    )


def _address(rng: random.Random) -> str:
    return f"{rng.choice(STREETS)} {rng.randint(1, 60)}, Lillevik"


def _sign(
    instance: MethodInstance,
    initiative: Initiative,
    people: list[User],
    rng: random.Random,
) -> int:
    signed = 0
    for person in people:
        actions.do_sign(
            person,
            instance,
            initiative,
            address=_address(rng),
            lives_here=True,
            language="nn",
        )
        signed += 1
    return signed


def seed(instance: MethodInstance, rng: random.Random) -> int:
    """The proposals and their signatures; returns how many proposals."""
    if Initiative.objects.filter(method_instance=instance).exists():
        return 0
    now = timezone.now()
    officer = _member(instance, Role.CASE_OFFICER, Role.ADMINISTRATOR)
    proposers = []
    for n, (first, last) in enumerate(PROPOSERS):
        person = _person(instance, f"forslagsstillar-{n}", now, first_name=first, last_name=last)
        person.save()
        proposers.append(person)
    with override_settings(MEDVIRK_RESIDENCE_PROVIDER=residence.DEFAULT_PROVIDER):
        lamps = actions.do_propose(
            proposers[0], instance, title=LAMPS[0], text=LAMPS[1], show_name=True
        ).initiative
        bathing = actions.do_propose(
            proposers[1], instance, title=BATHING[0], text=BATHING[1], show_name=True
        ).initiative
        if officer is not None and lamps.signing_opens_at is None:
            staff_actions.do_check(officer, bathing, approve=True)
            staff_actions.do_check(officer, lamps, approve=True)
        people = _signers(instance, now)
        for initiative, wanted in ((bathing, BATHING_SIGNATURES), (lamps, LAMP_SIGNATURES)):
            initiative.refresh_from_db()
            if actions.is_open(initiative):
                _sign(instance, initiative, rng.sample(people, wanted), rng)
        bathing.refresh_from_db()
        if officer is not None and actions.is_open(bathing):
            rows = [staff_actions.PaperRow(*row) for row in PAPER]
            staff_actions.do_register_paper(officer, bathing, rows, checked=True)
        actions.do_propose(
            proposers[2], instance, title=LIGHT_AGAIN[0], text=LIGHT_AGAIN[1], show_name=False
        )
    return len(PROPOSERS)
