"""Fixtures for themes across all input: the small world of tests/factories.py, the planted
Norwegian text set as the case's input, and an officer's client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation

from medvirk.contributions.models import Contribution
from tests import factories
from tests.algorithms.test_themes import CASE


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Actions' messages in English, so the tests can read them."""
    with translation.override("en"):
        yield


@pytest.fixture
def w(db: None) -> factories.World:
    return factories.world()


@pytest.fixture
def officer(w: factories.World) -> Client:
    """The case officer of Lillevik, logged in, reading English."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(w.officer)
    return client


def planted_input(w: factories.World, n: int = 60) -> dict[str, list[Contribution]]:
    """The first ``n`` texts of the planted set as the case's input (web and letters),
    by planted topic."""
    out: dict[str, list[Contribution]] = {}
    for i, (_pk, text, topic) in enumerate(CASE[:n]):
        channel = "letter" if i % 5 == 0 else "web"
        item = factories.contribution(
            w.method, text=text, channel=channel, registered_by=w.officer if i % 5 == 0 else None
        )
        out.setdefault(topic, []).append(item)
    return out
