"""Votes under concurrency, on PostgreSQL: threads with their own database connections vote
at the same moment, and the database decides.

- one person sending 50 ballots at once: exactly one roll entry and one ballot;
- 300 people voting at once: all 300 stored;
- the close racing with votes: every vote that was acknowledged is in the count, every
  other was refused — nothing acknowledged is lost;
- the same change code used twice at once: one change.

Skipped on SQLite, which runs one write at a time and so cannot show a race; CI's second run
is on PostgreSQL (``DATABASE_URL=postgres://…``).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.utils import timezone

from medvirk.core.errors import ActionRefused
from medvirk.identity import hashing
from medvirk.identity.models import User
from medvirk.methods.referendum import actions, staff_actions
from medvirk.methods.referendum.models import Ballot, RollEntry
from medvirk.organisations.models import Municipality
from medvirk.processes.models import MethodInstance
from tests.concurrency import in_workers, require_postgresql
from tests.factories import DAY

from .conftest import Vote, announce, make_instance, person, voter

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _loaded(vote: Vote) -> MethodInstance:
    """A fresh instance with what the action reads, so threads share no lazy loading."""
    return MethodInstance.objects.select_related("process__municipality", "phase").get(
        pk=vote.instance.pk
    )


def _vote(instance: MethodInstance, user: User, choice: int, now: dt.datetime | None = None) -> str:
    try:
        actions.do_vote(
            user, instance, choice=str(choice), lives_here=True, district="Sentrum", now=now
        )
    except ActionRefused as refused:
        return str(refused.status)
    return "voted"


def test_one_person_sending_fifty_ballots_at_once_votes_once(vote: Vote, officer: Any) -> None:
    require_postgresql()
    announce(vote, officer)
    instance = _loaded(vote)
    yes = actions.options_of(vote.referendum)[0].pk
    kari = person("kari")
    outcomes = in_workers(lambda _i: _vote(instance, kari, yes), jobs=50, threads=50)
    assert outcomes.count("voted") == 1
    assert outcomes.count("409") == 49
    assert RollEntry.objects.count() == 1
    assert Ballot.objects.count() == 1


def test_three_hundred_people_voting_at_once_are_all_stored(vote: Vote, officer: Any) -> None:
    require_postgresql()
    announce(vote, officer)
    instance = _loaded(vote)
    yes, no = (o.pk for o in actions.options_of(vote.referendum))
    now = timezone.now()
    people = User.objects.bulk_create(
        [
            User(
                username=f"mange-{n}",
                national_id_hash=hashing.national_id_hash(f"mange-{n}"),
                birth_year=1980,
                verified_at=now,
                verified_via="test",
            )
            for n in range(300)
        ]
    )
    outcomes = in_workers(
        lambda i: _vote(instance, people[i], yes if i % 3 else no), jobs=300, threads=30
    )
    assert outcomes.count("voted") == 300
    assert RollEntry.objects.count() == 300
    assert Ballot.objects.count() == 300
    assert Ballot.objects.filter(option_id=no).count() == 100


def test_closing_while_people_vote_loses_no_acknowledged_vote(
    org: Municipality, officer: Any
) -> None:
    require_postgresql()
    vote = make_instance(org)
    start = timezone.now()
    announce(vote, officer, opens=start - DAY, closes=start + DAY)
    instance = _loaded(vote)
    closes = vote.referendum.closes_at
    assert closes is not None
    yes = actions.options_of(vote.referendum)[0].pk
    streams, per_stream = 20, 15
    people = [voter() for _ in range(streams * per_stream)]
    # Voters' "now" is just before the end, the closer's just after: the database's locks,
    # not the clock, decide which votes make it into the count. Twenty streams of voters
    # keep voting while the close runs somewhere among them.
    just_before = closes - dt.timedelta(seconds=1)
    just_after = closes + dt.timedelta(seconds=1)

    def work(i: int) -> list[str]:
        if i == streams:
            time.sleep(0.05)
            try:
                staff_actions.do_close(officer, instance, now=just_after)
            except ActionRefused as refused:
                return [f"close refused: {refused.message}"]
            return ["closed"]
        return [
            _vote(instance, people[i * per_stream + n], yes, now=just_before)
            for n in range(per_stream)
        ]

    results = in_workers(work, jobs=streams + 1, threads=streams + 1)
    assert results[streams] == ["closed"]
    outcomes = [o for stream in results[:streams] for o in stream]
    acknowledged = outcomes.count("voted")
    assert acknowledged + outcomes.count("403") == streams * per_stream
    assert acknowledged > 0
    referendum = vote.referendum
    assert referendum.result is not None
    assert referendum.result["voters"]["electronic"] == acknowledged
    electronic = referendum.count_entries.get(kind="electronic")
    assert len(electronic.data["ballots"]) == acknowledged == Ballot.objects.count()
    assert RollEntry.objects.count() == acknowledged


def test_one_change_code_used_twice_at_once_changes_once(org: Municipality, officer: Any) -> None:
    require_postgresql()
    vote = make_instance(org, settings={"revote": True})
    announce(vote, officer)
    instance = _loaded(vote)
    yes, no = (o.pk for o in actions.options_of(vote.referendum))
    kari = person("kari")
    code = actions.do_vote(
        kari, instance, choice=str(yes), lives_here=True, district="Sentrum"
    ).code
    assert code

    def change(_i: int) -> str:
        try:
            actions.do_change_vote(kari, instance, code=code, choice=str(no))
        except ActionRefused as refused:
            return str(refused.status)
        return "changed"

    outcomes = in_workers(change, jobs=10, threads=10)
    assert outcomes.count("changed") == 1
    assert Ballot.objects.count() == 1 and Ballot.objects.get().option_id == no
