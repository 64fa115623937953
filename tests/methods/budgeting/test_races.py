"""Ballots under concurrency, on PostgreSQL, with real parallel HTTP requests: threads, each
with its own client and database connection, released together, and the database — the
unique (instance, voter key) upsert and the share lock on the election row — decides.

- 200 voters casting at once give 200 ballots, none over the budget;
- one voter sending 50 ballots at once leaves exactly one (the last one counts);
- closing the vote while ballots pour in: every ballot stored is counted, none after.

Skipped on SQLite, which runs one write at a time and so cannot show a race; CI's second
run is on PostgreSQL (``DATABASE_URL=postgres://…``).
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.test import Client

from medvirk.identity.models import User
from medvirk.methods.budgeting import staff_actions
from medvirk.methods.budgeting.models import Ballot, Tally, VotingCode
from medvirk.organisations.models import Municipality
from tests import factories
from tests.concurrency import in_workers, require_postgresql

from .conftest import EN, Budget, add, make_budget, make_codes, open_vote, person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

COSTS = [90_000, 70_000, 60_000, 40_000, 30_000, 20_000]
BUDGET = 150_000


def _budget(org: Municipality, officer: User, **settings: Any) -> tuple[Budget, list[int]]:
    budget = make_budget(org, settings={"voters": "codes", "budget": BUDGET, **settings})
    numbers = [add(budget, officer, f"Prosjekt {i}", cost).number for i, cost in enumerate(COSTS)]
    open_vote(budget, officer)
    return budget, numbers


def _post(url: str, fields: dict[str, Any], client: Client | None = None) -> int:
    response = (client or Client(**EN)).post(url, {"action": "cast", **fields})
    return response.status_code


def test_two_hundred_voters_at_once_give_two_hundred_ballots_none_over_budget(
    org: Municipality, officer: User
) -> None:
    require_postgresql()
    budget, numbers = _budget(org, officer)
    codes = make_codes(budget, officer, 200)
    url = budget.url("vote")
    rng = random.Random(3)
    # Half within the budget, half over it (refused): the server checks every one.
    ballots = []
    for i in range(200):
        if i % 2:
            ballots.append([numbers[0], numbers[1]])  # 160 000 > 150 000
        else:
            ballots.append(rng.sample(numbers[2:], 2))
    outcomes = in_workers(
        lambda i: _post(url, {"code": codes[i], "project": ballots[i]}), jobs=200, threads=40
    )
    assert outcomes.count(302) == 100 and outcomes.count(400) == 100
    # Again, now every voter within the budget: 200 ballots, one per code.
    fine = [rng.sample(numbers[1:], 2) for _ in range(200)]
    outcomes = in_workers(
        lambda i: _post(url, {"code": codes[i], "project": fine[i]}), jobs=200, threads=40
    )
    assert outcomes.count(302) == 200
    rows = Ballot.objects.filter(method_instance=budget.instance)
    assert rows.count() == 200
    assert all(b.total <= BUDGET == b.limit for b in rows)
    assert VotingCode.objects.filter(used=True).count() == 200


def test_one_voter_sending_fifty_ballots_at_once_leaves_exactly_one(
    org: Municipality, officer: User
) -> None:
    require_postgresql()
    budget, numbers = _budget(org, officer)
    code = make_codes(budget, officer, 1)[0]
    url = budget.url("vote")
    choices = [[numbers[i % 6]] for i in range(50)]
    outcomes = in_workers(lambda i: _post(url, {"code": code, "project": choices[i]}), 50, 50)
    assert outcomes.count(302) == 50
    ballot = Ballot.objects.get(method_instance=budget.instance)
    assert [int(k) for k in ballot.choices] in choices


def test_one_e_id_person_sending_fifty_ballots_at_once_leaves_exactly_one(
    org: Municipality, officer: User, settings: Any
) -> None:
    require_postgresql()
    settings.MEDVIRK_RESIDENCE_PROVIDER = "medvirk.identity.residence.TestResidence"
    budget = make_budget(org, settings={"voters": "eid", "budget": BUDGET})
    numbers = [add(budget, officer, f"Prosjekt {i}", cost).number for i, cost in enumerate(COSTS)]
    open_vote(budget, officer)
    kari = person("kari")
    clients = []
    for _ in range(50):
        client = Client(**EN)
        client.force_login(kari)
        clients.append(client)
    url = budget.url("vote")
    outcomes = in_workers(
        lambda i: _post(url, {"project": [numbers[i % 6]]}, clients[i]), jobs=50, threads=50
    )
    assert outcomes.count(302) == 50
    assert Ballot.objects.filter(method_instance=budget.instance).count() == 1


def test_closing_while_ballots_pour_in_counts_exactly_the_ballots_stored(
    org: Municipality, officer: User
) -> None:
    require_postgresql()
    budget, numbers = _budget(org, officer)
    codes = make_codes(budget, officer, 120)
    url = budget.url("vote")
    staff = factories.staff(org)

    def work(i: int) -> Any:
        if i == 60:
            staff_actions.do_close_vote(staff, budget.instance)
            return "closed"
        return _post(url, {"code": codes[i], "project": [numbers[3], numbers[4]]})

    outcomes = in_workers(work, jobs=120, threads=30)
    assert outcomes.count("closed") == 1
    stored = Ballot.objects.filter(method_instance=budget.instance).count()
    assert stored == outcomes.count(302)
    assert set(outcomes) <= {"closed", 302, 403, 409}
    tally = Tally.objects.get(method_instance=budget.instance)
    assert tally.ballots == stored
