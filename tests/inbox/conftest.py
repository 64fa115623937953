"""Fixtures for the inbox: the small world of tests/factories.py and an officer's client."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories


@pytest.fixture
def w(db: None) -> factories.World:
    return factories.world()


@pytest.fixture
def officer(w: factories.World) -> Client:
    """The case officer of Lillevik, logged in, reading English."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(w.officer)
    return client
