"""Fixtures for the discussion: a published case with a running phase and a published
discussion with one open question, built through the application's actions
(tests/factories.py and the discussion's own actions).

The municipality post-moderates (as tests/factories.py sets up): what residents write is
shown at once, so a test sees its post in the thread; tests of moderation set the mode.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from medvirk.contributions.models import Contribution
from medvirk.identity.models import User
from medvirk.methods.discussion import actions, staff_actions
from medvirk.methods.discussion.actions import Writing
from medvirk.methods.discussion.models import Post, Topic
from medvirk.organisations.models import Membership, Municipality, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, PhaseKind
from tests import factories
from tests.factories import DAY
from tests.fixtures import media  # noqa: F401 - autouse: uploads go to a temporary MEDIA_ROOT

QUESTION = "How can the school be used after school hours?"


@dataclass
class Discussion:
    instance: MethodInstance
    topic: Topic

    def url(self, name: str = "", **kwargs: Any) -> str:
        if not name:
            return self.instance.get_absolute_url()
        return registry.get("discussion").url(self.instance, name, **kwargs)

    def export_url(self, key: str) -> str:
        return registry.get("discussion").export_url(self.instance, key)

    def post(
        self,
        text: str = "The gym should be open for clubs in the evening.",
        user: User | None = None,
        *,
        topic: bool = True,
        **writing: Any,
    ) -> Post:
        receipt = actions.do_post(
            user or AnonymousUser(),
            self.instance,
            Writing(text=text, **writing),
            self.topic.pk if topic else None,
        )
        found = actions.post_of(receipt.contribution.pk)
        assert found is not None
        return found

    def reply(
        self, parent: Post, text: str = "I agree.", user: User | None = None, **writing: Any
    ) -> Post:
        receipt = actions.do_reply(
            user or AnonymousUser(), self.instance, parent.pk, Writing(text=text, **writing)
        )
        found = actions.post_of(receipt.contribution.pk)
        assert found is not None
        return found


def make_discussion(
    org: Municipality,
    *,
    settings: Mapping[str, Any] | None = None,
    identity_levels: Mapping[str, int] | None = None,
) -> Discussion:
    now = timezone.now()
    proc = factories.process(org)
    ph = factories.phase(
        proc, start=now - 5 * DAY, end=now + 20 * DAY, kind=PhaseKind.INVESTIGATION
    )
    instance = factories.method(
        proc,
        ph,
        key="discussion",
        title="Discussion about the school",
        description="Talk with your neighbours and with the municipality.",
        settings=settings,
        identity_levels=identity_levels,
    )
    topic = staff_actions.do_save_topic(None, instance, title=QUESTION, body="Tell us.")
    return Discussion(instance, topic)


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def org() -> Municipality:
    return factories.municipality("Lillevik")


@pytest.fixture
def discussion(org: Municipality) -> Discussion:
    return make_discussion(org)


@pytest.fixture
def officer(org: Municipality) -> User:
    return factories.staff(org, Role.CASE_OFFICER, first_name="Sigrid", last_name="Vik")


@pytest.fixture
def moderator(org: Municipality) -> User:
    return factories.staff(org, Role.MODERATOR)


@pytest.fixture
def politician(org: Municipality) -> User:
    person = factories.user(first_name="Marit", last_name="Bakke")
    Membership.objects.create(user=person, municipality=org, role=Role.POLITICIAN)
    return person


@pytest.fixture
def resident() -> User:
    return factories.user(display_name="Kari Nordmann", email_verified=True)


def contribution_of(post: Post) -> Contribution:
    return Contribution.objects.get(pk=post.contribution_id)
