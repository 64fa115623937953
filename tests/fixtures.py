"""Fixtures several test folders share; a folder's conftest imports the ones it uses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """A temporary MEDIA_ROOT, so uploads in tests never land in var/."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


def clear_own_cache() -> None:
    """Empty this test process's cache. On Redis only its own keys (the KEY_PREFIX of
    settings/test.py): Django's ``cache.clear()`` flushes the whole Redis database, which
    would empty a parallel worker's sessions in the middle of its test."""
    from django.core.cache import cache

    prefix = getattr(cache, "key_prefix", "")
    client = getattr(getattr(cache, "_cache", None), "get_client", None)
    if prefix and client is not None:  # Django's RedisCache
        redis = client(None, write=True)
        keys = list(redis.scan_iter(match=f"{prefix}:*"))
        if keys:
            redis.delete(*keys)
    else:
        cache.clear()
