"""«Mine data» shows that the person voted (never how); erasure deletes neither the roll
entry nor the ballot, and keeps one vote per person."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from medvirk.identity.actions import do_erase_account
from medvirk.identity.queries import export_my_data
from medvirk.methods.referendum import actions, staff_actions
from medvirk.methods.referendum.models import Ballot, PaperEntry, RollEntry
from medvirk.organisations.models import Municipality
from tests.factories import DAY

from .conftest import Vote, announce, make_instance, person, vote_as

pytestmark = pytest.mark.django_db


def test_my_data_says_that_i_voted_and_not_how(vote: Vote, officer: Any) -> None:
    announce(vote, officer)
    kari = person("kari")
    yes = actions.options_of(vote.referendum)[0]
    vote_as(vote, kari, yes.pk)
    data = export_my_data(kari)
    (row,) = data["referendum_roll"]
    assert row["voted_on"] == timezone.localdate().isoformat()
    assert row["channel"] == "electronic"
    assert row["question"] == vote.referendum.question
    assert yes.label not in str(row)
    assert export_my_data(person("ola"))["referendum_roll"] == []


def test_erasure_keeps_the_roll_and_the_ballot_and_the_one_vote(vote: Vote, officer: Any) -> None:
    announce(vote, officer)
    kari = person("kari")
    vote_as(vote, kari)
    do_erase_account(kari)
    assert RollEntry.objects.count() == 1 and Ballot.objects.count() == 1
    from medvirk.methods.referendum.actions import AlreadyVoted

    with pytest.raises(AlreadyVoted):
        vote_as(vote, person("kari"))


def test_a_staff_members_paper_entries_lose_the_account_on_erasure(
    org: Municipality, officer: Any
) -> None:
    vote = make_instance(org, settings={"paper": True})
    now = timezone.now()
    announce(vote, officer, places=True, opens=now - 2 * DAY, closes=now - DAY)
    y, n = actions.options_of(vote.referendum)
    counts = {"options": {str(y.pk): 1, str(n.pk): 2}, "blank": 0, "rejected": 0}
    staff_actions.do_enter_paper(officer, vote.instance, "grendehus", counts)
    assert export_my_data(officer)["referendum_paper_entries"][0]["polling_place"] == "grendehus"
    do_erase_account(officer)
    entry = PaperEntry.objects.get()
    assert entry.entered_by_id is None and entry.counts == counts
