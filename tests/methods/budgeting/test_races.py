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

import os
import random
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from medvirk.identity.models import User
from medvirk.methods.budgeting import staff_actions
from medvirk.methods.budgeting.models import Ballot, Tally, VotingCode
from medvirk.organisations.models import Municipality
from tests import factories

from .conftest import EN, Budget, add, make_budget, make_codes, open_vote, person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

COSTS = [90_000, 70_000, 60_000, 40_000, 30_000, 20_000]
BUDGET = 150_000


def _require_postgresql() -> None:
    if connection.vendor == "postgresql":
        return
    if os.environ.get("CI") == "true" and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.fail("DATABASE_URL names PostgreSQL, but the tests run on " + connection.vendor)
    pytest.skip(
        "needs PostgreSQL: SQLite runs one write at a time, so it cannot show a race "
        "(set DATABASE_URL=postgres://user@host:5432/name)"
    )


def _workers(work: Callable[[int], Any], jobs: int, threads: int) -> list[Any]:
    """``work(i)`` for i in 0..jobs-1 on ``threads`` threads released together, each with
    its own database connection (closed at the end); the results in order."""
    barrier = threading.Barrier(threads)
    results: list[Any] = [None] * jobs
    errors: list[BaseException] = []

    def run(first: int) -> None:
        try:
            barrier.wait(timeout=30)
            for i in range(first, jobs, threads):
                results[i] = work(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=180)
    assert not any(t.is_alive() for t in pool), "a thread did not finish in 180 s"
    assert not errors, errors[:3]
    return results


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
    _require_postgresql()
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
    outcomes = _workers(
        lambda i: _post(url, {"code": codes[i], "project": ballots[i]}), jobs=200, threads=40
    )
    assert outcomes.count(302) == 100 and outcomes.count(400) == 100
    # Again, now every voter within the budget: 200 ballots, one per code.
    fine = [rng.sample(numbers[1:], 2) for _ in range(200)]
    outcomes = _workers(
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
    _require_postgresql()
    budget, numbers = _budget(org, officer)
    code = make_codes(budget, officer, 1)[0]
    url = budget.url("vote")
    choices = [[numbers[i % 6]] for i in range(50)]
    outcomes = _workers(lambda i: _post(url, {"code": code, "project": choices[i]}), 50, 50)
    assert outcomes.count(302) == 50
    ballot = Ballot.objects.get(method_instance=budget.instance)
    assert [int(k) for k in ballot.choices] in choices


def test_one_e_id_person_sending_fifty_ballots_at_once_leaves_exactly_one(
    org: Municipality, officer: User, settings: Any
) -> None:
    _require_postgresql()
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
    outcomes = _workers(
        lambda i: _post(url, {"project": [numbers[i % 6]]}, clients[i]), jobs=50, threads=50
    )
    assert outcomes.count(302) == 50
    assert Ballot.objects.filter(method_instance=budget.instance).count() == 1


def test_closing_while_ballots_pour_in_counts_exactly_the_ballots_stored(
    org: Municipality, officer: User
) -> None:
    _require_postgresql()
    budget, numbers = _budget(org, officer)
    codes = make_codes(budget, officer, 120)
    url = budget.url("vote")
    staff = factories.staff(org)

    def work(i: int) -> Any:
        if i == 60:
            staff_actions.do_close_vote(staff, budget.instance)
            return "closed"
        return _post(url, {"code": codes[i], "project": [numbers[3], numbers[4]]})

    outcomes = _workers(work, jobs=120, threads=30)
    assert outcomes.count("closed") == 1
    stored = Ballot.objects.filter(method_instance=budget.instance).count()
    assert stored == outcomes.count(302)
    assert set(outcomes) <= {"closed", 302, 403, 409}
    tally = Tally.objects.get(method_instance=budget.instance)
    assert tally.ballots == stored
