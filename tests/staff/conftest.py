"""Fixtures for the staff area: the small world of tests/factories.py."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def w(db: None) -> factories.World:
    return factories.world()
