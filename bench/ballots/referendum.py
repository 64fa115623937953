"""The referendum's part of the ballot bench: an open advisory referendum, verified voters.

Each voter is an account verified with e-ID (keyed hash of a national id, year of birth)
and a logged-in session made beforehand, as if each had logged in with ID-porten: the
bench measures the vote, not the login. The residence provider is the default one
(declared), so the ballot carries ``lives_here`` and ``district`` as the form asks.

Nothing stored links a person to a ballot, so "nothing acknowledged lost" is checked the
only way it can be: every acknowledged voter is on the roll, and the ballots number
exactly the roll's electronic entries.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from ballots.client import Submission

DISTRICTS = ("Sentrum", "Kaia", "Nordbygda")


def build(voters: int) -> dict[str, Any]:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone
    from tests import factories
    from tests.methods.referendum.conftest import announce, make_instance

    from medvirk.identity import hashing
    from medvirk.identity.models import User
    from medvirk.methods.referendum.models import Option

    org = factories.municipality("Roystevik")
    officer = factories.staff(org)
    vote = make_instance(org)
    referendum = announce(vote, officer, roll_size=voters + 100)
    options = list(Option.objects.filter(referendum=referendum).values_list("pk", flat=True))
    now = timezone.now()
    people = [
        User(
            username=f"velgar{n}",
            national_id_hash=hashing.national_id_hash(f"bench-referendum-{n}"),
            birth_year=1950 + n % 55,
            verified_at=now,
            verified_via="bench",
            password="!",  # unusable: they log in with e-ID
        )
        for n in range(voters + 1)
    ]
    User.objects.bulk_create(people, batch_size=2000)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = "django.contrib.auth.backends.ModelBackend"  # what an e-ID login uses
    sessions: list[str] = []
    for user in User.objects.filter(username__startswith="velgar").order_by("pk"):
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    return {
        "referendum": referendum.pk,
        "path": vote.instance.get_absolute_url() + "stem/",
        "options": options,
        "sessions": sessions,
        "voters": voters,
        "cookie": settings.SESSION_COOKIE_NAME,
        "day": dt.date.today().isoformat(),
    }


def submission(index: int, info: dict[str, Any]) -> Submission:
    """Voter ``index``; a negative index is the one extra voter, voting again and again."""
    voter = index if index >= 0 else info["voters"]
    rng = secrets.SystemRandom()
    option = info["options"][voter % len(info["options"])]
    return Submission(
        key=str(voter),
        path=info["path"],
        fields=[
            ("choice", str(option)),
            ("lives_here", "on"),
            ("district", DISTRICTS[voter % len(DISTRICTS)]),
        ],
        cookies={info["cookie"]: info["sessions"][voter]},
        address=f"10.{rng.randrange(1, 250)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
        expect=option,
    )


def stored(info: dict[str, Any]) -> dict[str, int]:
    from medvirk.methods.referendum.models import Ballot, RollEntry

    roll = RollEntry.objects.filter(referendum_id=info["referendum"]).count()
    ballots = Ballot.objects.filter(referendum_id=info["referendum"]).count()
    return {"ballots": ballots, "roll": roll, "unmatched": abs(roll - ballots)}


def missing(info: dict[str, Any], acknowledged: list[Any]) -> int:
    """Acknowledged voters not on the roll, plus any roll entry without its ballot."""
    from medvirk.identity import hashing
    from medvirk.methods.referendum import keys
    from medvirk.methods.referendum.models import RollEntry

    on_roll = set(
        RollEntry.objects.filter(referendum_id=info["referendum"]).values_list(
            "voter_hash", flat=True
        )
    )
    lost = 0
    for outcome in acknowledged:
        identity = hashing.national_id_hash(f"bench-referendum-{outcome.key}")
        if keys.voter_key(info["referendum"], identity) not in on_roll:
            lost += 1
    return lost + stored(info)["unmatched"]
