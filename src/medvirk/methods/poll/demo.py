"""Demo seed: Lillevik's quick poll about the new school, in nynorsk (the municipality's
målform). The question and options are Lillevik's own content, not interface text, so they
are not translated. Votes go through the same action as a resident's vote.
"""

from __future__ import annotations

import random

from django.contrib.auth.models import AnonymousUser

from medvirk.contributions.models import Contribution
from medvirk.processes.models import MethodInstance

from . import actions, queries

QUESTION = "Kva er viktigast for den nye skulen?"
OPTIONS = [
    "Trygg skuleveg",
    "Godt inneklima",
    "Store uteområde",
    "Samlingsstad for bygda",
]
WEIGHTS = [30, 25, 15, 20]


def seed(instance: MethodInstance, rng: random.Random, n: int = 60) -> int:
    """Create the question and ``n`` anonymous votes, each from its own (made-up) browser."""
    question = queries.poll(instance)
    if question is None:
        question = actions.do_save_poll(None, instance, QUESTION, OPTIONS)
    options = queries.options(question)
    before = Contribution.objects.filter(method_instance=instance, kind=actions.KIND).count()
    anonymous = AnonymousUser()
    for _i in range(n):
        option = rng.choices(options, weights=WEIGHTS[: len(options)])[0]
        actions.do_vote(
            anonymous, instance, option.pk, session_key=f"demo-{rng.getrandbits(128):032x}"
        )
    return Contribution.objects.filter(method_instance=instance, kind=actions.KIND).count() - before
