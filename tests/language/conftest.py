"""Fixtures for the language tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings

MIDDLEWARE = "medvirk.core.language.PreferredLanguageMiddleware"


@pytest.fixture
def wired() -> Iterator[None]:
    """The language choice is wired in the site's own settings (no override needed)."""
    assert MIDDLEWARE in settings.MIDDLEWARE
    yield
