"""Fixtures for the answer loop as residents live it: receipts, accounts, decisions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from medvirk.identity.models import User
from tests import factories


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English (the msgids); pages default to Norwegian."""
    with translation.override("en"):
        yield


@pytest.fixture
def w(db: None) -> factories.World:
    return factories.world()


@pytest.fixture
def verified(db: None) -> User:
    """A resident logged in with a verified e-mail address (assurance level "e-mail")."""
    return factories.user("kari", email="kari.nordmann@example.org", email_verified=True)
