"""Demo seed: Lillevik's idea board, in nynorsk (the municipality's målform). The texts are
Lillevik's own content, not interface text, so they are not translated.

Everything goes through the method's own actions, as residents and staff would: ideas,
comments and supports through ``actions`` (with their checks, screening and moderation; the
moderator approves what waits), a duplicate merged, one idea taken up in the school case
and a new case started from another through ``staff_actions`` (as the case officer,
audited), and answers through ``accountability.do_respond``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from medvirk.accountability.actions import do_respond
from medvirk.contributions.actions import do_approve
from medvirk.contributions.models import Contribution, ModerationState
from medvirk.identity.models import User
from medvirk.organisations.models import Membership, Role
from medvirk.processes.models import MethodInstance

from . import actions, staff_actions
from .actions import Writing

ROADS = "Veg og trafikk"
OUTDOORS = "Friluft og nærmiljø"
CULTURE = "Kultur og fritid"
CATEGORIES = "\n".join((ROADS, OUTDOORS, CULTURE, "Skule og barnehage"))


@dataclass(frozen=True)
class DemoIdea:
    title: str
    text: str
    category: str
    name: str  # "" = not shown
    supporters: int


IDEAS: tuple[DemoIdea, ...] = (
    DemoIdea(
        "Lys langs skulevegen",
        "Frå krysset ved nærbutikken og opp til skulen er det bekmørkt om morgonen frå "
        "oktober til mars. Borna går i vegkanten, og bilane ser dei ikkje før dei er heilt "
        "nær.\n\nGatelys langs gangvegen, i alle fall frå krysset til skuleporten, ville "
        "gjort skulevegen mykje tryggare.",
        ROADS,
        "Ingrid Haugland",
        14,
    ),
    DemoIdea(
        "Gatelys ved busshaldeplassen",
        "Mange born ventar på skulebussen ved fylkesvegen om morgonen, og der er det ikkje "
        "lys i det heile. Set opp lys ved haldeplassen og eit stykke langs vegen.",
        ROADS,
        "",
        6,
    ),
    DemoIdea(
        "Badeplass med brygge i Vikabukta",
        "Vikabukta er den einaste sandstranda i bygda, men der er verken toalett, "
        "søppeldunkar eller brygge. Ein enkel badeplass med badebrygge, benkar og eit "
        "toalett om sommaren ville gjort bukta til ein møtestad for heile bygda.",
        OUTDOORS,
        "Per Ås",
        9,
    ),
    DemoIdea(
        "Ope bibliotek på kveldar og laurdagar",
        "Biblioteket på skulen er ope to ettermiddagar i veka. Vi som jobbar i byen, rekk "
        "det aldri. Kan biblioteket vere sjølvbetjent på kveldar og laurdagar, slik dei har "
        "fått det i Nordvik?",
        CULTURE,
        "Solveig Nes",
        7,
    ),
    DemoIdea(
        "Felles lager for laga ved den nye skulen",
        "Korpset, idrettslaget og speidarane har kvar sitt lager spreidd rundt i bygda, og "
        "mykje utstyr står ute. Når skulen blir bygd opp att eller rehabilitert, bør det "
        "vere eit felles lager med låsbare rom for laga.",
        CULTURE,
        "Arne Bø",
        11,
    ),
    DemoIdea(
        "Hundeposar og søppeldunkar langs turstien",
        "Turstien til Kvitevarden er mykje brukt, men det er ingen stad å kaste hundeposar. "
        "Nokre stativ med posar og dunkar ved innfallsportane ville halde stien rein.",
        OUTDOORS,
        "",
        3,
    ),
    DemoIdea(
        "Ungdomsklubb på fredagskveldane",
        "Det er ingenting å gjere for ungdom i bygda på fredagskveldane, så mange heng ved "
        "butikken eller reiser til byen. Ein ungdomsklubb i samfunnshuset, med vaksne til "
        "stades, hadde vore ein stad å vere.",
        CULTURE,
        "Ola Tveit",
        8,
    ),
    DemoIdea(
        "Fartsdumpar forbi barnehagen",
        "Bilane køyrer for fort forbi barnehagen i Skulevegen, særleg når folk skal rekke "
        "ferja. Fartsdumpar og 30-sone heile døgeret ville gjort det tryggare.",
        ROADS,
        "",
        4,
    ),
)
# The duplicate (index 1) is merged into the idea kept (index 0); three of its supporters
# supported both, and count once after the merge.
DUPLICATE, KEPT, IN_BOTH = 1, 0, 3
TAKEN_UP = 4  # into the school case, which the board belongs to
NEW_CASE = 2
NEW_CASE_VALUES = staff_actions.NewCase(
    title="Badeplass i Vikabukta",
    summary=(
        "Innbyggjarar har foreslått ein enkel badeplass i Vikabukta med badebrygge, benkar "
        "og toalett om sommaren. Kommunen greier ut kva som trengst, kva det kostar, og "
        "korleis badeplassen kan driftast."
    ),
    open_to_influence=(
        "Kva badeplassen skal ha, korleis han blir tilgjengeleg for alle, og korleis "
        "parkering og søppel blir løyst."
    ),
    decided_by="Utval for teknikk og miljø",
)

# Comments: (idea index, name or "", text).
COMMENTS: tuple[tuple[int, str, str], ...] = (
    (0, "", "Refleksvest hjelper lite når bilane kjem i 60. Lys er det som trengst."),
    (0, "Kari Nordmann", "Lys med rørslesensor sparer straum og plagar ikkje naboane."),
    (2, "", "Toalett om sommaren er det viktigaste. No går folk i skogen."),
    (3, "Solveig Nes", "Det sjølvbetente biblioteket i Nordvik fungerer godt, med kort og kode."),
    (4, "", "Speidarane treng plass til telt og kanoar. Ta med ei utebu òg."),
    (6, "", "Eg er i FAU og vil gjerne vere vaksen på klubben ein fredag i månaden."),
)

# Answers (idea index → status, reason), given by the case officer in the inbox.
ANSWERS: dict[int, tuple[str, str]] = {
    KEPT: (
        "partly_adopted",
        "Vi set opp lys langs gangvegen frå krysset til skulen i haust. Busshaldeplassen ved "
        "fylkesvegen er Statens vegvesen sin; vi har bedt dei om lys der òg og fortel om "
        "svaret her.",
    ),
    DUPLICATE: (
        "partly_adopted",
        "Denne ideen er slått saman med «Lys langs skulevegen». Vi set opp lys langs "
        "gangvegen i haust, og har bedt Statens vegvesen om lys ved busshaldeplassen.",
    ),
    3: (
        "partly_adopted",
        "Frå januar prøver vi meirope bibliotek: sjølvbetjening måndag til laurdag frå "
        "klokka 8 til 22 med bibliotekkort og PIN-kode. Den betente opningstida blir som før.",
    ),
    TAKEN_UP: (
        "adopted",
        "Eit felles lager for laga er teke med i romprogrammet for skulen i alle alternativa. "
        "Vi følgjer det opp i saka om Lillevik skule.",
    ),
    5: (
        "adopted",
        "Vi set opp tre stativ med posar og dunkar ved innfallsportane til turstien i vår, "
        "og tømer dei kvar veke frå april til oktober.",
    ),
    6: (
        "under_review",
        "Vi undersøkjer saman med frivilligsentralen om ein klubb kan starte i samfunnshuset "
        "til hausten, og svarar når vi veit meir.",
    ),
}


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


def _shown(contribution: Contribution, moderator: User | None) -> None:
    """Approve what waits (the kommune pre-moderates anonymous free text), as the moderator."""
    if moderator is not None and contribution.moderation in (
        ModerationState.PENDING,
        ModerationState.HELD,
    ):
        do_approve(moderator, contribution)


def seed(instance: MethodInstance, rng: random.Random) -> int:
    """Ideas, comments and supports; a duplicate merged, one idea taken up in the case and
    a new case started from another; most answered. Returns how many inputs."""
    officer = _member(instance, Role.CASE_OFFICER, Role.ADMINISTRATOR)
    moderator = _member(instance, Role.MODERATOR, Role.ADMINISTRATOR)
    anonymous = AnonymousUser()
    known = set(actions.categories(instance))
    ids: list[int] = []
    for item in IDEAS:
        receipt = actions.do_submit_idea(
            anonymous,
            instance,
            item.title,
            Writing(text=item.text, author_name=item.name, show_name=bool(item.name)),
            item.category if item.category in known else "",
        )
        _shown(receipt.contribution, moderator)
        ids.append(receipt.contribution.pk)
    for index, name, text in COMMENTS:
        receipt = actions.do_comment(
            anonymous,
            instance,
            ids[index],
            Writing(text=text, author_name=name, show_name=bool(name)),
        )
        _shown(receipt.contribution, moderator)
    # Supporters are browsers here (the board takes anonymous support by default).
    browsers = {
        i: [f"demo-{rng.getrandbits(128):032x}" for _ in range(item.supporters)]
        for i, item in enumerate(IDEAS)
    }
    browsers[DUPLICATE][:IN_BOTH] = browsers[KEPT][:IN_BOTH]
    for index, keys in browsers.items():
        for key in keys:
            actions.do_support(anonymous, instance, ids[index], session_key=key)
    staff_actions.do_merge(officer, instance, ids[DUPLICATE], ids[KEPT])
    staff_actions.do_move_to_case(officer, instance, ids[TAKEN_UP], instance.process_id)
    if officer is not None:
        staff_actions.do_start_case(officer, instance, ids[NEW_CASE], NEW_CASE_VALUES)
        for index, (status, reason) in ANSWERS.items():
            do_respond(officer, instance.process, [ids[index]], status, reason)
    return len(IDEAS) + len(COMMENTS)
