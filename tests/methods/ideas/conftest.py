"""Fixtures for the idea board: a published case with a running phase and a published board,
built through the application's actions (tests/factories.py and the board's own actions).

The municipality post-moderates (as tests/factories.py sets up): what residents write is
shown at once; tests of moderation set the mode themselves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone, translation

from medvirk.identity.models import User
from medvirk.methods.ideas import actions
from medvirk.methods.ideas.actions import Writing
from medvirk.methods.ideas.models import Idea, IdeaComment, Support
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, PhaseKind
from tests import factories
from tests.factories import DAY
from tests.fixtures import media  # noqa: F401 - autouse: uploads go to a temporary MEDIA_ROOT

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CATEGORIES = "Roads and traffic\nCulture\nOutdoor areas"


@dataclass
class Board:
    """An idea board and the addresses of its pages, with builders through its actions."""

    instance: MethodInstance

    def url(self, name: str = "", **kwargs: Any) -> str:
        if not name:
            return self.instance.get_absolute_url()
        return registry.get("ideas").url(self.instance, name, **kwargs)

    def export_url(self, key: str) -> str:
        return registry.get("ideas").export_url(self.instance, key)

    def editor_url(self) -> str:
        return f"/stab/sak/{self.instance.process_id}/metode/{self.instance.pk}/innhald/"

    def idea(
        self,
        title: str = "Light along the school road",
        text: str = "It is dark in the morning from October to March.",
        user: User | None = None,
        *,
        category: str = "",
        **writing: Any,
    ) -> Idea:
        receipt = actions.do_submit_idea(
            user or AnonymousUser(),
            self.instance,
            title,
            Writing(text=text, **writing),
            category,
        )
        return Idea.objects.select_related("contribution").get(pk=receipt.contribution.pk)

    def comment(
        self, idea: Idea, text: str = "Good idea.", user: User | None = None, **writing: Any
    ) -> IdeaComment:
        receipt = actions.do_comment(
            user or AnonymousUser(), self.instance, idea.pk, Writing(text=text, **writing)
        )
        return IdeaComment.objects.select_related("contribution").get(pk=receipt.contribution.pk)

    def support(self, idea: Idea, browser: str = "", user: User | None = None) -> Support:
        return actions.do_support(
            user or AnonymousUser(), self.instance, idea.pk, session_key=browser
        )

    def supporters(self, idea: Idea, n: int, prefix: str = "b") -> list[str]:
        """``n`` anonymous browsers support the idea; their session keys."""
        keys = [f"{prefix}-{idea.pk}-{i}" for i in range(n)]
        for key in keys:
            self.support(idea, browser=key)
        return keys


def make_board(
    org: Municipality,
    *,
    settings: Mapping[str, Any] | None = None,
    identity_levels: Mapping[str, int] | None = None,
    phase_start_days: float = -5,
) -> Board:
    now = timezone.now()
    proc = factories.process(org, title="The future of Lillevik school")
    ph = factories.phase(
        proc,
        start=now + phase_start_days * DAY,
        end=now + 20 * DAY,
        kind=PhaseKind.INVESTIGATION,
    )
    instance = factories.method(
        proc,
        ph,
        key="ideas",
        title="Ideas for Lillevik",
        description="What should the municipality take up?",
        settings={"categories": CATEGORIES, **(settings or {})},
        identity_levels=identity_levels,
    )
    return Board(instance)


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def org() -> Municipality:
    return factories.municipality("Lillevik")


@pytest.fixture
def board(org: Municipality) -> Board:
    return make_board(org)


@pytest.fixture
def officer(org: Municipality) -> User:
    return factories.staff(org, Role.CASE_OFFICER, first_name="Sigrid", last_name="Vik")


@pytest.fixture
def moderator(org: Municipality) -> User:
    return factories.staff(org, Role.MODERATOR)


@pytest.fixture
def resident() -> User:
    return factories.user(display_name="Kari Nordmann", email_verified=True)


@pytest.fixture
def staff_client(officer: User) -> Client:
    client = Client(**EN)
    client.force_login(officer)
    return client


def login(user: User) -> Client:
    client = Client(**EN)
    client.force_login(user)
    return client
