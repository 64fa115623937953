from __future__ import annotations

from tests.fixtures import english, w  # noqa: F401 - shared fixtures
