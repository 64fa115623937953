"""Demo seed: «Elevbudsjett for skuleplassen» at Lillevik skule (nynorsk, the municipality's
målform), made through the method's own actions as pupils and the case officer would.

- The pupils hand in ideas for the schoolyard; the case officer costs them, puts seven on
  the ballot, merges a duplicate, says no to a swimming pool (with the reason) and adds a
  bicycle shed the parents' council asked for at a meeting.
- With voting codes (the demo's setting), the officer makes codes for two groups of
  classes, opens the vote, 320 pupils vote with the knapsack ballot (200 000 kr), the vote
  is closed and counted with the method of equal shares, and a funded project gets its
  first follow-up update.

For any other instance (e-ID voting, as in the contract tests) the seed stops after the
review: it cannot make up people with e-ID. Content, not interface text: not translated.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from medvirk.accountability.models import ResponseStatus
from medvirk.identity.models import User
from medvirk.organisations.models import Membership, Role
from medvirk.processes.models import MethodInstance

from . import actions, counting, staff_actions, stages
from .config import CODES, rules_of
from .models import Project, VotingCode

# (title, description, the pupils' guess, the municipality's estimate)
IDEAS = [
    (
        "Klatrevegg ved gymsalen",
        "Ein klatrevegg på langveggen til gymsalen, med mjukt underlag. Då kan vi klatre i "
        "friminutta, og ikkje berre i kroppsøvingstimane.",
        50_000,
        85_000,
    ),
    (
        "Nye fotballmål med nett",
        "Måla på grusbana er rustne og nettet er borte. Vi ønskjer to nye mål med nett, så "
        "ballen ikkje forsvinn ned i bekken.",
        20_000,
        28_000,
    ),
    (
        "Gapahuk med benkar",
        "Ein gapahuk der vi kan sitje når det regnar, ete matpakka ute og ha uteskule.",
        60_000,
        70_000,
    ),
    (
        "Fuglereirhuske for dei minste",
        "Ei stor rund huske som fleire kan sitje i samstundes. Dei små elevane står alltid i "
        "kø ved dei to vanlege huskene.",
        30_000,
        45_000,
    ),
    (
        "Basketballkorg og oppmerkt bane",
        "To basketballkorger og strekar på asfalten, så vi kan spele basket og andre ballspel.",
        None,
        32_000,
    ),
    (
        "Skulehage med bærbuskar",
        "Pallekarmar med grønsaker og bærbuskar langs gjerdet, som klassane kan stelle saman "
        "med naturfag.",
        10_000,
        15_000,
    ),
    (
        "Bordtennisbord i betong",
        "Eit bordtennisbord som toler å stå ute heile året, ved inngangen til mellomtrinnet.",
        15_000,
        22_000,
    ),
]
DUPLICATE = (
    "Fotballmål som ikkje er øydelagde",
    "Vi treng nye fotballmål på grusbana. Dei gamle er skeive og har ikkje nett.",
    15_000,
)
POOL = (
    "Basseng på skuleplassen",
    "Eit lite basseng til sommaren, så vi kan bade i friminutta i juni.",
    150_000,
)
POOL_ANSWER = (
    "Takk for ideen! Eit basseng kostar fleire millionar kroner å byggje og mykje å drive, "
    "og det må ha vakt når det er i bruk. Det er langt meir enn elevbudsjettet, så det kan "
    "dessverre ikkje vere med på stemmesetelen. Kommunen har fått ideen med seg i arbeidet "
    "med den nye symjehallen."
)
BIKES = (
    "Sykkelstativ med tak",
    "Foreldrerådet (FAU) ønskte seg eit sykkelstativ med tak, så syklane står tørt og fleire "
    "kan sykle til skulen.",
    38_000,
)
# Two groups of pupils and what each likes best, most wanted first (indices into the
# projects on the ballot in the order above; the bicycle shed is last).
YOUNGER = [3, 5, 0, 2, 1, 7, 6, 4]
OLDER = [0, 1, 4, 2, 6, 7, 5, 3]
BALLOTS = {"1.–4. trinn": (150, YOUNGER), "5.–7. trinn": (170, OLDER)}
SPARE = 8
UPDATE = (
    "Bestilt frå leverandøren, og det kjem i byrjinga av august. Vaktmeisteren har gjort klar "
    "staden, og elevrådet får vere med når det blir sett opp."
)


def _officer(instance: MethodInstance) -> User | None:
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


def _ballot(rng: random.Random, liked: list[int], ballot: list[Project], budget: int) -> dict:
    """A pupil's ballot: mostly their group's favourites, some of their own, within budget."""
    order = list(liked)
    for i in range(len(order) - 1):
        if rng.random() < 0.35:
            order[i], order[i + 1] = order[i + 1], order[i]
    wanted = rng.randint(2, 4)
    chosen: dict[int, int] = {}
    spent = 0
    for index in order:
        project = ballot[index]
        cost = int(project.cost or 0)
        if spent + cost <= budget:
            chosen[project.number] = 1
            spent += cost
        if len(chosen) >= wanted:
            break
    return chosen


def seed(instance: MethodInstance, rng: random.Random) -> int:
    """The ideas, the review and (with voting codes) the vote and its count; returns how
    many inputs were made."""
    if Project.objects.filter(method_instance=instance).exists():
        return 0
    if actions.stage_of(instance) != stages.Stage.IDEAS:
        return 0
    pupil = AnonymousUser()
    made: list[tuple[Project, int]] = []
    for title, text, guess, estimate in IDEAS:
        idea = actions.Idea(title=title, description=text, proposed_cost=guess)
        made.append((actions.do_propose(pupil, instance, idea).project, estimate))
    duplicate = actions.do_propose(
        pupil, instance, actions.Idea(DUPLICATE[0], DUPLICATE[1], DUPLICATE[2])
    ).project
    pool = actions.do_propose(pupil, instance, actions.Idea(POOL[0], POOL[1], POOL[2])).project
    officer = _officer(instance)
    if officer is None:
        return len(IDEAS) + 2
    for project, estimate in made:
        staff_actions.do_review(
            officer,
            instance,
            project.number,
            staff_actions.Review(
                staff_actions.ACCEPT,
                staff_actions.Ballotline(project.title, project.description, estimate),
            ),
        )
    staff_actions.do_review(
        officer,
        instance,
        duplicate.number,
        staff_actions.Review(staff_actions.MERGE, merge_into=made[1][0].number),
    )
    staff_actions.do_review(
        officer,
        instance,
        pool.number,
        staff_actions.Review(
            staff_actions.REJECT, reason=POOL_ANSWER, refusal=ResponseStatus.NOT_ADOPTED
        ),
    )
    staff_actions.do_add_project(
        officer, instance, staff_actions.Ballotline(BIKES[0], BIKES[1], BIKES[2])
    )
    rules = rules_of(instance)
    if rules.voters != CODES:
        return len(IDEAS) + 2
    return len(IDEAS) + 2 + _vote(instance, officer, rng)


def _vote(instance: MethodInstance, officer: User, rng: random.Random) -> int:
    """Codes for two groups of classes, 320 ballots, the close, the count and an update."""
    rules = rules_of(instance)
    now = timezone.now()
    ballot = [p for p in Project.objects.filter(method_instance=instance, status="accepted")]
    ballot.sort(key=lambda p: p.number)
    groups = []
    for label, (voters, liked) in BALLOTS.items():
        batch = staff_actions.do_make_codes(
            officer, instance, label=f"{label}, Lillevik skule", count=voters + SPARE
        )
        codes = list(VotingCode.objects.filter(batch=batch).order_by("pk"))
        groups.append((codes[:voters], liked))
    staff_actions.do_open_vote(officer, instance, now + dt.timedelta(days=1), now=now)
    cast = 0
    for codes, liked in groups:
        for code in codes:
            chosen = _ballot(rng, liked, ballot, rules.budget)
            actions.do_vote(AnonymousUser(), instance, chosen, code=code.code)
            cast += 1
    # A few pupils change their minds: the last ballot counts.
    for code in groups[0][0][:6]:
        chosen = _ballot(rng, groups[1][1], ballot, rules.budget)
        actions.do_vote(AnonymousUser(), instance, chosen, code=code.code)
    staff_actions.do_close_vote(officer, instance)
    # Counted here and not only by the task: the demo is loaded in one transaction, and the
    # task (queued for after the commit) then finds it counted already.
    counting.count_instance(instance.pk)
    funded = (
        Project.objects.filter(method_instance=instance).exclude(delivery="").order_by("number")
    ).first()
    if funded is not None:
        staff_actions.do_update_progress(
            officer,
            instance,
            funded.number,
            staff_actions.Progress(
                delivery="in_progress", text=UPDATE, date=timezone.localdate(now)
            ),
        )
    return cast
