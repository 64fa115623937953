"""Supporting an idea: once per person (an account, or a browser for anonymous support),
withdrawn at will, counted on the idea, enforced by the database even in a race."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.test import Client

from medvirk.core.errors import ActionRefused
from medvirk.identity.models import AssuranceLevel, User
from medvirk.methods.ideas import actions
from medvirk.methods.ideas.models import Support
from medvirk.organisations.models import Municipality
from tests import factories
from tests.fixtures import clear_own_cache

from .conftest import EN, Board, login, make_board

pytestmark = pytest.mark.django_db


def browser(board: Board, idea_pk: int) -> Client:
    """A browser that opened the idea's page (and so has a session)."""
    client = Client(**EN)
    assert client.get(board.url("idea", pk=idea_pk)).status_code == 200
    assert django_settings.SESSION_COOKIE_NAME in client.cookies
    return client


def test_an_anonymous_browser_supports_once_and_can_take_it_back(board: Board) -> None:
    idea = board.idea()
    client = browser(board, idea.pk)
    url = board.url("support", pk=idea.pk)
    first = client.post(url, {"action": "support"})
    assert first.status_code == 302
    assert first["Location"] == board.url("idea", pk=idea.pk) + "#support"
    support = Support.objects.get()
    assert support.user is None and support.level == AssuranceLevel.ANONYMOUS
    page = client.get(board.url("idea", pk=idea.pk)).content.decode()
    assert "You support this idea" in page and "Take back my support" in page

    again = client.post(url, {"action": "support"})
    assert again.status_code == 409
    assert "You already support this idea" in again.content.decode()
    assert Support.objects.count() == 1

    # Another browser is another supporter.
    assert browser(board, idea.pk).post(url, {"action": "support"}).status_code == 302
    assert Support.objects.count() == 2

    withdrawn = client.post(url, {"action": "withdraw"})
    assert withdrawn.status_code == 302
    assert Support.objects.count() == 1
    assert "Take back my support" not in client.get(board.url("idea", pk=idea.pk)).content.decode()


def test_a_logged_in_person_supports_with_the_account_on_any_device(
    board: Board, resident: User
) -> None:
    idea = board.idea()
    url = board.url("support", pk=idea.pk)
    assert login(resident).post(url, {"action": "support"}).status_code == 302
    assert login(resident).post(url, {"action": "support"}).status_code == 409
    support = Support.objects.get()
    assert support.user == resident
    assert support.level == AssuranceLevel.EMAIL


def test_a_support_from_the_board_returns_to_the_board_with_its_filters(board: Board) -> None:
    idea = board.idea(category="Culture")
    client = Client(**EN)
    page = client.get(board.url() + "?sorter=supported&kategori=Culture")
    assert page.status_code == 200
    assert 'name="tilbake"' in page.content.decode()
    response = client.post(
        board.url("support", pk=idea.pk),
        {"action": "support", "tilbake": "sorter=supported&kategori=Culture&evil=1"},
    )
    assert response.status_code == 302
    assert response["Location"] == (
        board.url() + f"?sorter=supported&kategori=Culture#ide-{idea.pk}"
    )


def test_the_database_refuses_a_second_support_of_one_person() -> None:
    org = factories.municipality()
    board = make_board(org)
    idea = board.idea()
    board.support(idea, browser="same")
    with pytest.raises(actions.AlreadySupported):
        board.support(idea, browser="same")
    key = actions.person_key(AnonymousUser(), "same")
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(idea=idea, person_key=key)


def test_a_board_that_needs_an_email_login_refuses_anonymous_support(org: Municipality) -> None:
    board = make_board(org, identity_levels={"support": AssuranceLevel.EMAIL})
    idea = board.idea()
    client = Client(**EN)
    page = client.get(board.url("idea", pk=idea.pk)).content.decode()
    assert "support-refusal" in page and "/konto/logg-inn/" in page
    listing = client.get(board.url()).content.decode()
    assert "support-refusal" in listing and 'name="action"' not in listing
    response = client.post(board.url("support", pk=idea.pk), {"action": "support"})
    assert response.status_code == 403
    assert not Support.objects.exists()
    unverified = factories.user()
    assert (
        login(unverified).post(board.url("support", pk=idea.pk), {"action": "support"}).status_code
        == 403
    )
    verified = factories.user(email_verified=True)
    assert (
        login(verified).post(board.url("support", pk=idea.pk), {"action": "support"}).status_code
        == 302
    )
    assert Support.objects.get().user == verified


def test_supports_can_be_turned_off(org: Municipality) -> None:
    board = make_board(org, settings={"supports": False})
    idea = board.idea()
    page = Client(**EN).get(board.url("idea", pk=idea.pk)).content.decode()
    assert 'id="support"' not in page
    response = Client(**EN).post(board.url("support", pk=idea.pk), {"action": "support"})
    assert response.status_code == 403
    assert not Support.objects.exists()


def test_an_idea_that_is_not_published_cannot_be_supported(org: Municipality) -> None:
    org.moderation_mode = "pre"
    org.save()
    board = make_board(org)
    idea = board.idea()
    with pytest.raises(ActionRefused) as refused:
        board.support(idea, browser="x")
    assert refused.value.status == 409
    assert (
        Client(**EN).post(board.url("support", pk=idea.pk), {"action": "support"}).status_code
        == 404
    )


def test_counts_of_one_to_four_supporters_are_not_shown_publicly(board: Board) -> None:
    few, many, none = board.idea("Few"), board.idea("Many"), board.idea("None")
    board.supporters(few, 3)
    board.supporters(many, 6)
    html = Client(**EN).get(board.url()).content.decode()
    assert "Fewer than 5 supporters" in html
    assert "6 supporters" in html
    assert "No supporters yet" in html
    assert "3 supporters" not in html
    page = Client(**EN).get(board.url("idea", pk=few.pk)).content.decode()
    assert "Fewer than 5 supporters" in page and "3 supporter" not in page
    assert none.pk


def test_anonymous_supports_from_one_connection_are_limited(
    org: Municipality, settings: Any
) -> None:
    clear_own_cache()
    settings.MEDVIRK_RATE_LIMITS = {**settings.MEDVIRK_RATE_LIMITS, "input": "2/10m"}
    board = make_board(org)
    ideas = [board.idea(f"Idea {n}") for n in range(3)]
    statuses = [
        Client(**EN).post(board.url("support", pk=idea.pk), {"action": "support"}).status_code
        for idea in ideas
    ]
    assert statuses == [302, 302, 429]
    assert Support.objects.count() == 2


def test_a_support_without_a_session_is_refused() -> None:
    board = make_board(factories.municipality())
    idea = board.idea()
    with pytest.raises(ActionRefused) as refused:
        actions.do_support(AnonymousUser(), board.instance, idea.pk, session_key="")
    assert refused.value.status == 400
    assert not Support.objects.exists()
