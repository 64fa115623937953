"""Casting and changing a ballot over HTTP: codes, e-ID (age, residence, district) and a
voter group; the three ballots' rules; refusals that say what is wrong and change nothing;
the knapsack's running total without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from medvirk.identity.models import User
from medvirk.methods.budgeting import actions, staff_actions
from medvirk.methods.budgeting.models import Ballot, VotingCode
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from medvirk.processes.registry import VoterGroup

from .conftest import (
    DECLARED,
    EN,
    TEST_RESIDENCE,
    Budget,
    add,
    make_budget,
    make_codes,
    open_vote,
    person,
)

pytestmark = pytest.mark.django_db


def _ballot_post(client: Client, budget: Budget, **fields: Any) -> Any:
    return client.post(budget.url("vote"), {"action": "cast", **fields})


def _ready(budget: Budget, officer: User) -> dict[str, int]:
    """Four projects (costs 120k, 80k, 50k, 30k) and the vote open."""
    numbers = {
        "klatrevegg": add(budget, officer, "Klatrevegg", 120_000).number,
        "gapahuk": add(budget, officer, "Gapahuk", 80_000).number,
        "huske": add(budget, officer, "Fuglereirhuske", 50_000).number,
        "mål": add(budget, officer, "Fotballmål", 30_000).number,
    }
    open_vote(budget, officer)
    return numbers


def test_a_code_casts_a_knapsack_ballot_with_plain_fields_and_changes_it(
    codes_budget: Budget, officer: User
) -> None:
    p = _ready(codes_budget, officer)
    code = make_codes(codes_budget, officer, 3)[0]
    client = Client(**EN)
    # As a load test would: the page for the cookie and token, then one POST.
    assert client.get(codes_budget.url("vote")).status_code == 200
    response = _ballot_post(
        client, codes_budget, code=code.lower(), project=[p["klatrevegg"], p["mål"]]
    )
    assert response.status_code == 302
    ballot = Ballot.objects.get(method_instance=codes_budget.instance)
    assert ballot.choices == {str(p["klatrevegg"]): 1, str(p["mål"]): 1}
    assert ballot.total == 150_000 and ballot.limit == 200_000
    assert VotingCode.objects.get(code=code).used
    page = client.get(codes_budget.url("vote"))
    assert "Klatrevegg" in page.content.decode() and 'id="din-stemme"' in page.content.decode()
    # The same code again, from another device: the last ballot counts, still one row.
    other = Client(**EN)
    response = _ballot_post(other, codes_budget, code=code, project=[p["gapahuk"], p["huske"]])
    assert response.status_code == 302
    ballot = Ballot.objects.get(method_instance=codes_budget.instance)
    assert ballot.choices == {str(p["gapahuk"]): 1, str(p["huske"]): 1}
    assert Ballot.objects.count() == 1


def test_a_ballot_over_the_budget_is_refused_with_the_numbers_and_nothing_changes(
    codes_budget: Budget, officer: User
) -> None:
    p = _ready(codes_budget, officer)
    code = make_codes(codes_budget, officer, 1)[0]
    client = Client(**EN)
    _ballot_post(client, codes_budget, code=code, project=[p["mål"]])
    response = _ballot_post(
        client, codes_budget, code=code, project=[p["klatrevegg"], p["gapahuk"], p["huske"]]
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your choices cost 250,000 kr, but the budget is 200,000 kr: 50,000 kr too much" in html
    # The choices are kept on the page, and the stored ballot is the earlier one.
    assert f'value="{p["gapahuk"]}" id="project-{p["gapahuk"]}" data-cost="80000" checked' in html
    assert Ballot.objects.get().choices == {str(p["mål"]): 1}


def test_update_the_total_without_javascript_keeps_the_choices_and_stores_nothing(
    codes_budget: Budget, officer: User
) -> None:
    p = _ready(codes_budget, officer)
    code = make_codes(codes_budget, officer, 1)[0]
    client = Client(**EN)
    client.post(codes_budget.url("vote"), {"action": "code", "code": code})
    response = client.post(
        codes_budget.url("vote"),
        {"action": "update", "project": [p["klatrevegg"], p["gapahuk"]]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have chosen 200,000 kr of 200,000 kr. Left: 0 kr." in html
    assert f'id="project-{p["klatrevegg"]}" data-cost="120000" checked' in html
    response = client.post(
        codes_budget.url("vote"),
        {"action": "update", "project": [p["klatrevegg"], p["gapahuk"], p["mål"]]},
    )
    assert "That is 30,000 kr over the budget" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_wrong_or_voided_code_is_refused(codes_budget: Budget, officer: User) -> None:
    p = _ready(codes_budget, officer)
    codes = make_codes(codes_budget, officer, 2)
    client = Client(**EN)
    response = client.post(codes_budget.url("vote"), {"action": "code", "code": "AAAA-AAAA"})
    assert response.status_code == 403
    assert "That code is not valid for this vote" in response.content.decode()
    batch = VotingCode.objects.get(code=codes[0]).batch
    assert staff_actions.do_void_unused(officer, codes_budget.instance, batch.pk) == 2
    response = _ballot_post(client, codes_budget, code=codes[1], project=[p["mål"]])
    assert response.status_code == 403
    assert not Ballot.objects.exists()


def test_unknown_projects_and_garbage_are_refused_without_a_500(
    codes_budget: Budget, officer: User
) -> None:
    p = _ready(codes_budget, officer)
    code = make_codes(codes_budget, officer, 1)[0]
    client = Client(**EN)
    for bad in (["999"], ["x"], [str(p["mål"]), "-1"], []):
        response = _ballot_post(client, codes_budget, code=code, project=bad)
        assert response.status_code == 400, bad
    assert not Ballot.objects.exists()


def test_approval_allows_at_most_k(org: Municipality, officer: User) -> None:
    budget = make_budget(org, settings={"voters": "codes", "ballot": "approval", "max_choices": 2})
    p = _ready(budget, officer)
    code = make_codes(budget, officer, 1)[0]
    client = Client(**EN)
    response = _ballot_post(
        client, budget, code=code, project=[p["klatrevegg"], p["gapahuk"], p["huske"]]
    )
    assert response.status_code == 400
    assert (
        "You chose 3 projects, but you may choose at most 2 projects." in response.content.decode()
    )
    assert (
        _ballot_post(client, budget, code=code, project=[p["klatrevegg"], p["gapahuk"]]).status_code
        == 302
    )
    assert Ballot.objects.get().total == 2


def test_cumulative_spreads_points_within_the_limits(org: Municipality, officer: User) -> None:
    budget = make_budget(
        org,
        settings={
            "voters": "codes",
            "ballot": "cumulative",
            "points": 10,
            "max_points_per_project": 6,
        },
    )
    p = _ready(budget, officer)
    code = make_codes(budget, officer, 1)[0]
    client = Client(**EN)
    too_many = {f"points-{p['klatrevegg']}": "6", f"points-{p['gapahuk']}": "5"}
    response = _ballot_post(client, budget, code=code, **too_many)
    assert response.status_code == 400
    assert "You gave 11 points, but you have 10 points. Take 1 away" in response.content.decode()
    response = _ballot_post(client, budget, code=code, **{f"points-{p['huske']}": "7"})
    assert "At most 6 points on one project: «Fuglereirhuske» has 7." in response.content.decode()
    response = _ballot_post(client, budget, code=code, **{f"points-{p['huske']}": "-2"})
    assert response.status_code == 400
    assert not Ballot.objects.exists()
    fine = {f"points-{p['klatrevegg']}": "6", f"points-{p['mål']}": "4", f"points-{p['huske']}": ""}
    assert _ballot_post(client, budget, code=code, **fine).status_code == 302
    ballot = Ballot.objects.get()
    assert ballot.choices == {str(p["klatrevegg"]): 6, str(p["mål"]): 4}
    assert (ballot.total, ballot.limit) == (10, 10)


def test_the_ballot_row_holds_no_name_address_or_time() -> None:
    names = {f.name for f in Ballot._meta.get_fields()}
    assert names == {"id", "method_instance", "voter_key", "district", "choices", "total", "limit"}


def test_no_ballot_before_the_vote_or_after_it_closes(codes_budget: Budget, officer: User) -> None:
    p = {"mål": add(codes_budget, officer, "Fotballmål", 30_000).number}
    code = make_codes(codes_budget, officer, 1)[0]
    client = Client(**EN)
    response = _ballot_post(client, codes_budget, code=code, project=[p["mål"]])
    assert response.status_code == 403
    assert "The vote has not opened yet" in response.content.decode()
    open_vote(codes_budget, officer)
    staff_actions.do_close_vote(officer, codes_budget.instance)
    response = _ballot_post(client, codes_budget, code=code, project=[p["mål"]])
    assert response.status_code == 403
    assert "The vote is closed" in response.content.decode()
    assert not Ballot.objects.exists()


# -- e-ID ------------------------------------------------------------------------------------


def _eid_budget(org: Municipality, officer: User, **settings: Any) -> tuple[Budget, dict[str, int]]:
    budget = make_budget(org, settings={"voters": "eid", "budget": 200_000, **settings})
    return budget, _ready(budget, officer)


def test_e_id_voting_needs_a_login(org: Municipality, officer: User) -> None:
    budget, p = _eid_budget(org, officer)
    client = Client(**EN)
    response = client.get(budget.url("vote"))
    assert response.status_code == 403
    assert 'id="login-to-act"' in response.content.decode()
    assert _ballot_post(client, budget, project=[p["mål"]]).status_code == 403
    email_only = User.objects.create_user("epost", email="e@example.org", email_verified=True)
    client.force_login(email_only)
    assert _ballot_post(client, budget, project=[p["mål"]]).status_code == 403
    assert not Ballot.objects.exists()


def test_a_verified_person_votes_once_whatever_the_account(
    org: Municipality, officer: User, settings: Any
) -> None:
    settings.MEDVIRK_RESIDENCE_PROVIDER = TEST_RESIDENCE
    budget, p = _eid_budget(org, officer)
    kari = person("kari")
    client = Client(**EN)
    client.force_login(kari)
    assert _ballot_post(client, budget, project=[p["huske"]]).status_code == 302
    assert _ballot_post(client, budget, project=[p["gapahuk"]]).status_code == 302
    ballot = Ballot.objects.get()
    assert ballot.choices == {str(p["gapahuk"]): 1}
    # The keyed hash is not the national id's own hash: the ballot cannot be joined to it.
    assert ballot.voter_key != kari.national_id_hash


def test_residence_is_checked_against_the_register(
    org: Municipality, officer: User, settings: Any
) -> None:
    settings.MEDVIRK_RESIDENCE_PROVIDER = TEST_RESIDENCE
    budget, p = _eid_budget(org, officer)
    client = Client(**EN)
    client.force_login(person("aisha"))
    response = _ballot_post(client, budget, project=[p["mål"]])
    assert response.status_code == 403
    assert "Only inhabitants of Lillevik" in response.content.decode()
    assert not Ballot.objects.exists()


def test_declared_residence_needs_the_tick(org: Municipality, officer: User, settings: Any) -> None:
    settings.MEDVIRK_RESIDENCE_PROVIDER = DECLARED
    budget, p = _eid_budget(org, officer)
    client = Client(**EN)
    client.force_login(person("ola"))
    page = client.get(budget.url("vote"))
    assert 'name="lives_here"' in page.content.decode()
    response = _ballot_post(client, budget, project=[p["mål"]])
    assert response.status_code == 400
    assert "tick that you live here" in response.content.decode()
    assert _ballot_post(client, budget, project=[p["mål"]], lives_here="on").status_code == 302


def test_the_minimum_age_counts_the_age_reached_in_the_year_of_the_vote(
    org: Municipality, officer: User, settings: Any
) -> None:
    settings.MEDVIRK_RESIDENCE_PROVIDER = TEST_RESIDENCE
    budget, p = _eid_budget(org, officer, min_age=16)
    year = actions.vote_year()
    nora = person("nora")  # born 2012
    client = Client(**EN)
    client.force_login(nora)
    response = _ballot_post(client, budget, project=[p["mål"]])
    if year - 2012 < 16:
        assert response.status_code == 403
        assert f"who turn 16 in {year} or are older" in response.content.decode()
        assert not Ballot.objects.exists()
    kari = person("kari")  # born 1990
    client.force_login(kari)
    assert _ballot_post(client, budget, project=[p["mål"]]).status_code == 302


def test_districts_from_the_register_each_their_own_election(
    org: Municipality, officer: User, settings: Any
) -> None:
    settings.MEDVIRK_RESIDENCE_PROVIDER = TEST_RESIDENCE
    budget = make_budget(
        org, settings={"voters": "eid", "districts": "Sentrum: 100000\nKaia: 60 000 kr"}
    )
    torg = add(budget, officer, "Benkar på torget", 40_000, "Sentrum").number
    brygge = add(budget, officer, "Ny brygge", 50_000, "Kaia").number
    open_vote(budget, officer)
    client = Client(**EN)
    client.force_login(person("ola"))  # lives in Kaia
    page = client.get(budget.url("vote")).content.decode()
    assert "You vote in Kaia." in page and "Ny brygge" in page and "Benkar på torget" not in page
    # A project of another district is not on this voter's ballot.
    assert _ballot_post(client, budget, project=[torg]).status_code == 400
    assert _ballot_post(client, budget, project=[brygge], district="Sentrum").status_code == 302
    assert Ballot.objects.get().district == "Kaia"


def test_a_voter_who_chooses_the_district(org: Municipality, officer: User) -> None:
    budget = make_budget(
        org, settings={"voters": "codes", "districts": "Sentrum: 100000\nKaia: 60000"}
    )
    add(budget, officer, "Benkar på torget", 40_000, "Sentrum")
    brygge = add(budget, officer, "Ny brygge", 50_000, "Kaia").number
    open_vote(budget, officer)
    code = make_codes(budget, officer, 1)[0]
    client = Client(**EN)
    response = _ballot_post(client, budget, code=code, project=[brygge])
    assert response.status_code == 400  # no district given
    response = client.get(budget.url("vote") + "?krins=kaia")
    assert "Ny brygge" in response.content.decode()
    assert _ballot_post(client, budget, project=[brygge], district="Kaia").status_code == 302
    assert Ballot.objects.get().district == "Kaia"


def test_a_voter_group_votes(org: Municipality, officer: User, monkeypatch: Any) -> None:
    members: set[int] = set()
    monkeypatch.setattr(
        registry, "voter_groups", lambda municipality: [VoterGroup("bodies:7", "Ungdomsrådet")]
    )
    monkeypatch.setattr(registry, "in_voter_group", lambda user, key: user.pk in members)
    budget = make_budget(org, settings={"voters": "group"})
    p = _ready(budget, officer)
    # Who votes cannot change once the vote is open.
    with pytest.raises(actions.ActionRefused):
        staff_actions.do_choose_voter_group(officer, budget.instance, "bodies:7")
    member = User.objects.create_user("medlem")
    outsider = User.objects.create_user("utanfor")
    members.add(member.pk)
    budget.refresh()
    client = Client(**EN)
    client.force_login(outsider)
    assert _ballot_post(client, budget, project=[p["mål"]]).status_code == 403
    client.force_login(member)
    assert _ballot_post(client, budget, project=[p["mål"]]).status_code == 403  # no group set


def test_a_voter_group_chosen_before_the_vote(
    org: Municipality, officer: User, monkeypatch: Any
) -> None:
    members: set[int] = set()
    monkeypatch.setattr(
        registry, "voter_groups", lambda municipality: [VoterGroup("bodies:7", "Ungdomsrådet")]
    )
    monkeypatch.setattr(
        registry, "in_voter_group", lambda user, key: key == "bodies:7" and user.pk in members
    )
    budget = make_budget(org, settings={"voters": "group"})
    staff_actions.do_choose_voter_group(officer, budget.instance, "bodies:7")
    budget.refresh()
    assert budget.instance.settings["voter_group"] == "bodies:7"
    p = _ready(budget, officer)
    member = User.objects.create_user("medlem")
    outsider = User.objects.create_user("utanfor")
    members.add(member.pk)
    client = Client(**EN)
    client.force_login(outsider)
    response = _ballot_post(client, budget, project=[p["mål"]])
    assert response.status_code == 403
    assert "members of Ungdomsrådet" in response.content.decode()
    client.force_login(member)
    assert _ballot_post(client, budget, project=[p["mål"]]).status_code == 302
    assert _ballot_post(client, budget, project=[p["huske"]]).status_code == 302
    assert Ballot.objects.count() == 1
