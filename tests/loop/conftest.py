"""Fixtures for the answer loop as residents live it: receipts, accounts, decisions."""

from __future__ import annotations

import pytest

from medvirk.identity.models import User
from tests import factories
from tests.fixtures import english, w  # noqa: F401 - shared fixtures


@pytest.fixture
def verified(db: None) -> User:
    """A resident logged in with a verified e-mail address (assurance level "e-mail")."""
    return factories.user("kari", email="kari.nordmann@example.org", email_verified=True)
