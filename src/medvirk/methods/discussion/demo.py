"""Demo seed: Lillevik's discussion about using the school after school hours, in nynorsk
(the municipality's målform). The texts are Lillevik's own content, not interface text, so
they are not translated.

Everything goes through the method's own actions, as staff and residents would: the
question through ``staff_actions`` (as the case officer, audited), posts, replies and
reactions through ``actions`` (with their checks, screening and moderation; the moderator
approves what waits), a reply from the case officer and one from an elected
representative as themselves, and answers to some posts through ``accountability.do_respond``.
"""

from __future__ import annotations

import random

from django.contrib.auth.models import AnonymousUser

from medvirk.accountability.actions import do_respond
from medvirk.contributions.actions import do_approve
from medvirk.contributions.models import Contribution, ModerationState
from medvirk.identity.models import User
from medvirk.organisations.models import Membership, Role
from medvirk.processes.models import MethodInstance

from . import actions, staff_actions
from .actions import Writing

TOPIC = "Korleis kan skulen brukast etter skuletid?"
TOPIC_BODY = (
    "Den nye skulen kan få gymsal, musikkrom og skulekjøken som lag og foreiningar kan bruke "
    "om kveldane, og eit uteområde som er ope for alle. Kva treng bygda? Skriv kva du meiner, "
    "og svar gjerne kvarandre. Kommunen les alt og svarar."
)
POLITICIAN = ("Marit", "Bakke")

# Top-level posts: (on the question, name or "", text).
POSTS: tuple[tuple[bool, str, str], ...] = (
    (
        True,
        "Solveig Nes",
        "Korpset øver to kveldar i veka og treng eit lager for instrument ved musikkrommet. "
        "No ber vi alt inn og ut kvar gong.\n\nEit låsbart lager ville gjort det mykje "
        "lettare å drive korps for borna.",
    ),
    (
        True,
        "",
        "Skulekjøkenet kunne vore ope for matkurs for vaksne og ungdom om kveldane, og for "
        "eldre som vil ete middag saman ein gong i veka.",
    ),
    (
        True,
        "Per Ås",
        "Ballbingen må ha lys om vinteren, elles blir han ikkje brukt etter klokka fire.",
    ),
    (
        False,
        "Ingrid Haugland",
        "Kva skjer med skulevegen medan det blir bygd? Anleggstrafikken må ikkje gå der "
        "borna går om morgonen.",
    ),
)
# Replies: (index of the post replied to among the posts and replies so far, who, text).
# Who: "officer", "politician", or a resident's name ("" = no name).
REPLIES: tuple[tuple[int, str, str], ...] = (
    (
        0,
        "officer",
        "Takk for innspelet. Lager for instrument er med i romprogrammet vi arbeider med no, "
        "og vi tek det med til arkitekten.",
    ),
    (0, "Arne Bø", "Idrettslaget treng òg lager. Kanskje eitt felles lager med låsbare skap?"),
    (
        5,
        "politician",
        "Eit felles lager for laga er ein god idé. Eg tek det opp i oppvekstutvalet.",
    ),
    (3, "", "Einig. Anleggstrafikken bør gå ein annan veg til skulen, i alle fall om morgonen."),
)
# Reactions: (post index, stance, reason).
REACTIONS: tuple[tuple[int, str, str], ...] = (
    (0, "agree", "Korpset er viktig for heile bygda."),
    (0, "agree", "Eit lager gjer det lettare å drive lag på dugnad."),
    (0, "agree", "Eg har sjølv bore trommer inn og ut i fem år."),
    (0, "disagree", "Lageret må ikkje ta plass frå klasseromma."),
    (1, "agree", "Matkurs for ungdom hadde vore kjekt."),
    (1, "agree", "Middag for eldre mot einsemd, ja takk."),
    (2, "agree", "Borna spelar ball heile vinteren om det er lys."),
    (2, "disagree", "Lys heile kvelden plagar naboane. Slå det av klokka 21."),
    (3, "agree", "Tryggleiken til borna må kome først."),
    (5, "agree", "Felles lager er billegare og enklare."),
)
# Answers to top-level posts (post index → status, reason).
ANSWERS: dict[int, tuple[str, str]] = {
    0: (
        "partly_adopted",
        "Lager for instrument er med i romprogrammet. Om det blir felles for fleire lag, "
        "avgjer vi når teikningane er klare.",
    ),
    2: (
        "adopted",
        "Ballbingen får lys med tidsur, slik at han kan brukast til klokka 21 om vinteren.",
    ),
    3: (
        "under_review",
        "Vi lagar ein plan for anleggstrafikken saman med entreprenøren og legg han fram før "
        "byggestarten.",
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


def _politician(instance: MethodInstance) -> User:
    """The municipality's elected representative for the demo, made if there is none."""
    found = _member(instance, Role.POLITICIAN)
    if found is not None:
        return found
    municipality = instance.process.municipality
    first, last = POLITICIAN
    user = User(username=f"folkevald-{municipality.slug}"[:150], first_name=first, last_name=last)
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, municipality=municipality, role=Role.POLITICIAN)
    return user


def _shown(contribution: Contribution, moderator: User | None) -> None:
    """Approve what waits (the kommune pre-moderates anonymous free text), as the moderator."""
    if moderator is None:
        return
    if contribution.moderation in (ModerationState.PENDING, ModerationState.HELD):
        do_approve(moderator, contribution)


def seed(instance: MethodInstance, rng: random.Random) -> int:
    """The question, posts and replies with reactions; some posts answered."""
    officer = _member(instance, Role.CASE_OFFICER, Role.ADMINISTRATOR)
    moderator = _member(instance, Role.MODERATOR, Role.ADMINISTRATOR)
    politician = _politician(instance)
    topic = staff_actions.do_save_topic(officer, instance, title=TOPIC, body=TOPIC_BODY)
    anonymous = AnonymousUser()
    posts = []
    for on_topic, name, text in POSTS:
        receipt = actions.do_post(
            anonymous,
            instance,
            Writing(text=text, author_name=name, show_name=bool(name)),
            topic.pk if on_topic else None,
        )
        _shown(receipt.contribution, moderator)
        post = actions.post_of(receipt.contribution.pk)
        assert post is not None
        posts.append(post)
    for parent_index, who, text in REPLIES:
        parent = posts[parent_index]
        author: User | AnonymousUser
        if who == "officer" and officer is not None:
            author, writing = officer, Writing(text=text)
        elif who == "politician":
            author, writing = politician, Writing(text=text)
        else:
            author, writing = anonymous, Writing(text=text, author_name=who, show_name=bool(who))
        receipt = actions.do_reply(author, instance, parent.pk, writing)
        _shown(receipt.contribution, moderator)
        reply = actions.post_of(receipt.contribution.pk)
        assert reply is not None
        posts.append(reply)
    for index, stance, reason in REACTIONS:
        if index < len(posts):
            actions.do_react(
                anonymous,
                instance,
                posts[index].pk,
                stance,
                reason,
                session_key=f"demo-{rng.getrandbits(128):032x}",
            )
    if officer is not None:
        for index, (status, reason) in ANSWERS.items():
            do_respond(officer, instance.process, [posts[index].contribution_id], status, reason)
    return len(POSTS) + len(REPLIES)
