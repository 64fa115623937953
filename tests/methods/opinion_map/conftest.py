"""Fixtures for the opinion map: a published case with a running phase and a published
opinion map, built through the application's actions (tests/factories.py); helpers to vote
as a browser and to run the map's task by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from medvirk.identity.models import User
from medvirk.methods.opinion_map import mapping, staff_actions
from medvirk.methods.opinion_map.models import OpinionMap, Statement
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, PhaseKind
from tests import factories
from tests.factories import DAY

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
TEXTS = [
    "The school should stay in the village.",
    "A new school should be built on the same site.",
    "Renovating is better than building new.",
    "Pupils need better indoor air now.",
    "The way to school must be safe first.",
    "A bigger school gives better teaching.",
    "Long bus rides are too hard for the youngest.",
    "The municipality cannot afford a new school now.",
    "The school should be a meeting place in the evenings.",
    "We should merge with the school in the centre.",
]


@dataclass
class Conversation:
    instance: MethodInstance
    statements: list[Statement]

    def url(self, name: str = "", **kwargs: Any) -> str:
        return registry.get("opinion_map").url(self.instance, name, **kwargs)

    @property
    def export_url(self) -> str:
        return registry.get("opinion_map").export_url(self.instance, "polis")

    @property
    def editor_url(self) -> str:
        return f"/stab/sak/{self.instance.process_id}/metode/{self.instance.pk}/innhald/"


def make_conversation(
    org: Municipality,
    *,
    texts: list[str] | None = None,
    settings: Mapping[str, Any] | None = None,
    end: dt.datetime | None = None,
    identity_levels: Mapping[str, int] | None = None,
) -> Conversation:
    now = timezone.now()
    proc = factories.process(org)
    ph = factories.phase(
        proc, start=now - 5 * DAY, end=end or now + 5 * DAY, kind=PhaseKind.INVESTIGATION
    )
    instance = factories.method(
        proc,
        ph,
        key="opinion_map",
        title="What do we agree on?",
        settings=settings,
        identity_levels=identity_levels,
    )
    statements = [
        staff_actions.do_add_seed(None, instance, text)
        for text in (TEXTS if texts is None else texts)
    ]
    return Conversation(instance, statements)


def browser(conversation: Conversation) -> Client:
    """A visitor who has opened the page (and so has a session)."""
    client = Client()
    assert client.get(conversation.url(), **EN).status_code == 200
    return client


def vote(client: Client, conversation: Conversation, statement: Statement, word: str) -> Any:
    return client.post(
        conversation.url("vote"), {"statement": str(statement.pk), "vote": word}, **EN
    )


def draw(conversation: Conversation) -> OpinionMap:
    """Ask for the map and run its task now, as the worker would (whatever the debounce)."""
    OpinionMap.objects.get_or_create(method_instance=conversation.instance)
    OpinionMap.objects.filter(method_instance=conversation.instance).update(
        requested_at=timezone.now()
    )
    assert mapping.run(conversation.instance.pk) == mapping.COMPUTED
    return OpinionMap.objects.get(method_instance=conversation.instance)


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def queued(settings: Any) -> None:
    """Tasks are queued and not run (the production worker's view of the hot path)."""
    settings.TASKS = DUMMY_TASKS


@pytest.fixture
def org() -> Municipality:
    return factories.municipality("Lillevik")


@pytest.fixture
def conversation(org: Municipality) -> Conversation:
    return make_conversation(org)


@pytest.fixture
def officer(org: Municipality) -> User:
    return factories.staff(org, Role.CASE_OFFICER)


@pytest.fixture
def moderator(org: Municipality) -> User:
    return factories.staff(org, Role.MODERATOR)
