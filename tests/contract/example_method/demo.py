"""Demo seed: a few of Lillevik's ideas (nynorsk, the municipality's målform), handed in
through the same action as the web form. They are content, not interface text: not translated.
"""

from __future__ import annotations

import random

from django.contrib.auth.models import AnonymousUser

from medvirk.processes.types import MethodInstance

from . import actions

IDEAS = [
    "Gapahuk ved fotballbana, så bygda har ein stad å samlast når det regnar.",
    "Benkar langs skulevegen for dei eldste og dei minste.",
    "Ein skulehage der elevane dyrkar grønsaker saman med pensjonistane.",
    "Lys på turstien bak skulen, så han kan brukast om vinteren.",
    "Sykkelparkering med tak ved inngangen.",
    "Klatrevegg i gymsalen som klubbane kan bruke på kveldstid.",
]


def seed(instance: MethodInstance, rng: random.Random) -> int:
    """Hand in every demo idea once, in a random order; returns how many."""
    ideas = list(IDEAS)
    rng.shuffle(ideas)
    for text in ideas:
        actions.do_submit_idea(AnonymousUser(), instance, text)
    return len(ideas)
