"""Races: one person pressing "Support" in several requests at once gets one support; two
staff members merging or moving the same idea at once leave one consistent state (the
idea's row is locked, the database's unique key decides the rest)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from medvirk.identity.models import User
from medvirk.methods.ideas import actions
from medvirk.methods.ideas.models import Idea, Outcome, Support
from medvirk.organisations.models import Municipality
from tests import factories
from tests.concurrency import in_parallel

from .conftest import EN, login, make_board
from .test_support import browser

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_requests_by_one_browser_give_exactly_one_support(org: Municipality) -> None:
    board = make_board(org)
    idea = board.idea()
    cookie = browser(board, idea.pk).cookies[django_settings.SESSION_COOKIE_NAME].value
    url = board.url("support", pk=idea.pk)

    def press(_i: int) -> int:
        client = Client(**EN)
        client.cookies[django_settings.SESSION_COOKIE_NAME] = cookie
        return int(client.post(url, {"action": "support"}).status_code)

    assert sorted(in_parallel(press, 5)) == [302, 409, 409, 409, 409]
    assert Support.objects.filter(idea=idea).count() == 1


def test_parallel_requests_by_one_account_give_exactly_one_support(org: Municipality) -> None:
    board = make_board(org)
    idea = board.idea()
    person = factories.user(email_verified=True)
    url = board.url("support", pk=idea.pk)

    def press(_i: int) -> int:
        return int(login(person).post(url, {"action": "support"}).status_code)

    assert sorted(in_parallel(press, 4)) == [302, 409, 409, 409]
    assert Support.objects.filter(idea=idea, user=person).count() == 1


def test_two_staff_merging_a_pair_both_ways_at_once_leave_one_merge(
    org: Municipality, officer: User
) -> None:
    board = make_board(org)
    a, b = board.idea("A"), board.idea("B")
    board.supporters(a, 3, prefix="a")
    board.supporters(b, 2, prefix="b")
    other = factories.staff(org)
    clients = [login(officer), login(other)]
    moves = [(a, b), (b, a)]

    def merge(i: int) -> int:
        idea, keep = moves[i]
        response = clients[i].post(
            board.url("staff_idea", pk=idea.pk), {"action": "merge", "merge-target": str(keep.pk)}
        )
        return int(response.status_code)

    # The loser is refused: by the action (409), or by the form when the other merge has
    # already taken its target off the list of ideas one can merge into (400).
    first, second = sorted(in_parallel(merge, 2))
    assert first == 302 and second in (400, 409)
    rows = {i.pk: i for i in Idea.objects.all()}
    merged = [i for i in rows.values() if i.merged_into_id is not None]
    assert len(merged) == 1  # never a cycle
    kept = rows[merged[0].merged_into_id]
    assert kept.merged_into_id is None
    assert Support.objects.filter(idea=kept).count() == 5
    assert not Support.objects.filter(idea=merged[0]).exists()


def test_a_merge_and_a_move_of_one_idea_at_once_leave_one_of_them(
    org: Municipality, officer: User
) -> None:
    board = make_board(org)
    a, b = board.idea("A"), board.idea("B")
    case = factories.process(org, title="Another case")
    other = factories.staff(org)
    clients = [login(officer), login(other)]
    forms: list[dict[str, Any]] = [
        {"action": "merge", "merge-target": str(b.pk)},
        {"action": "move", "move-process": str(case.pk)},
    ]

    def act(i: int) -> int:
        return int(clients[i].post(board.url("staff_idea", pk=a.pk), forms[i]).status_code)

    first, second = sorted(in_parallel(act, 2))
    assert first == 302 and second in (400, 409)
    a.refresh_from_db()
    assert (a.merged_into_id is None) != (a.outcome == Outcome.NONE)


def test_supports_during_a_merge_are_counted_once_on_the_idea_kept(
    org: Municipality, officer: User
) -> None:
    board = make_board(org)
    kept, duplicate = board.idea("Kept"), board.idea("Duplicate")
    board.supporters(kept, 2, prefix="same")
    cookie = browser(board, duplicate.pk).cookies[django_settings.SESSION_COOKIE_NAME].value

    def act(i: int) -> int:
        if i == 0:
            return int(
                login(officer)
                .post(
                    board.url("staff_idea", pk=duplicate.pk),
                    {"action": "merge", "merge-target": str(kept.pk)},
                )
                .status_code
            )
        client = Client(**EN)
        client.cookies[django_settings.SESSION_COOKIE_NAME] = cookie
        return int(
            client.post(board.url("support", pk=duplicate.pk), {"action": "support"}).status_code
        )

    results = in_parallel(act, 4)
    assert results[0] == 302
    assert not Support.objects.filter(idea=duplicate).exists()
    # Whichever came first, the browser counts at most once, and only on the kept idea.
    key = actions.person_key(AnonymousUser(), cookie)
    counted = Support.objects.filter(person_key=key).count()
    assert counted <= 1
    assert Support.objects.filter(idea=kept).count() == 2 + counted


@pytest.fixture
def officer(org: Municipality) -> User:
    return factories.staff(org)
