"""The Lillevik demo's opinion map: statements about the school, in nynorsk (the
municipality's målform), and about 120 made-up participants who vote in three latent
opinion groups, so the map shows groups and common ground.

The statements and the people's leanings are Lillevik's own content, not interface text,
so they are not translated. Everything goes through the method's own actions, as staff and
residents would: the municipality's statements (``staff_actions``, audited as the case
officer), votes (``actions.do_vote``, each participant a browser of its own), participants'
statements (``actions.do_add_statement``: contributions a moderator approves), and answers
through ``accountability.do_respond``. The map is drawn once at the end.
"""

from __future__ import annotations

import random

from django.contrib.auth.models import AnonymousUser

from medvirk.accountability.actions import do_respond
from medvirk.contributions.actions import do_approve
from medvirk.identity.models import User
from medvirk.organisations.models import Membership, Role
from medvirk.processes.models import MethodInstance

from . import actions, mapping, staff_actions
from .models import Statement

# Each statement with how likely each latent group is to agree: A wants the school to stay
# in the village, B a larger school in the centre, C to renovate and keep the costs down.
# Some are common ground (all groups agree).
STATEMENTS: list[tuple[str, tuple[float, float, float]]] = [
    ("Skulen bør liggje i bygda, også om det kostar meir.", (0.92, 0.15, 0.55)),
    ("Ein ny skule bør byggjast på same tomt som i dag.", (0.7, 0.25, 0.35)),
    ("Det er betre å pusse opp den gamle skulen enn å byggje nytt.", (0.35, 0.1, 0.9)),
    ("Elevane treng betre inneklima no, ikkje om fem år.", (0.92, 0.9, 0.88)),
    ("Skulevegen må vere trygg før vi flyttar skulen nokon stad.", (0.9, 0.85, 0.88)),
    ("Ein større skule gir eit betre fagtilbod til elevane.", (0.15, 0.92, 0.4)),
    ("Lang skuleskyss er for tungt for dei minste elevane.", (0.9, 0.3, 0.6)),
    ("Kommunen har ikkje råd til å byggje ny skule no.", (0.25, 0.2, 0.88)),
    ("Skulen bør vere ein samlingsstad for heile bygda på kveldstid.", (0.88, 0.45, 0.6)),
    ("Vi bør slå saman skulen vår med skulen i sentrum.", (0.05, 0.88, 0.3)),
    ("Uteområdet er viktigare enn storleiken på klasseromma.", (0.75, 0.3, 0.5)),
    ("Elevrådet bør vere med og bestemme korleis skulen blir.", (0.9, 0.88, 0.9)),
    ("Paviljongar er greitt medan skulen blir bygd eller pussa opp.", (0.3, 0.75, 0.65)),
    ("Pengane er betre brukte på fleire lærarar enn på eit nytt bygg.", (0.4, 0.15, 0.85)),
]
# Participants' own statements: the first is approved and answered, the last waits for
# the moderator (so the queue shows one).
ADDED = (
    ("Gymsalen bør byggjast slik at idrettslaget kan leige han på kveldstid.", (0.85, 0.7, 0.5)),
    ("Bussen bør gå seinare etter skuletid, så elevane rekk aktivitetar.", (0.8, 0.6, 0.6)),
)
WAITING = "Kommunen må høyre meir på FAU før saka går til kommunestyret."
ANSWER = (
    "partly_adopted",
    "Kommunedirektøren tilrår ein gymsal med eigen inngang, slik at lag og foreiningar kan "
    "leige han om kveldane. Kor mykje det kostar, kjem fram i saksframlegget.",
)
GROUP_SIZES = (50, 40, 30)
# The people and their votes come from a seed of their own, so the demo's map stays the same
# whoever else in the demo draws from the shared generator before it.
SEED = 20261123
PASS_RATE = 0.06


def _staff_of(instance: MethodInstance, roles: tuple[str, ...]) -> User | None:
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


def _vote(rng: random.Random, lean: float) -> int:
    draw = rng.random()
    if draw < PASS_RATE:
        return 0
    return 1 if rng.random() < lean else -1


def seed(instance: MethodInstance, rng: random.Random) -> int:
    """The statements, ~120 participants' votes, two participants' statements (one
    answered) and one waiting for the moderator; the map drawn. Returns the contributions
    made (participants' statements; votes are not contributions)."""
    rng = random.Random(SEED)  # not the shared generator: see SEED
    officer = _staff_of(instance, (Role.CASE_OFFICER, Role.ADMINISTRATOR))
    moderator = _staff_of(instance, (Role.MODERATOR, Role.ADMINISTRATOR))
    existing = set(
        Statement.objects.filter(method_instance=instance).values_list("text", flat=True)
    )
    leans: dict[int, tuple[float, float, float]] = {}
    for text, lean in STATEMENTS:
        if text in existing:
            continue
        leans[staff_actions.do_add_seed(officer, instance, text).pk] = lean
    anonymous = AnonymousUser()
    made = 0
    people = [g for g, size in enumerate(GROUP_SIZES) for _n in range(size)]
    rng.shuffle(people)
    half = len(people) // 2
    for n, group in enumerate(people):
        if n == half:
            # Halfway, two participants add statements; a moderator approves them and the
            # rest of the participants vote on them too.
            for text, lean in ADDED:
                receipt = actions.do_add_statement(anonymous, instance, text)
                made += 1
                if moderator is not None:
                    do_approve(moderator, receipt.contribution)
                    added = Statement.objects.get(contribution=receipt.contribution)
                    leans[added.pk] = lean
        browser = f"demo-{rng.getrandbits(128):032x}"
        chosen = rng.sample(sorted(leans), k=min(len(leans), rng.randint(11, 16)))
        actions.do_votes(
            anonymous,
            instance,
            {sid: _vote(rng, leans[sid][group]) for sid in chosen},
            session_key=browser,
            recompute=False,
        )
    mapping.draw_now(instance.pk)
    answered = Statement.objects.filter(
        method_instance=instance, contribution__isnull=False, text=ADDED[0][0]
    ).first()
    if officer is not None and answered is not None and answered.contribution is not None:
        status, reason = ANSWER
        do_respond(officer, instance.process, [answered.contribution.pk], status, reason)
    # Last, so the demo's moderator leaves it waiting in the queue.
    actions.do_add_statement(anonymous, instance, WAITING)
    return made + 1
