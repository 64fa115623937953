"""Demo seed: Lillevik's survey about the school, in nynorsk (the municipality's målform).

The questions and answers are Lillevik's own content, not interface text, so they are
not translated. Answers go through the same action as a resident's web form.
"""

from __future__ import annotations

import random
from typing import Any

from django.contrib.auth.models import AnonymousUser

from medvirk.contributions.models import Channel, Contribution
from medvirk.processes.models import MethodInstance

from . import actions, role_actions
from .models import Question, QuestionKind

USE = [
    ("elev", "Eg går på skulen"),
    ("barn", "Eg har barn på skulen"),
    ("tilsett", "Eg arbeider på skulen"),
    ("fritid", "Eg bruker gymsalen eller uteområdet på fritida"),
    ("ingen", "Eg bruker ikkje skulen"),
]
OPTIONS = [
    ("leggje_ned", "Leggje ned skulen"),
    ("rehabilitere", "Rehabilitere (pusse opp) skulen"),
    ("nybygg_same_tomt", "Byggje ny skule på same tomta"),
    ("nybygg_ny_tomt", "Byggje ny skule ein annan stad"),
    ("slaa_saman", "Slå saman med ein annan skule"),
]
PRIORITIES = [
    ("skuleveg", "Trygg og kort skuleveg"),
    ("inneklima", "Godt inneklima"),
    ("uteomraade", "Gode uteområde"),
    ("kostnad", "Låg kostnad for kommunen"),
    ("naermiljo", "Skulen som samlingsstad i bygda"),
]
AGES = [
    ("under_13", "Under 13 år"),
    ("13_17", "13–17 år"),
    ("18_34", "18–34 år"),
    ("35_66", "35–66 år"),
    ("67_over", "67 år eller eldre"),
]
RELATIONS = [
    ("elev", "Elev"),
    ("forelder", "Forelder"),
    ("laerar", "Lærar eller anna tilsett"),
    ("nabo", "Nabo"),
    ("annan", "Anna"),
]
SEXES = [("kvinne", "Kvinne"), ("mann", "Mann"), ("anna", "Anna")]
# The districts of the demo's population table (insights/demo_data/lillevik-krinsar.csv),
# so answers can be compared with who lives there; Fjellgarden answers seldom.
DISTRICTS = [
    ("sentrum", "Lillevik sentrum"),
    ("nordvik", "Nordvik"),
    ("sorstranda", "Sørstranda"),
    ("fjellgarden", "Fjellgarden"),
]
TEXTS = [
    "Det luktar mugg i klasseromma, og fleire barn får vondt i hovudet. Det hastar.",
    "Skulen er hjartet i bygda. Legg de han ned, flyttar barnefamiliane.",
    "Bygg ny skule på same tomta, så slepp borna lang skuleveg langs fylkesvegen.",
    "Skulevegen langs fylkesvegen er farleg i dag. Tenk på gang- og sykkelveg same kva de vel.",
    "Rehabilitering blir dyrt og gir oss likevel ein gammal skule. Bygg nytt.",
    "Kommunen har dårleg råd. Eit samanslått skulemiljø kan gi betre fagmiljø for lærarane.",
    "Høyr på elevrådet! Dei har klaga på toaletta og ventilasjonen i fleire år.",
    "Uteområdet og fotballbana blir brukt heile veka av heile bygda. Ta vare på det.",
    "Kva kostar dei ulike alternativa over 40 år? Det må kommunestyret vite før dei vel.",
    "Mellombels paviljong medan de byggjer, så borna slepp å bli bussa bort i fleire år.",
    "Eg er redd for at ein ny skule ein annan stad blir liggjande for langt unna for dei minste.",
    "Gymsalen er for liten og garderobane er i elendig stand.",
]
# Preferences differ by who is asking: parents and pupils want the school to stay.
PREFERENCE_WEIGHTS: dict[str, list[int]] = {
    "elev": [2, 20, 55, 13, 10],
    "forelder": [3, 25, 50, 12, 10],
    "laerar": [5, 20, 35, 20, 20],
    "nabo": [10, 35, 30, 10, 15],
    "annan": [15, 25, 20, 15, 25],
}


def _questions(instance: MethodInstance) -> dict[str, Question]:
    existing = {q.text: q for q in Question.objects.filter(method_instance=instance)}
    spec: list[dict[str, Any]] = [
        {
            "name": "use",
            "kind": QuestionKind.MULTIPLE,
            "text": "Korleis bruker du skulen i dag?",
            "choices": USE,
        },
        {
            "name": "option",
            "kind": QuestionKind.SINGLE,
            "text": "Kva alternativ føretrekkjer du?",
            "help_text": "Kommunestyret vel mellom desse alternativa. Les meir om kvart av dei "
            "på sida om saka.",
            "choices": OPTIONS,
            "required": True,
        },
        {
            "name": "route",
            "kind": QuestionKind.SCALE,
            "text": "Kor viktig er kort skuleveg for deg?",
            "choices": [("1", "ikkje viktig"), ("5", "svært viktig")],
        },
        {
            "name": "ranking",
            "kind": QuestionKind.RANKING,
            "text": "Ranger det som er viktigast for deg",
            "choices": PRIORITIES,
        },
        {
            "name": "text",
            "kind": QuestionKind.TEXT,
            "text": "Kva bør kommunestyret vite før dei bestemmer seg?",
        },
        {
            "name": "age",
            "kind": QuestionKind.SINGLE,
            "text": "Kor gammal er du?",
            "choices": AGES,
            "is_demographic": True,
        },
        {
            "name": "relation",
            "kind": QuestionKind.SINGLE,
            "text": "Kva er tilknytinga di til skulen?",
            "choices": RELATIONS,
            "is_demographic": True,
        },
        {
            "name": "sex",
            "kind": QuestionKind.SINGLE,
            "text": "Kjønn",
            "choices": SEXES,
            "is_demographic": True,
        },
        {
            "name": "district",
            "kind": QuestionKind.SINGLE,
            "text": "Kvar bur du?",
            "choices": DISTRICTS,
            "is_demographic": True,
            "role": "district",
        },
    ]
    out: dict[str, Question] = {}
    for item in spec:
        question = existing.get(item["text"])
        if question is None:
            question = actions.do_add_question(
                None,
                instance,
                kind=item["kind"],
                text=item["text"],
                help_text=item.get("help_text", ""),
                choices=[{"key": k, "label": label} for k, label in item.get("choices", [])],
                required=item.get("required", False),
                is_demographic=item.get("is_demographic", False),
            )
            if item.get("role"):
                role_actions.do_set_role(None, question, item["role"])
        out[item["name"]] = question
    return out


def _one(rng: random.Random, q: dict[str, Question]) -> tuple[dict[int, Any], bool, str]:
    relation = rng.choices([k for k, _ in RELATIONS], weights=[25, 35, 10, 20, 10])[0]
    responses: dict[int, Any] = {}
    use = {
        "elev": ["elev", "fritid"],
        "forelder": ["barn", "fritid"],
        "laerar": ["tilsett"],
        "nabo": ["fritid"],
        "annan": ["ingen"],
    }[relation]
    responses[q["use"].pk] = use[: rng.randint(1, len(use))]
    option = rng.choices([k for k, _ in OPTIONS], weights=PREFERENCE_WEIGHTS[relation])[0]
    responses[q["option"].pk] = option
    if rng.random() < 0.9:
        base = 4 if relation in ("elev", "forelder") else 3
        responses[q["route"].pk] = max(1, min(5, base + rng.choice([-2, -1, 0, 0, 1, 1])))
    if rng.random() < 0.7:
        keys = [k for k, _ in PRIORITIES]
        weights = {"skuleveg": 5, "inneklima": 6, "uteomraade": 3, "kostnad": 2, "naermiljo": 4}
        if relation in ("nabo", "annan"):
            weights["kostnad"] = 6
        order = sorted(keys, key=lambda k: rng.random() ** (1 / weights[k]), reverse=True)
        responses[q["ranking"].pk] = {k: i + 1 for i, k in enumerate(order)}
    if rng.random() < 0.35:
        responses[q["text"].pk] = rng.choice(TEXTS)
    consent = rng.random() < 0.75
    if consent:
        age = {
            "elev": rng.choice(["under_13", "under_13", "13_17"]),
            "forelder": rng.choice(["18_34", "35_66", "35_66"]),
            "laerar": rng.choice(["18_34", "35_66"]),
            "nabo": rng.choice(["35_66", "67_over", "18_34"]),
            "annan": rng.choice(["18_34", "35_66", "67_over"]),
        }[relation]
        responses[q["age"].pk] = age
        responses[q["relation"].pk] = relation
    return responses, consent, relation


def seed(instance: MethodInstance, rng: random.Random, n: int = 200) -> int:
    """Create the Lillevik survey's questions and ``n`` answer sets; return how many.

    The instance must be published in a running phase of a published process: answers are
    taken through :func:`actions.do_answer` exactly as from the web form. (The demo
    instance's settings make the results public, so the demo shows them.)
    """
    questions = _questions(instance)
    anonymous = AnonymousUser()
    before = Contribution.objects.filter(method_instance=instance, kind=actions.KIND).count()
    for i in range(n):
        responses, consent, _relation = _one(rng, questions)
        if consent:
            # Their own generator, so the rest of the demo draws the same numbers as before.
            side = random.Random(i)
            responses[questions["sex"].pk] = side.choices(["kvinne", "mann", "anna"], [58, 40, 2])[
                0
            ]
            responses[questions["district"].pk] = side.choices(
                [key for key, _label in DISTRICTS], [50, 28, 18, 4]
            )[0]
        email = f"innbyggjar{i + 1}@example.org" if rng.random() < 0.3 else ""
        actions.do_answer(
            anonymous,
            instance,
            responses,
            key=f"{rng.getrandbits(128):032x}",
            consent=consent,
            contact_email=email,
            channel=Channel.WEB,
        )
    return Contribution.objects.filter(method_instance=instance, kind=actions.KIND).count() - before
