"""The Lillevik school's participation plan for the demo (nynorsk, like the municipality).

``seed_plan(process, officer)`` fills in the five steps through the same actions the
wizard uses, accepts the required recommendations of the first phase, and publishes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from medvirk.processes.models import MethodInstance

from . import actions, advice
from .models import Plan, PlannedActivity

if TYPE_CHECKING:
    from medvirk.identity.models import User
    from medvirk.processes.models import Process

WHY = {
    "purposes": ["anchoring", "learning"],
    "use": (
        "Innspela blir samla i saksframlegget til kommunestyret før dei vel alternativ for "
        "skulen. Vi vil vite kva som er viktig for elevane, foreldra og nærmiljøet, og kva "
        "som må vere med i alle alternativa."
    ),
}
STAKES = {
    "residents": (3, 2),
    "volunteers": (1, 1),
    "enthusiasts": (2, 3),
    "business": (1, 1),
    "municipality": (3, 2),
    "elderly": (1, 1),
    "day_workers": (3, 1),
}
GROUPS = [
    {
        "name": "Elevane og elevrådet ved Lillevik skule",
        "kind": "pupils",
        "affected": 3,
        "speaks_up": 1,
        "ages": ["6-12"],
        "setting": "I klassen, med kontaktlæraren",
        "time": "school_hours",
        "minutes": 90,
    },
    {
        "name": "FAU og foreldra",
        "kind": "parents",
        "affected": 3,
        "speaks_up": 3,
        "ages": ["20-66"],
        "setting": "Foreldremøte og henting på SFO",
        "time": "evening",
        "minutes": 60,
    },
    {
        "name": "Ungdommane i bygda",
        "kind": "youth",
        "affected": 2,
        "speaks_up": 1,
        "ages": ["13-15", "16-19"],
        "setting": "Ungdomsklubben på fredagar",
        "time": "evening",
        "minutes": 30,
    },
    {
        "name": "Familiar som les lite norsk",
        "kind": "minority_language",
        "affected": 2,
        "speaks_up": 0,
        "setting": "Når dei hentar borna, med tolk",
        "time": "daytime",
        "minutes": 15,
    },
    {
        "name": "Idrettslaget og korpset som bruker skulen",
        "kind": "associations",
        "affected": 2,
        "speaks_up": 3,
        "setting": "Styremøte",
        "time": "evening",
        "minutes": 60,
    },
    {
        "name": "Naboane til skuletomta",
        "kind": "neighbours",
        "affected": 2,
        "speaks_up": 2,
        "time": "evening",
    },
]
WHO = {
    "stakeholders": {k: {"affected": a, "speaks_up": s} for k, (a, s) in STAKES.items()},
    "groups": GROUPS,
    "silent": (
        "Foreldre som arbeider skift, familiar som les lite norsk, og elevane sjølve, som "
        "sjeldan blir spurde."
    ),
    "weigh_more": (
        "Elevane og dei som bur i krinsen, fordi dei ber konsekvensane kvar dag. FAU og "
        "elevrådet har klaga, men dei er ikkje dei einaste som blir råka."
    ),
    "know_enough": "no",
    "public_debate": True,
}
WHEN = {
    "open_phases": ["investigation", "alternatives"],
    "weeks": 17,
    "note": (
        "Vi opnar no, i utgreiinga, og igjen når alternativa ligg føre. Etter at alternativa "
        "er lagde fram, kan innspel framleis endre kva kommunedirektøren tilrår."
    ),
}
REFLECT = {
    "prepare": "Kva som er bestemt (bygget kan ikkje brukast slik det er, ramma er 180 mill.).",
    "role": "Vi lyttar og forklarer; vi forsvarer ikkje eit ferdig forslag.",
    "room": "Val av alternativ, skulevegen og bruk av skulen etter skuletid.",
    "care": "Trygg skuleveg, eit godt inneklima og at skulen blir verande i bygda.",
    "agenda": "Kommunestyret treng eit breitt grunnlag før vedtaket i haust.",
    "value_short": "Svar på spørsmål om tilstanden og kva som skjer med elevane no.",
    "value_long": "Ein skule som passar for bygda i mange år.",
    "achieve": "At alle alternativa er vurderte med augo til dei som bruker skulen.",
    "tone": "Open, konkret og utan fagord.",
    "clarity": "Éi side med fakta, kart og kva som er ope.",
    "attention": "Fem minutt for spørjeundersøkinga, tre skuletimar for Barnetråkk.",
    "setting": "På skulen, på butikken og på nett – der folk alt er.",
    "takeaway": "At dei vart høyrde, og kvar dei kan sjå kva som vart gjort med innspelet.",
    "trust": "Eit grunngitt svar på kvart innspel, og ein plan dei kan følgje.",
}


def answers_for(process: Process) -> dict[str, dict[str, Any]]:
    return {
        "why": WHY,
        "who": WHO,
        "when": WHEN,
        "room": {
            "open": process.open_to_influence,
            "decided": process.already_decided,
            "decision_state": "open",
            "case_kind": "building",
            "place_based": True,
            "wider_plan": True,
            "languages": "polsk, arabisk",
            "plan_type": "",
            "decision_maker": "kommune",
            "budget": 180_000_000,
            "budget_to_allocate": False,
            "yes_no_question": False,
            "from_initiative": False,
            "resources": "medium",
        },
        "reflect": REFLECT,
    }


def seed_plan(process: Process, officer: User) -> Plan:
    plan = actions.do_start_plan(officer, process)
    for step, values in answers_for(process).items():
        plan = actions.do_save_step(officer, plan, step, values)
    recommendation = advice.recommendation(plan)
    first = recommendation.phases[0]
    for pick in first.picks:
        if pick.function not in ("facts", "statutory", "councils", "children"):
            continue
        if pick.medvirk_method is None:
            actions.do_accept(officer, plan, pick.key, first.phase)
            continue
        # Medvirk's own methods already run in the demo: the plan points at that instance
        # instead of making a second, empty one.
        running = (
            MethodInstance.objects.filter(process=process, method_key=pick.medvirk_method)
            .order_by("pk")
            .first()
        )
        if running is not None:
            PlannedActivity.objects.create(
                plan=plan,
                catalogue_key=pick.key,
                phase_kind=first.phase,
                phase=running.phase,
                method_instance=running,
                created_by=officer,
            )
    return actions.do_publish(officer, plan)
