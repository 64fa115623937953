"""Demo seed: Lillevik's meetings about the school, in nynorsk (the municipality's
målform). The texts are Lillevik's own content, not interface text, so they are not
translated.

- the framtidsverkstad, held ten days ago with 23 taking part, and its results in all
  three stages registered by the case officer, some of them answered;
- an upcoming folkemøte with registrations and their needs;
- a gjestebod whose host reported three results through the private link;
- an upcoming ordførarbenk at the quay (no registration: anyone comes by).

Everything goes through the method's own actions, as staff, residents and the host would.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from medvirk.accountability.actions import do_respond
from medvirk.contributions.actions import do_approve
from medvirk.contributions.models import ModerationState
from medvirk.identity.models import User
from medvirk.organisations.models import Membership, Role
from medvirk.processes.models import MethodInstance

from . import actions, staff_actions
from .actions import ResultRow
from .guides import ResultType, Stage
from .models import Format, Meeting

WORKSHOP_RESULTS: tuple[tuple[str, str, str, int | None], ...] = (
    # (stage, type, text, rank)
    (
        Stage.CRITIQUE,
        ResultType.POSTIT,
        "Dårleg inneklima: kaldt om vinteren og tett luft i klasseromma.",
        None,
    ),
    (
        Stage.CRITIQUE,
        ResultType.POSTIT,
        "Skulevegen er utrygg – ingen fortau den siste biten opp bakken.",
        None,
    ),
    (
        Stage.CRITIQUE,
        ResultType.POSTIT,
        "Gymsalen er for liten til at to klassar kan ha gym samtidig.",
        None,
    ),
    (Stage.CRITIQUE, ResultType.POSTIT, "Toaletta er gamle, og elevane vil ikkje bruke dei.", None),
    (
        Stage.CRITIQUE,
        ResultType.NOTE,
        "Det er trapper ved alle inngangane: vanskeleg å kome inn med rullestol.",
        None,
    ),
    (Stage.CRITIQUE, ResultType.NOTE, "Bygda har ingen stad å møtast på kveldstid.", None),
    (
        Stage.CRITIQUE,
        ResultType.POSTIT,
        "Uteområdet er mest asfalt og gir lite å gjere i friminutta.",
        None,
    ),
    (
        Stage.FANTASY,
        ResultType.POSTIT,
        "Ein skule som er huset til bygda – ope for lag og foreiningar om kvelden.",
        None,
    ),
    (
        Stage.FANTASY,
        ResultType.POSTIT,
        "Klasserom med godt lys og frisk luft, og eit grønt uterom å ha undervisning i.",
        None,
    ),
    (Stage.FANTASY, ResultType.POSTIT, "Trygg skuleveg med fortau og lys heilt fram.", None),
    (
        Stage.FANTASY,
        ResultType.POSTIT,
        "Eit skulekjøken der elevar og eldre lagar mat saman.",
        None,
    ),
    (
        Stage.FANTASY,
        ResultType.NOTE,
        "Ein leikeplass med klatrestativ, ballbinge og stille krokar for dei som vil vere i fred.",
        None,
    ),
    (Stage.FANTASY, ResultType.NOTE, "Eit bibliotek som er ope for alle i bygda.", None),
    (Stage.FANTASY, ResultType.POSTIT, "Solceller på taket som elevane kan følgje med på.", None),
    (
        Stage.REALISATION,
        ResultType.PRIORITY,
        "Byggje fortau og lys langs den siste delen av skulevegen før neste skulestart.",
        1,
    ),
    (Stage.REALISATION, ResultType.PRIORITY, "Planleggje uteområdet saman med elevrådet.", 2),
    (
        Stage.REALISATION,
        ResultType.PRIORITY,
        "Lage gymsalen og kjøkenet slik at lag og foreiningar kan bruke dei.",
        3,
    ),
    (
        Stage.REALISATION,
        ResultType.POSTIT,
        "Spørje eldrerådet korleis skulen kan brukast på dagtid.",
        None,
    ),
    (
        Stage.REALISATION,
        ResultType.NOTE,
        "FAU vil vere med i ei arbeidsgruppe for uteområdet.",
        None,
    ),
    (
        Stage.REALISATION,
        ResultType.NOTE,
        "Kommunen må seie tydeleg kva som er bestemt og kva vi kan påverke.",
        None,
    ),
)
# Answers to some of the workshop's results, by their index above.
WORKSHOP_ANSWERS: dict[int, tuple[str, str]] = {
    1: (
        "adopted",
        "Fortau og lys langs skulevegen er med i alle alternativa som blir lagde fram for "
        "kommunestyret.",
    ),
    4: (
        "adopted",
        "Ein ny eller rehabilitert skule skal vere universelt utforma, med trinnfri inngang.",
    ),
    7: (
        "partly_adopted",
        "Alternativa viser korleis gymsal og kjøken kan brukast av lag og foreiningar. Kven "
        "som skal drifte det, avgjer kommunestyret.",
    ),
    13: (
        "under_review",
        "Vi reknar på kva solceller kostar og sparer, og tek det med i saksframlegget.",
    ),
    15: (
        "adopted",
        "Elevrådet blir invitert med når uteområdet skal planleggjast.",
    ),
}

REGISTRATIONS: tuple[tuple[str, str, dict[str, object]], ...] = (
    ("Ingrid Haugen", "ingrid.haugen@example.org", {"step_free": True}),
    ("Ahmad Rahimi", "ahmad.rahimi@example.org", {"interpreter": "Dari", "childcare": True}),
    ("Olav Bakke", "olav.bakke@example.org", {"hearing_loop": True}),
    ("Saba Tesfay", "saba.tesfay@example.org", {"interpreter": "Tigrinja"}),
    ("Marit Lunde", "marit.lunde@example.org", {}),
    ("Per Nilsen", "per.nilsen@example.org", {"dietary": "Glutenfri"}),
    ("Hanne Solberg", "hanne.solberg@example.org", {"childcare": True, "step_free": True}),
    ("Nina Aas", "nina.aas@example.org", {"sign_language": True}),
)

HOST_RESULTS: tuple[tuple[str, str, int | None], ...] = (
    (ResultType.NOTE, "Gjestene var samde om at skulen må bli verande i bygda.", None),
    (
        ResultType.PRIORITY,
        "Trygg skuleveg er viktigast – fleire køyrer borna fordi vegen er farleg.",
        1,
    ),
    (ResultType.POSTIT, "Kunne skulebiblioteket vere ope for vaksne òg?", None),
)


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


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def seed(instance: MethodInstance, rng: random.Random) -> int:
    """The meetings, their registrations and results; returns how many results."""
    if Meeting.objects.filter(method_instance=instance).exists():
        return 0
    staff = _member(instance, Role.CASE_OFFICER, Role.ADMINISTRATOR)
    moderator = _member(instance, Role.MODERATOR, Role.ADMINISTRATOR)
    today = timezone.localdate()
    made = 0

    # The framtidsverkstad, ten days ago, and its results.
    workshop = staff_actions.do_save_meeting(
        staff,
        instance,
        staff_actions.MeetingData(
            format=Format.FUTURE_WORKSHOP,
            title="Framtidsverkstad om Lillevik skule",
            description=(
                "Kva er gale med skulen i dag, korleis ville han vore best, og kva kan vi "
                "gjere? Tre rundar i små grupper, med kaffi og kaker."
            ),
            starts_at=_at(today - dt.timedelta(days=10), 18),
            ends_at=_at(today - dt.timedelta(days=10), 21),
            place_name="Lillevik samfunnshus",
            address="Storvegen 12, Lillevik",
            step_free=True,
            hearing_loop=True,
            accessible_toilet=True,
            accessibility="Inngang utan trapper frå parkeringsplassen. Tolk kan bestillast.",
            capacity=40,
        ),
    )
    staff_actions.do_set_attendance(staff, workshop, 23)
    if staff is not None:
        receipts = actions.do_report_results(
            workshop,
            [
                ResultRow(type=kind, text=text, stage=stage, rank=rank)
                for stage, kind, text, rank in WORKSHOP_RESULTS
            ],
            staff=staff,
        )
        made += len(receipts)
        process = instance.process
        for index, (status, reason) in WORKSHOP_ANSWERS.items():
            do_respond(staff, process, [receipts[index].contribution.pk], status, reason)

    # An upcoming folkemøte with registrations and their needs.
    folkemote = staff_actions.do_save_meeting(
        staff,
        instance,
        staff_actions.MeetingData(
            format=Format.TOWN_MEETING,
            title="Folkemøte: alternativa for skulen",
            description=(
                "Kommunedirektøren legg fram alternativa for Lillevik skule. Etterpå er det "
                "spørsmål og samtale ved borda. Barnepass i klasserommet ved sida av."
            ),
            starts_at=_at(today + dt.timedelta(days=12), 19),
            ends_at=_at(today + dt.timedelta(days=12), 21),
            place_name="Gymsalen på Lillevik skule",
            address="Skulevegen 4, Lillevik",
            step_free=True,
            hearing_loop=True,
            accessible_toilet=False,
            accessibility=(
                "Rampe ved hovudinngangen. Toalettet er ikkje tilpassa rullestol; det næraste "
                "er i samfunnshuset 200 meter unna."
            ),
            digital_link="https://lillevik.example.org/direkte",
            capacity=80,
        ),
    )
    anonymous = AnonymousUser()
    for name, email, need in REGISTRATIONS:
        actions.do_register(
            anonymous, instance, folkemote, name=name, email=email, needs=need, language="nn"
        )

    # A gjestebod five days ago; the host reported three results through the link.
    gjestebod = staff_actions.do_save_meeting(
        staff,
        instance,
        staff_actions.MeetingData(
            format=Format.HOSTED,
            title="Gjestebod i Nordbygda",
            description="Naboar i Nordbygda snakkar om skulen heime hos ein av dei.",
            starts_at=_at(today - dt.timedelta(days=5), 18, 30),
            ends_at=_at(today - dt.timedelta(days=5), 20, 30),
            place_name="Nordbygda",
            host_name="Aslaug Nordbø",
            host_email="aslaug.nordbo@example.org",
        ),
    )
    reported = actions.do_report_results(
        gjestebod,
        [ResultRow(type=kind, text=text, rank=rank) for kind, text, rank in HOST_RESULTS],
        guests=7,
    )
    made += len(reported)
    if moderator is not None:
        for receipt in reported:
            if receipt.contribution.moderation in (ModerationState.PENDING, ModerationState.HELD):
                do_approve(moderator, receipt.contribution)

    # An ordførarbenk at the quay: anyone comes by, no registration.
    staff_actions.do_save_meeting(
        staff,
        instance,
        staff_actions.MeetingData(
            format=Format.MAYORS_BENCH,
            title="Ordføraren på benken ved kaia",
            description="Set deg ned og prat med ordføraren om skulen – eller om noko anna.",
            starts_at=_at(today + dt.timedelta(days=20), 11),
            ends_at=_at(today + dt.timedelta(days=20), 14),
            place_name="Benken ved kaia",
            address="Kaivegen, Lillevik",
            step_free=True,
            registration_open=False,
        ),
    )
    del rng  # the content is fixed; the order of everything is by time
    return made
