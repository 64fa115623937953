"""The Lillevik demo's residents' panel: districts and population figures, about sixty
members who joined with a profile, and one published draw of twelve for the case's survey
with the invitations sent.

Everything goes through the same actions as the web (``do_save_options``,
``do_save_figures``, ``do_join``, ``do_draw``, ``do_send_invitations``), as the system
(no staff member). The members are demo accounts with verified addresses at
lillevik.example.org and no password: no one can log in as them.
"""

from __future__ import annotations

import random

from medvirk.identity.models import User
from medvirk.processes.models import MethodInstance

from . import actions, dimensions, draws, invites, population
from .models import DimensionKind

# Lillevik has 4 012 inhabitants; these are the 3 360 aged 15 and over (fictional).
DISTRICTS = (
    ("Lillevik sentrum", 1450),
    ("Nordvik", 900),
    ("Sørstranda", 620),
    ("Fjellgarden", 390),
)
AGES = {
    "15-24": 430,
    "25-34": 420,
    "35-44": 450,
    "45-54": 520,
    "55-66": 610,
    "67-79": 620,
    "80+": 310,
}
GENDERS = {"female": 1670, "male": 1690}
SOURCE = "Folkeregisteret via SSB, 1. januar"
YEAR = 2025
MEMBERS = 60
DRAW_SIZE = 12
FIRST_NAMES = (
    "Kari", "Ola", "Ingrid", "Lars", "Sigrid", "Per", "Marit", "Knut", "Solveig", "Nils",
    "Liv", "Arne", "Randi", "Håkon", "Astrid", "Eirik", "Gunvor", "Tor", "Hilde", "Jon",
)  # fmt: skip


def _weighted(rng: random.Random, figures: dict[str, int]) -> str:
    keys = list(figures)
    return rng.choices(keys, weights=[figures[k] for k in keys])[0]


def _profile(n: int, rng: random.Random, districts: dict[str, int]) -> dict[str, str]:
    """Spread like the population, with every group present: the first members take each
    age band and district in turn; a few keep an answer to themselves."""
    bands = list(AGES)
    places = list(districts)
    profile = {
        "alder": bands[n % len(bands)] if n < 3 * len(bands) else _weighted(rng, AGES),
        "kjonn": ("female", "male")[n % 2] if n < 20 else _weighted(rng, GENDERS),
        "krins": places[n % len(places)] if n < 2 * len(places) else _weighted(rng, districts),
    }
    if n % 17 == 5:
        profile["kjonn"] = "other"
    if n % 23 == 11:
        del profile["krins"]  # "I would rather not answer"
    return profile


def _member(n: int, rng: random.Random) -> User:
    name = FIRST_NAMES[n % len(FIRST_NAMES)]
    user = User(
        username=f"panel{n:02d}",
        email=f"panel{n:02d}@lillevik.example.org",
        first_name=name,
        email_verified=True,
        preferred_language=rng.choice(("nn", "nn", "nn", "nb")),
    )
    user.set_unusable_password()
    user.save()
    return user


def seed(instance: MethodInstance, rng: random.Random) -> int:
    municipality = instance.process.municipality
    found = {d.kind: d for d in dimensions.ensure_defaults(municipality)}
    district = found[DimensionKind.DISTRICT]
    population.do_save_options(None, district, labels={}, new=[name for name, _count in DISTRICTS])
    district.refresh_from_db()
    keys = {o.label: o.key for o in dimensions.options_of(district)}
    by_district = {keys[name]: count for name, count in DISTRICTS}
    population.do_save_figures(None, municipality, district.key, by_district, SOURCE, YEAR)
    population.do_save_figures(
        None, municipality, found[DimensionKind.AGE_BAND].key, AGES, SOURCE, YEAR
    )
    population.do_save_figures(
        None, municipality, found[DimensionKind.GENDER].key, GENDERS, SOURCE, YEAR
    )
    for n in range(MEMBERS):
        profile = _profile(n, rng, by_district)
        profile["krins"] = profile.get("krins", "")
        actions.do_join(_member(n, rng), instance, profile, consent=True)
    target = (
        MethodInstance.objects.filter(
            process=instance.process, method_key="survey", is_published=True
        )
        .order_by("pk")
        .first()
    )
    if target is None:
        return 0
    made = draws.do_draw(
        None,
        instance,
        target=target,
        size=DRAW_SIZE,
        dimensions=[
            found[DimensionKind.AGE_BAND].key,
            found[DimensionKind.GENDER].key,
            district.key,
        ],
        seed=rng.randrange(10**9),
    )
    invites.do_send_invitations(None, made)
    return 0
