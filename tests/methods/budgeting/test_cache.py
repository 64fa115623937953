"""What a ballot keeps in the web process for a few seconds (MEDVIRK_BUDGET_CACHE_SECONDS):
the case's phases and the fixed ballot. Off in the other tests; on here."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medvirk.identity.models import User
from medvirk.methods.budgeting import actions
from medvirk.methods.budgeting.models import Ballot, VotingCode

from .conftest import Budget, add, make_codes, open_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings: Any) -> Any:
    settings.MEDVIRK_BUDGET_CACHE_SECONDS = 5.0
    for kept in (actions._PHASES, actions._OFFERED, actions._ELECTIONS):
        kept.clear()
    yield
    for kept in (actions._PHASES, actions._OFFERED, actions._ELECTIONS):
        kept.clear()


def test_a_second_ballot_reads_neither_phases_nor_projects_again(
    cached: None, codes_budget: Budget, officer: User
) -> None:
    a = add(codes_budget, officer, "Benkar", 25_000).number
    b = add(codes_budget, officer, "Klatrevegg", 60_000).number
    open_vote(codes_budget, officer)
    first, second = make_codes(codes_budget, officer, 2)
    instance = codes_budget.refresh()
    assert not actions.do_vote(AnonymousUser(), instance, {a: 1}, code=first).changed
    with CaptureQueriesContext(connection) as seen:
        actions.do_vote(AnonymousUser(), instance, {a: 1, b: 1}, code=second)
    sql = " ".join(q["sql"] for q in seen.captured_queries)
    assert "processes_phase" not in sql and "budgeting_project" not in sql
    assert "budgeting_election" in sql and "FOR UPDATE" not in sql  # read once, not locked
    assert Ballot.objects.filter(method_instance=instance).count() == 2


def test_a_code_knows_whether_its_ballot_replaces_one(
    cached: None, codes_budget: Budget, officer: User
) -> None:
    a = add(codes_budget, officer, "Benkar", 25_000).number
    b = add(codes_budget, officer, "Klatrevegg", 60_000).number
    open_vote(codes_budget, officer)
    (code,) = make_codes(codes_budget, officer, 1)
    instance = codes_budget.refresh()
    assert not actions.do_vote(AnonymousUser(), instance, {a: 1}, code=code).changed
    assert VotingCode.objects.get(code=code).used
    assert actions.do_vote(AnonymousUser(), instance, {b: 1}, code=code).changed
    assert Ballot.objects.filter(method_instance=instance).count() == 1


def test_the_phases_are_read_again_once_the_time_is_up(
    cached: None, codes_budget: Budget, officer: User, monkeypatch: Any
) -> None:
    instance = codes_budget.refresh()
    actions._phases(instance)
    clock = [actions.time.monotonic() + 6.0]
    monkeypatch.setattr(actions.time, "monotonic", lambda: clock[0])
    with CaptureQueriesContext(connection) as seen:
        actions._phases(instance)
    assert any("processes_phase" in q["sql"] for q in seen.captured_queries)
