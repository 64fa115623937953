"""Demo: Barnetråkk at Lillevik skule (nynorsk, the municipality's målform).

Lillevik is made up; its map sits on the west coast around 61.347 N, 5.065 E, and
everything here lies within about three kilometres of that point. Two classes, 4A and 7B,
take part with class codes; their pupils draw the way to school from Nordbygda, Sørvika
and the centre, and mark places they like, places they avoid, dangerous crossings and
where they play. A few adults mark too. Everything goes through the same actions as the
web; some comments are approved and answered by the case officer. The texts are content,
not interface text: not translated.
"""

from __future__ import annotations

import json
import math
import random

from django.contrib.auth.models import AnonymousUser

from medvirk.accountability.actions import do_respond
from medvirk.contributions.actions import Receipt, do_approve
from medvirk.contributions.models import ModerationState
from medvirk.identity.models import User
from medvirk.organisations.models import Membership, Role
from medvirk.processes.models import MethodInstance

from . import actions, config, staff_actions
from .models import SchoolClass

CENTRE = (5.0650, 61.3470)  # (lon, lat): Lillevik's centre, by the shop
M_PER_DEG_LAT = 111_320.0


def at(north_m: float, east_m: float) -> tuple[float, float]:
    """The position ``north_m`` and ``east_m`` metres from the centre, as (lon, lat)."""
    lon0, lat0 = CENTRE
    per_deg_lon = M_PER_DEG_LAT * math.cos(math.radians(lat0))
    return (round(lon0 + east_m / per_deg_lon, 6), round(lat0 + north_m / M_PER_DEG_LAT, 6))


def _bbox(half_m: float) -> str:
    west, south = at(-half_m, -half_m)
    east, north = at(half_m, half_m)
    return f"{west:.4f}, {south:.4f}, {east:.4f}, {north:.4f}"


def _sub(name: str, south_m: float, west_m: float, north_m: float, east_m: float) -> str:
    west, south = at(south_m, west_m)
    east, north = at(north_m, east_m)
    return f"{name}: {west:.4f}, {south:.4f}, {east:.4f}, {north:.4f}"


SETTINGS = {
    "preset": "children",
    "area": _bbox(3000),
    "view": f"{CENTRE[1]}, {CENTRE[0]}, 15",
    "sub_areas": "\n".join(
        (
            _sub("Sentrum", -400, -600, 500, 800),
            _sub("Nordbygda", 500, -900, 1600, 700),
            _sub("Sørvika", -1300, 300, -400, 1600),
        )
    ),
    "cell_size": 100,
    "participants": "both",
    "show_results": True,
}

# name, kind, metres north, metres east of the centre
PLACES = (
    ("Lillevik skule", "skule", 150, 250),
    ("Gangfeltet ved skulen", "kryss", 100, 180),
    ("Krysset Storvegen–fylkesvegen", "kryss", -150, 40),
    ("Busstoppet ved butikken", "busstopp", -110, 120),
    ("Butikken", "butikk", -60, 60),
    ("Lillevik samfunnshus", "bygg", 40, -160),
    ("Biblioteket", "bygg", 10, -90),
    ("Kaia", "kai", -320, -220),
    ("Fotballbana", "idrett", 320, 360),
    ("Ballbingen", "idrett", 190, 320),
    ("Skateparken", "idrett", 260, -300),
    ("Skogen bak skulen", "friluft", 460, 260),
    ("Badeplassen i Sørvika", "friluft", -820, 1050),
    ("Fylkesvegen ved Sørvika", "veg", -520, 640),
    ("Gangbrua over elva", "bru", 220, 700),
    ("Undergangen under fylkesvegen", "kryss", -300, 420),
    ("Leikeplassen i Nordbygda", "leikeplass", 930, -90),
    ("Nordbygda busstopp", "busstopp", 1050, 10),
    ("Storvegen", "gate", 60, 20),
    ("Stien langs elva", "sti", 380, 620),
)

# The ways to school: the places a route passes, from home to the school.
ROUTES = {
    "Nordbygda": ((1080, 30), (850, 60), (600, 110), (380, 170), (230, 220), (150, 250)),
    "Sørvika": ((-880, 980), (-520, 640), (-300, 420), (-150, 40), (100, 180), (150, 250)),
    "Sentrum": ((-330, -230), (-150, 40), (60, 20), (100, 180), (150, 250)),
    "Elva": ((380, 900), (220, 700), (190, 460), (150, 250)),
}

POINTS = {
    "dangerous_crossing": (
        ((-150, 40), "Bilane køyrer fort i krysset, og det er ikkje gangfelt over fylkesvegen."),
        ((-150, 40), "Eg må vente lenge før eg kjem over."),
        ((-150, 40), ""),
        ((-145, 48), "Bussen stoppar rett ved krysset, så ein ser ikkje bilane."),
        ((-155, 35), ""),
        ((100, 180), "Gangfeltet ved skulen har ikkje lys. Det er mørkt om morgonen."),
        ((100, 180), ""),
        ((-520, 640), "Det er ikkje fortau her, og lastebilane køyrer tett inntil."),
    ),
    "like": (
        ((320, 360), "Fotballbana er den beste staden i bygda!"),
        ((320, 360), ""),
        ((-820, 1050), "Her badar vi heile sommaren."),
        ((260, -300), "Skateparken er kul, men han er for liten."),
        ((10, -90), "Biblioteket er koseleg når det regnar."),
        ((-320, -220), ""),
    ),
    "avoid": (
        ((-300, 420), "Undergangen er mørk og skummel om vinteren."),
        ((-300, 420), ""),
        ((-110, 120), "Dei store elevane pressar seg fram på busstoppet."),
        ((220, 700), ""),
    ),
    "play": (
        ((460, 260), "Vi byggjer hytter i skogen bak skulen."),
        ((190, 320), ""),
        ((930, -90), "Leikeplassen har berre ei huske. Ho er ofte oppteken."),
    ),
}

# A play area: the wood behind the school, drawn as corners.
PLAY_AREA = ((420, 180), (520, 200), (560, 360), (450, 400), (390, 300))

ANSWERS = {
    "Bilane køyrer fort i krysset": (
        "adopted",
        "Takk! Mange elevar har merkt dette krysset. Kommunen har bede Statens vegvesen om "
        "gangfelt med lys og fartsgrense 40 km/t her, og krysset er teke med i trafikk"
        "tryggingsplanen for 2026.",
    ),
    "Gangfeltet ved skulen har ikkje lys": (
        "partly_adopted",
        "Vi set opp lys ved gangfeltet før vinteren. Eit opphøgd gangfelt må vi vurdere "
        "saman med den nye skuletomta.",
    ),
    "Undergangen er mørk": (
        "adopted",
        "Vi har sett opp nye lamper i undergangen. Sei frå dersom det framleis er mørkt.",
    ),
}

ADULT_MARKS = (
    ("avoid", (380, 620), "Stien langs elva er mørk om kvelden. Han treng lys og grus."),
    ("like", (40, -160), ""),
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


def _places_csv() -> str:
    lines = ["namn;breiddegrad;lengdegrad;type"]
    for name, kind, north, east in PLACES:
        lon, lat = at(north, east)
        lines.append(f"{name};{lat};{lon};{kind}")
    return "\n".join(lines)


def _jitter(rng: random.Random, point: tuple[float, float], metres: float) -> tuple[float, float]:
    return at(point[0] + rng.uniform(-metres, metres), point[1] + rng.uniform(-metres, metres))


def _geojson(kind: str, positions: list[tuple[float, float]]) -> str:
    if kind == "point":
        coordinates: object = list(positions[0])
    elif kind == "line":
        coordinates = [list(p) for p in positions]
    else:
        coordinates = [[list(p) for p in [*positions, positions[0]]]]
    names = {"point": "Point", "line": "LineString", "polygon": "Polygon"}
    return json.dumps({"type": names[kind], "coordinates": coordinates})


def seed(instance: MethodInstance, rng: random.Random) -> int:
    """The places, the two classes and their marks, some answered; returns how many marks."""
    if SchoolClass.objects.filter(method_instance=instance).exists():
        return 0
    cfg = config.for_instance(instance)
    if not {"way_to_school", "dangerous_crossing", "like", "avoid", "play"} <= set(cfg.by_key):
        return 0  # an instance with its own categories: nothing here fits
    staff_actions.do_replace_places(None, instance, _places_csv())
    pupils: list[actions.Pupil | None] = [None]
    if cfg.takes_classes:
        fourth = staff_actions.do_create_class(
            None, instance, school="Lillevik skule", grade=4, label="A"
        )
        seventh = staff_actions.do_create_class(
            None, instance, school="Lillevik skule", grade=7, label="B"
        )
        # Three pupils per class join with the code, as in a lesson.
        pupils = [
            actions.Pupil(
                actions.do_join(
                    AnonymousUser(),
                    instance,
                    code=school_class.code,
                    school=school_class.school,
                    grade=school_class.grade,
                ),
                f"demo-{school_class.grade}-{n}",
            )
            for school_class in (fourth, seventh)
            for n in range(3)
        ]
    anonymous = AnonymousUser()
    receipts = []

    def mark(kind: str, mode: str, positions: list[tuple[float, float]], text: str, n: int) -> None:
        pupil = pupils[n % len(pupils)]
        receipts.append(
            actions.do_mark(
                anonymous,
                instance,
                mode=f"{mode}:{kind}",
                geometry=_geojson(kind, positions),
                comment=text,
                pupil=pupil,
            )
        )

    n = 0
    # Ways to school: several pupils from each part of the bygd, each a little differently.
    for home, count in (("Nordbygda", 5), ("Sørvika", 5), ("Sentrum", 4), ("Elva", 2)):
        for _ in range(count):
            route = [_jitter(rng, p, 15) for p in ROUTES[home][:-1]] + [at(*ROUTES[home][-1])]
            text = ""
            if home == "Sørvika" and n % 3 == 0:
                text = "Det er langt å gå, og det manglar fortau det siste stykket."
            mark("line", "way_to_school", route, text, n)
            n += 1
    for category, entries in POINTS.items():
        for where, text in entries:
            mark("point", category, [_jitter(rng, where, 12)], text, n)
            n += 1
    mark("polygon", "play", [at(*p) for p in PLAY_AREA], "Heile skogen er leikeplassen vår.", n)
    n += 1
    for category, where, text in ADULT_MARKS:
        if category in cfg.by_key:
            receipts.append(
                actions.do_mark(
                    anonymous,
                    instance,
                    mode=f"{category}:point",
                    geometry=_geojson("point", [at(*where)]),
                    comment=text,
                )
            )
    _moderate_and_answer(instance, receipts)
    return len(receipts)


def _moderate_and_answer(instance: MethodInstance, receipts: list[Receipt]) -> None:
    """The moderator approves the comments (children's words wait for a look first) and the
    case officer answers a few."""
    moderator = _member(instance, Role.MODERATOR, Role.ADMINISTRATOR)
    officer = _member(instance, Role.CASE_OFFICER, Role.ADMINISTRATOR)
    for receipt in receipts:
        contribution = receipt.contribution
        if moderator is not None and contribution.moderation in (
            ModerationState.PENDING,
            ModerationState.HELD,
        ):
            do_approve(moderator, contribution)
    if officer is None:
        return
    for start, (status, reason) in ANSWERS.items():
        ids = [r.contribution.pk for r in receipts if r.contribution.text.startswith(start)]
        if ids:
            do_respond(officer, instance.process, ids[:1], status, reason)
