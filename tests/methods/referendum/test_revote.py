"""Changing a vote, only where the council allowed it: the receipt shows a one-time code
(never stored, never in an address); the code's keyed hash sits in the ballot, so only the
voter — logged in, with the code — can replace that ballot, and the server cannot find a
person's ballot without it. The roll is not touched."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from medvirk.core.errors import ActionRefused
from medvirk.methods.referendum import actions, keys
from medvirk.methods.referendum.models import Ballot, RollEntry
from medvirk.methods.referendum.views import CODE_COOKIE
from medvirk.organisations.models import Municipality

from .conftest import Vote, announce, client_for, make_instance, person, vote_as, voter

pytestmark = pytest.mark.django_db


@pytest.fixture
def revote(org: Municipality, officer: Any) -> Vote:
    vote = make_instance(org, settings={"revote": True})
    announce(vote, officer)
    return vote


def _change(vote: Vote, user: Any, code: str, option: int) -> actions.Voted:
    return actions.do_change_vote(user, vote.instance, code=code, choice=str(option))


def test_a_vote_can_be_changed_with_its_code_and_the_last_vote_counts(revote: Vote) -> None:
    yes, no = actions.options_of(revote.referendum)
    kari = person("kari")
    first = vote_as(revote, kari, yes.pk)
    assert first.code and keys.normalise_code(first.code)
    old = Ballot.objects.get()
    assert old.change_hash == keys.change_hash(
        revote.referendum.pk,
        keys.voter_key(revote.referendum.pk, kari.national_id_hash),
        first.code,
    )
    roll_before = list(RollEntry.objects.values())
    second = _change(revote, kari, first.code.lower().replace("-", " "), no.pk)
    ballot = Ballot.objects.get()
    assert ballot.option_id == no.pk and ballot.id != old.id
    assert second.code != first.code
    assert list(RollEntry.objects.values()) == roll_before  # the roll is not touched
    with pytest.raises(ActionRefused, match="does not match"):
        _change(revote, kari, first.code, yes.pk)  # each code works once
    _change(revote, kari, second.code or "", yes.pk)
    assert Ballot.objects.get().option_id == yes.pk


def test_someone_elses_code_does_not_work(revote: Vote) -> None:
    yes, no = actions.options_of(revote.referendum)
    kari, ola = person("kari"), person("ola")
    karis = vote_as(revote, kari, yes.pk)
    vote_as(revote, ola, yes.pk)
    with pytest.raises(ActionRefused, match="does not match"):
        _change(revote, ola, karis.code or "", no.pk)
    assert set(Ballot.objects.values_list("option_id", flat=True)) == {yes.pk}


def test_a_wrong_or_malformed_code_changes_nothing(revote: Vote) -> None:
    yes, no = actions.options_of(revote.referendum)
    kari = person("kari")
    vote_as(revote, kari, yes.pk)
    with pytest.raises(ActionRefused, match="not a change code"):
        _change(revote, kari, "1234", no.pk)
    with pytest.raises(ActionRefused, match="does not match"):
        _change(revote, kari, keys.new_code(), no.pk)
    assert Ballot.objects.get().option_id == yes.pk


def test_without_a_vote_or_without_revoting_nothing_can_be_changed(
    revote: Vote, vote: Vote, officer: Any
) -> None:
    yes, _no = actions.options_of(revote.referendum)
    with pytest.raises(ActionRefused, match="not voted yet"):
        _change(revote, voter(), keys.new_code(), yes.pk)
    announce(vote, officer)
    kari = person("kari")
    voted = vote_as(vote, kari)
    assert voted.code is None and Ballot.objects.get(referendum=vote.referendum).change_hash is None
    with pytest.raises(ActionRefused, match="cannot be changed"):
        _change(vote, kari, keys.new_code(), actions.options_of(vote.referendum)[0].pk)


def test_no_change_after_voting_closes(revote: Vote) -> None:
    yes, no = actions.options_of(revote.referendum)
    kari = person("kari")
    voted = vote_as(revote, kari, yes.pk)
    later = revote.referendum.closes_at + timezone.timedelta(hours=1)  # type: ignore[operator]
    with pytest.raises(ActionRefused, match="Voting closed"):
        actions.do_change_vote(
            kari, revote.instance, code=voted.code or "", choice=str(no.pk), now=later
        )


def test_the_receipt_shows_the_code_once_and_it_is_never_in_an_address(revote: Vote) -> None:
    yes, no = actions.options_of(revote.referendum)
    client = client_for(person("kari"))
    response = client.post(
        revote.url("vote"), {"choice": str(yes.pk), "lives_here": "on", "district": "Sentrum"}
    )
    assert response.status_code == 302
    assert response["Location"] == revote.url("receipt")  # no code in the address
    cookie = response.cookies[CODE_COOKIE]
    assert cookie["path"] == revote.url("receipt") and cookie["httponly"]
    assert cookie["samesite"] == "Strict"
    receipt = client.get(revote.url("receipt"))
    html = receipt.content.decode()
    code = html.split('id="code">', 1)[1].split("<", 1)[0]
    assert keys.normalise_code(code)
    assert receipt.cookies[CODE_COOKIE].value == ""  # deleted: shown once
    assert receipt["Cache-Control"] == "private, no-store"
    again = client.get(revote.url("receipt")).content.decode()
    assert code not in again and 'id="code-gone"' in again
    # The page offers the change form; the change over HTTP gives a new code.
    assert 'id="endre"' in client.get(revote.url()).content.decode()
    changed = client.post(revote.url("change"), {"code": code, "choice": str(no.pk)})
    assert changed.status_code == 302
    assert Ballot.objects.get().option_id == no.pk
    wrong = client.post(revote.url("change"), {"code": code, "choice": str(yes.pk)})
    assert wrong.status_code == 400
    assert Ballot.objects.get().option_id == no.pk


def test_a_code_cookie_for_another_person_is_not_shown(revote: Vote) -> None:
    yes, _no = actions.options_of(revote.referendum)
    kari = client_for(person("kari"))
    response = kari.post(
        revote.url("vote"), {"choice": str(yes.pk), "lives_here": "on", "district": "Sentrum"}
    )
    stolen = response.cookies[CODE_COOKIE].value
    ola = person("ola")
    vote_as(revote, ola, yes.pk)
    other = client_for(ola)
    other.cookies[CODE_COOKIE] = stolen
    other.cookies[CODE_COOKIE]["path"] = revote.url("receipt")
    html = other.get(revote.url("receipt")).content.decode()
    assert 'id="code"' not in html
