from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from tests import factories


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English (the msgids); pages default to Norwegian."""
    with translation.override("en"):
        yield


@pytest.fixture
def w(db: None) -> factories.World:
    return factories.world()
