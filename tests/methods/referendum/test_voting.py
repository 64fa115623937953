"""Who may vote, and casting a ballot: the roll from a verified identity, the voting age
counted to the end of the year, residence looked up or declared; one vote per person; the
pages' refusals and the HTTP flow an integrator's load bench uses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from medvirk.core.errors import ActionRefused
from medvirk.identity import hashing
from medvirk.methods.referendum import actions, keys
from medvirk.methods.referendum.models import Ballot, Channel, RollEntry
from medvirk.organisations.models import Municipality
from medvirk.processes.permissions import NeedsLogin
from tests import factories
from tests.factories import DAY

from .conftest import (
    EN,
    TEST_RESIDENCE,
    Vote,
    announce,
    client_for,
    make_instance,
    person,
    prepare,
    vote_as,
    voter,
)

pytestmark = pytest.mark.django_db


def test_kari_votes_once_and_the_roll_and_the_ballot_are_written(vote: Vote, officer: Any) -> None:
    announce(vote, officer)
    kari = person("kari")
    referendum = vote.referendum
    yes, _no = actions.options_of(referendum)
    voted = vote_as(vote, kari, yes.pk)
    assert voted.code is None  # no re-voting: no code
    entry = RollEntry.objects.get(referendum=referendum)
    assert entry.voter_hash == keys.voter_key(referendum.pk, kari.national_id_hash)
    assert entry.channel == Channel.ELECTRONIC
    assert entry.day == timezone.localdate()
    ballot = Ballot.objects.get(referendum=referendum)
    assert ballot.option_id == yes.pk
    assert ballot.district == "Sentrum"
    assert ballot.change_hash is None
    with pytest.raises(actions.AlreadyVoted) as second:
        vote_as(vote, kari, yes.pk)
    assert second.value.status == 409
    assert RollEntry.objects.count() == 1 and Ballot.objects.count() == 1


def test_a_new_account_of_the_same_person_cannot_vote_again(vote: Vote, officer: Any) -> None:
    """The roll keys the person (the national identity number), not the account: deleting
    the account and logging in again with the same e-ID does not give a second vote."""
    announce(vote, officer)
    kari = person("kari")
    vote_as(vote, kari)
    kari.delete()
    with pytest.raises(actions.AlreadyVoted):
        vote_as(vote, person("kari"))
    assert Ballot.objects.count() == 1 and RollEntry.objects.count() == 1


def test_nora_at_fourteen_is_too_young_and_nothing_is_stored(vote: Vote, officer: Any) -> None:
    announce(vote, officer)
    nora = person("nora")
    with pytest.raises(ActionRefused) as refused:
        vote_as(vote, nora)
    assert refused.value.status == 403
    assert "voting age is 16" in refused.value.message
    assert f"turn {timezone.localdate().year - 2012}" in refused.value.message
    assert not RollEntry.objects.exists() and not Ballot.objects.exists()


def test_the_age_is_counted_to_the_end_of_the_year_of_the_vote(vote: Vote, officer: Any) -> None:
    announce(vote, officer)
    year = timezone.localtime(vote.referendum.closes_at).year
    # Born on 31 December sixteen years before: sixteen only at the very end of the year.
    december = voter(year - 16)
    vote_as(vote, december)
    too_young = voter(year - 15)
    with pytest.raises(ActionRefused):
        vote_as(vote, too_young)


def test_the_voting_age_is_the_councils_setting(org: Municipality, officer: Any) -> None:
    vote = make_instance(org, settings={"voting_age": 18})
    announce(vote, officer)
    year = timezone.localtime(vote.referendum.closes_at).year
    with pytest.raises(ActionRefused, match="voting age is 18"):
        vote_as(vote, voter(year - 17))


def test_not_logged_in_or_not_verified_is_asked_to_log_in_with_e_id(
    vote: Vote, officer: Any
) -> None:
    from django.contrib.auth.models import AnonymousUser

    announce(vote, officer)
    with pytest.raises(NeedsLogin):
        vote_as(vote, AnonymousUser())  # type: ignore[arg-type]
    email_only = factories.user("berre-epost", email_verified=True)
    with pytest.raises(NeedsLogin, match="e-ID"):
        vote_as(vote, email_only)
    # Verified, but without a national identity number (a Feide login): cannot be on the roll.
    feide = factories.user("feide", verified_at=timezone.now(), subject_hash="f" * 64)
    with pytest.raises(NeedsLogin, match="national identity number"):
        vote_as(vote, feide)
    # Verified before the year of birth was kept: log in again.
    unknown = factories.user(
        "utan-aar", verified_at=timezone.now(), national_id_hash=hashing.national_id_hash("x")
    )
    with pytest.raises(NeedsLogin, match="year of birth"):
        vote_as(vote, unknown)
    assert not Ballot.objects.exists()


def test_with_a_register_aisha_in_oslo_is_not_an_inhabitant_and_kari_gets_her_district(
    vote: Vote, officer: Any, settings: Any
) -> None:
    settings.MEDVIRK_RESIDENCE_PROVIDER = TEST_RESIDENCE
    announce(vote, officer)
    with pytest.raises(ActionRefused, match="Only inhabitants") as refused:
        actions.do_vote(
            person("aisha"), vote.instance, choice=str(actions.options_of(vote.referendum)[0].pk)
        )
    assert refused.value.status == 403
    ola = person("ola")
    actions.do_vote(ola, vote.instance, choice=str(actions.options_of(vote.referendum)[1].pk))
    assert RollEntry.objects.get().district == "Kaia"
    assert Ballot.objects.get().district == "Kaia"


def test_declared_residence_needs_the_tick_and_a_district_from_the_list(
    vote: Vote, officer: Any
) -> None:
    announce(vote, officer)
    kari = person("kari")
    with pytest.raises(ActionRefused, match="tick that you live here"):
        vote_as(vote, kari, lives_here=False)
    with pytest.raises(ActionRefused, match="district"):
        vote_as(vote, kari, district="Atlantis")
    vote_as(vote, kari, district="kaia")
    assert RollEntry.objects.get().district == "Kaia"


def test_voting_only_inside_the_announced_period(vote: Vote, officer: Any) -> None:
    now = timezone.now()
    announce(vote, officer, opens=now + DAY, closes=now + 3 * DAY)
    with pytest.raises(ActionRefused, match="Voting opens"):
        vote_as(vote, voter())
    with pytest.raises(ActionRefused, match="Voting closed"):
        vote_as(vote, voter(), now=now + 4 * DAY)
    vote_as(vote, voter(), now=now + 2 * DAY)
    assert Ballot.objects.get().day == timezone.localdate(now + 2 * DAY)


def test_a_prepared_but_unannounced_referendum_takes_no_votes(vote: Vote, officer: Any) -> None:
    prepare(vote, officer)
    with pytest.raises(ActionRefused, match="not been announced"):
        vote_as(vote, voter())


def test_an_unknown_or_blank_choice_is_refused_when_not_offered(
    org: Municipality, officer: Any
) -> None:
    vote = make_instance(org, settings={"blank_vote": False})
    announce(vote, officer)
    person_ = voter()
    with pytest.raises(ActionRefused, match="Choose one"):
        vote_as(vote, person_, 999999)
    with pytest.raises(ActionRefused, match="blank vote is not offered"):
        vote_as(vote, person_, "blank")
    assert not RollEntry.objects.exists()


def test_a_vote_writes_the_roll_and_the_ballot_and_nothing_else(vote: Vote, officer: Any) -> None:
    """No audit row, no contribution, no notification: a vote leaves two rows, one in each
    table, and no other table changes."""
    announce(vote, officer)
    person_ = voter()
    models = [m for m in apps.get_models() if m._meta.app_label != "sessions"]
    before = {m._meta.label: m._default_manager.count() for m in models}
    vote_as(vote, person_)
    after = {m._meta.label: m._default_manager.count() for m in models}
    changed = {
        label: after[label] - before[label] for label in before if after[label] != before[label]
    }
    assert changed == {"referendum.RollEntry": 1, "referendum.Ballot": 1}


# -- over HTTP -------------------------------------------------------------------------------


def test_the_page_shows_the_question_the_rules_and_the_ballot(vote: Vote, officer: Any) -> None:
    announce(vote, officer)
    anonymous = Client(**EN).get(vote.url())
    html = anonymous.content.decode()
    assert anonymous.status_code == 200
    assert "Skal Lillevik ha eigen skule i bygda?" in html
    assert "Kommunestyret 12.2.2026, sak 14/26" in html
    assert 'id="login-to-vote"' in html and "/konto/" in html
    assert 'id="ballot-form"' not in html
    kari = client_for(person("kari")).get(vote.url())
    assert 'id="ballot-form"' in kari.content.decode()
    assert kari["Cache-Control"] == "private, no-store"


def test_the_turnout_floor_is_announced_on_the_page_before_voting(
    org: Municipality, officer: Any
) -> None:
    vote = make_instance(org, settings={"turnout_floor": 25})
    now = timezone.now()
    announce(vote, officer, opens=now + DAY, closes=now + 5 * DAY)
    html = Client(**EN).get(vote.url()).content.decode()
    assert "at least 25 %" in html
    assert "Voting opens" in html


def test_voting_over_http_redirects_to_the_receipt(vote: Vote, officer: Any) -> None:
    announce(vote, officer)
    kari = person("kari")
    client = client_for(kari)
    no = actions.options_of(vote.referendum)[1]
    response = client.post(
        vote.url("vote"), {"choice": str(no.pk), "lives_here": "on", "district": "Kaia"}
    )
    assert response.status_code == 302
    assert response["Location"] == vote.url("receipt")
    assert Ballot.objects.get().option_id == no.pk
    receipt = client.get(vote.url("receipt"))
    assert receipt.status_code == 200
    assert "You voted on" in receipt.content.decode()
    again = client.post(
        vote.url("vote"), {"choice": str(no.pk), "lives_here": "on", "district": "Kaia"}
    )
    assert again.status_code == 409
    assert Ballot.objects.count() == 1
    page = client.get(vote.url()).content.decode()
    assert 'id="voted"' in page and 'id="ballot-form"' not in page


def test_a_ballot_without_a_choice_is_400_with_the_error_summary(vote: Vote, officer: Any) -> None:
    announce(vote, officer)
    client = client_for(person("kari"))
    response = client.post(vote.url("vote"), {"lives_here": "on", "district": "Kaia"})
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    assert 'href="#id_choice_0"' in response.content.decode()
    assert not Ballot.objects.exists()


def test_nora_sees_the_refusal_and_her_post_is_403(vote: Vote, officer: Any) -> None:
    announce(vote, officer)
    client = client_for(person("nora"))
    page = client.get(vote.url()).content.decode()
    assert 'id="refusal"' in page and "voting age is 16" in page
    assert 'id="ballot-form"' not in page
    yes = actions.options_of(vote.referendum)[0]
    response = client.post(
        vote.url("vote"), {"choice": str(yes.pk), "lives_here": "on", "district": "Kaia"}
    )
    assert response.status_code == 403
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("data", [{}, {"choice": "x" * 5000}, {"choice": "1e9"}, {"choice": "-1"}])
def test_bad_input_never_500(vote: Vote, officer: Any, data: dict[str, str]) -> None:
    announce(vote, officer)
    response = client_for(person("kari")).post(vote.url("vote"), data)
    assert response.status_code == 400
    assert not Ballot.objects.exists()


def test_get_on_the_vote_address_goes_to_the_page(vote: Vote) -> None:
    response = Client(**EN).get(vote.url("vote"))
    assert response.status_code == 302 and response["Location"] == vote.url()


def test_the_day_is_the_local_day(vote: Vote, officer: Any) -> None:
    announce(vote, officer, opens=timezone.now() - 3 * DAY)
    late = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() - dt.timedelta(days=1), dt.time(23, 59))
    )
    vote_as(vote, voter(), now=late)
    assert RollEntry.objects.get().day == late.date()
