"""Demo seed: Lillevik's ungdomsråd, eldreråd and råd for personar med funksjonsnedsetting
(nynorsk, the municipality's own texts: not translated), asked for their statement on the
school case. The ungdomsråd has met and its statement is registered, published on the case
and answered; the two others are still to meet.

Everything goes through the method's own actions, as staff would.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from medvirk.accountability.actions import do_respond
from medvirk.identity.models import User
from medvirk.organisations.models import Membership, Role
from medvirk.processes.models import MethodInstance

from . import actions, staff_actions
from .models import Body, BodyKind, MeetingStatus, MemberRole, StatementRequest

QUESTION = (
    "Kva meiner rådet om alternativa for Lillevik skule, og kva må kommunestyret passe på "
    "for dei rådet talar for?"
)


@dataclass(frozen=True)
class Seat:
    name: str
    role: str
    represents: str
    name_public: bool = True


@dataclass(frozen=True)
class Agenda:
    days: int  # from today: negative is held
    hour: int
    place: str
    items: tuple[tuple[str, str], ...]
    minutes: str = ""


@dataclass(frozen=True)
class DemoBody:
    slug: str
    kind: str
    name: str
    mandate: str
    delegation: str
    contact_email: str
    term_days: int  # the members' term, from 300 days ago
    seats: tuple[Seat, ...]
    meetings: tuple[Agenda, ...]
    deadline_days: int


YOUTH = DemoBody(
    slug="ungdomsradet",
    kind=BodyKind.YOUTH_COUNCIL,
    name="Lillevik ungdomsråd",
    mandate=(
        "Ungdomsrådet er stemma til ungdommen i kommunen. Rådet skal få alle saker som gjeld "
        "ungdom tidleg, medan dei kan påverkast, og gir uttale til kommunestyret og utvala. "
        "Medlemene er mellom 13 og 18 år og er valde av elevråda og ungdomsklubben for to år."
    ),
    delegation=(
        "Ungdomsrådet gjer ikkje vedtak i enkeltsaker. Kommunestyret har delegert til rådet å "
        "fordele ungdomspotten, 50 000 kroner i året, til tiltak for ungdom (K-sak 45/24, "
        "jf. kommunelova § 5-3)."
    ),
    contact_email="ungdomsradet@lillevik.example.org",
    term_days=2 * 365,
    seats=(
        Seat("Emma Haugland", MemberRole.CHAIR, "Nordvik ungdomsskule, 10. trinn"),
        Seat("Jonas Eide", MemberRole.DEPUTY_CHAIR, "Lillevik ungdomsklubb"),
        Seat("Sofie Nilsen", MemberRole.MEMBER, "Nordvik ungdomsskule, 9. trinn"),
        Seat("Ali Rahimi", MemberRole.MEMBER, "Fjordvik vidaregåande skule, Vg1"),
        Seat("Ida Strand", MemberRole.MEMBER, "Nordvik ungdomsskule, 8. trinn", False),
        Seat("Henrik Berg", MemberRole.SUBSTITUTE, "Nordvik ungdomsskule, 9. trinn"),
        Seat("Sigrid Vik", MemberRole.SECRETARY, "Lillevik kommune, ungdomskontakt"),
    ),
    meetings=(
        Agenda(
            days=-12,
            hour=17,
            place="Ungdomshuset, Lillevik",
            items=(
                ("US 6/26", "Godkjenning av innkalling og sakliste"),
                ("US 7/26", "Framtida for Lillevik skule – uttale til kommunestyret"),
                ("US 8/26", "Fordeling av ungdomspotten, vårrunden"),
            ),
            minutes=(
                "Til stades: Emma Haugland (leiar), Jonas Eide, Sofie Nilsen, Ali Rahimi og "
                "eitt medlem til. Frå kommunen: Sigrid Vik (sekretær).\n\n"
                "US 6/26 Godkjenning av innkalling og sakliste\n"
                "Vedtak: Innkalling og sakliste er godkjende.\n\n"
                "US 7/26 Framtida for Lillevik skule – uttale til kommunestyret\n"
                "Vedtak: Ungdomsrådet gir uttalen som ligg ved saka. Samrøystes.\n\n"
                "US 8/26 Fordeling av ungdomspotten, vårrunden\n"
                "Vedtak: 12 000 kroner til skateramper ved Ungdomshuset og 8 000 kroner til "
                "sommarfest for ungdom. Samrøystes."
            ),
        ),
        Agenda(
            days=20,
            hour=17,
            place="Ungdomshuset, Lillevik",
            items=(
                ("US 9/26", "Årsmelding for ungdomsrådet"),
                ("US 10/26", "Trafikktryggleik på skulevegen"),
            ),
        ),
    ),
    deadline_days=5,
)

ELDERLY = DemoBody(
    slug="eldreradet",
    kind=BodyKind.ELDERLY_COUNCIL,
    name="Lillevik eldreråd",
    mandate=(
        "Eldrerådet gir råd til kommunen i saker som gjeld eldre. Rådet skal få sakene tidleg "
        "nok til å påverke dei, og uttalen følgjer saka til den som avgjer. Rådet legg fram "
        "ei årsmelding for kommunestyret."
    ),
    delegation="Eldrerådet gjer ikkje vedtak i enkeltsaker. Det gir uttale og råd.",
    contact_email="eldreradet@lillevik.example.org",
    term_days=4 * 365,
    seats=(
        Seat("Kåre Moen", MemberRole.CHAIR, "Lillevik pensjonistlag"),
        Seat("Astrid Holm", MemberRole.DEPUTY_CHAIR, "Vald av kommunestyret"),
        Seat("Berit Sæther", MemberRole.MEMBER, "Lillevik sanitetslag"),
        Seat("Olav Rønning", MemberRole.MEMBER, "Pensjonistane i Nordvik"),
        Seat("Liv Aasen", MemberRole.SUBSTITUTE, "Lillevik pensjonistlag"),
        Seat("Tone Berg", MemberRole.SECRETARY, "Lillevik kommune, helse og omsorg"),
    ),
    meetings=(
        Agenda(
            days=-40,
            hour=11,
            place="Lillevik omsorgssenter, møterommet",
            items=(("ER 2/26", "Dagtilbod for heimebuande eldre"),),
            minutes=(
                "ER 2/26 Dagtilbod for heimebuande eldre\n"
                "Vedtak: Eldrerådet rår til at dagtilbodet held fram to dagar i veka, og at "
                "skyssen blir samordna med bestillingsruta."
            ),
        ),
        Agenda(
            days=10,
            hour=11,
            place="Lillevik omsorgssenter, møterommet",
            items=(
                ("ER 4/26", "Framtida for Lillevik skule – uttale"),
                ("ER 5/26", "Årsmelding for eldrerådet"),
            ),
        ),
    ),
    deadline_days=18,
)

DISABILITY = DemoBody(
    slug="funksjonsradet",
    kind=BodyKind.DISABILITY_COUNCIL,
    name="Lillevik råd for personar med funksjonsnedsetting",
    mandate=(
        "Rådet gir råd til kommunen i saker som gjeld personar med funksjonsnedsetting, "
        "mellom anna universell utforming av bygg, uteområde og tenester. Rådet skal få "
        "sakene tidleg nok til å påverke dei."
    ),
    delegation="Rådet gjer ikkje vedtak i enkeltsaker. Det gir uttale og råd.",
    contact_email="funksjonsradet@lillevik.example.org",
    term_days=4 * 365,
    seats=(
        Seat("Marius Dahl", MemberRole.CHAIR, "Handikaplaget i Lillevik"),
        Seat("Hanne Lund", MemberRole.DEPUTY_CHAIR, "Vald av kommunestyret"),
        Seat("Per Olsen", MemberRole.MEMBER, "Synshemma i Nordvik"),
        Seat(
            "Kristin Myhre",
            MemberRole.MEMBER,
            "Foreldrenettverket for born med funksjonsnedsetting",
        ),
        Seat("Tone Berg", MemberRole.SECRETARY, "Lillevik kommune, helse og omsorg"),
    ),
    meetings=(
        Agenda(
            days=14,
            hour=12,
            place="Rådhuset, møterom 2",
            items=(("RF 3/26", "Framtida for Lillevik skule – universell utforming"),),
        ),
    ),
    deadline_days=21,
)

STATEMENT = (
    "Ungdomsrådet meiner at elevane i Lillevik må få ein trygg og god skule så fort som "
    "mogleg. Vi rår kommunestyret til å velje nybygg eller rehabilitering i Lillevik, og "
    "ikkje å flytte elevane til Nordvik skule.\n\n"
    "Grunngiving:\n"
    "1. Skulevegen til Nordvik går langs fylkesvegen utan gang- og sykkelveg. Det er ikkje "
    "trygt for dei yngste.\n"
    "2. Skulen er samlingsstaden i bygda. Uteområdet blir brukt av ungdom etter skuletid, og "
    "det bør vere ope også i framtida, med lys og ein stad å vere når det regnar.\n"
    "3. Elevane sjølve må få vere med når skulen skal planleggjast. Ungdomsrådet vil gjerne "
    "ha ein plass i referansegruppa.\n\n"
    "Ungdomsrådet ber om å få saka att dersom tilrådinga endrar seg før kommunestyret gjer "
    "vedtak."
)

ANSWER = (
    "Takk for uttalen. Kommunedirektøren tek tilrådinga om trygg skuleveg og eit ope "
    "uteområde med i saksframlegget, og ungdomsrådet får ein plass i referansegruppa når "
    "skulen skal planleggjast. Kva alternativ kommunestyret vel, er ikkje avgjort: uttalen "
    "ligg ved saka når kommunestyret handsamar ho."
)


def _staff(instance: MethodInstance) -> User | None:
    for role in (Role.CASE_OFFICER, Role.ADMINISTRATOR):
        membership = (
            Membership.objects.filter(municipality_id=instance.process.municipality_id, role=role)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership is not None:
            return membership.user
    return None


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _body(instance: MethodInstance, staff: User | None, spec: DemoBody) -> Body:
    """The body, made once per municipality (another case's seed may have made it)."""
    municipality = instance.process.municipality
    existing = Body.objects.filter(municipality=municipality, slug=spec.slug).first()
    if existing is not None:
        return existing
    body = staff_actions.do_save_body(
        staff,
        municipality,
        staff_actions.BodyData(
            kind=spec.kind,
            name=spec.name,
            slug=spec.slug,
            mandate=spec.mandate,
            delegation=spec.delegation,
            contact_email=spec.contact_email,
            is_published=True,
        ),
    )
    start = timezone.localdate() - dt.timedelta(days=300)
    for seat in spec.seats:
        secretary = seat.role == MemberRole.SECRETARY
        staff_actions.do_save_member(
            staff,
            body,
            staff_actions.MemberData(
                name=seat.name,
                role=seat.role,
                represents=seat.represents,
                term_from=start,
                term_to=None if secretary else start + dt.timedelta(days=spec.term_days),
                name_public=seat.name_public,
                # The ungdomsråd's secretary is the case officer, with her own account.
                account=staff.username if staff is not None and secretary and spec is YOUTH else "",
            ),
        )
    for agenda in spec.meetings:
        meeting = staff_actions.do_save_meeting(
            staff,
            body,
            staff_actions.MeetingData(
                starts_at=_at(agenda.days, agenda.hour),
                place=agenda.place,
                status=MeetingStatus.HELD if agenda.days < 0 else MeetingStatus.PLANNED,
            ),
        )
        for reference, title in agenda.items:
            staff_actions.do_add_agenda_item(staff, meeting, title, reference)
        if agenda.minutes:
            staff_actions.do_save_minutes(staff, meeting, agenda.minutes)
    return body


def seed(instance: MethodInstance, rng: random.Random) -> int:
    """The three councils asked for their statement; the ungdomsråd's is given and
    answered. Returns how many statements were registered."""
    if StatementRequest.objects.filter(method_instance=instance).exists():
        return 0
    staff = _staff(instance)
    requests = {}
    for spec in (YOUTH, ELDERLY, DISABILITY):
        body = _body(instance, staff, spec)
        requests[spec.slug] = staff_actions.do_ask_body(
            staff,
            instance,
            body,
            timezone.localdate() + dt.timedelta(days=spec.deadline_days),
            QUESTION,
        )
    if staff is None:
        return 0  # only staff or the body's secretary register a statement
    youth = requests[YOUTH.slug]
    held = actions.meetings_to_choose(youth.body).first()
    if held is None:
        return 0
    item = held.items.filter(title__startswith="Framtida for Lillevik skule").first()
    receipt = actions.do_register_statement(
        staff,
        instance,
        youth,
        text=STATEMENT,
        meeting_id=held.pk,
        agenda_item_id=item.pk if item else None,
    )
    do_respond(staff, instance.process, [receipt.contribution.pk], "partly_adopted", ANSWER)
    return 1
