# ruff: noqa: F811 - test functions take the shared fixture `w` as a parameter
"""Fixtures for moderation: the small world of tests/factories.py, in a chosen mode."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from medvirk.contributions.actions import Draft, do_contribute, do_set_moderation_mode
from medvirk.contributions.models import Contribution
from medvirk.identity.models import User
from medvirk.processes.models import MethodInstance
from tests import factories
from tests.browser.conftest import browser, page  # noqa: F401 - for test_browser.py
from tests.fixtures import english, w  # noqa: F401 - shared fixtures


def set_mode(w: factories.World, mode: str) -> MethodInstance:
    """The kommune's mode, set by its administrator; the method as stored now."""
    do_set_moderation_mode(w.admin, w.org, mode)
    w.org.refresh_from_db()
    return MethodInstance.objects.select_related("process__municipality").get(pk=w.method.pk)


Give = Callable[..., Contribution]


def give_in(method: MethodInstance) -> Give:
    """A function that gives input to ``method``: ``give(text, user=None, **draft)``."""

    def give(
        text: str = "Skulen treng fleire klasserom.", user: User | None = None, **draft: Any
    ) -> Contribution:
        receipt = do_contribute(
            user if user is not None else AnonymousUser(),
            method,
            "ask_question",
            Draft(kind="question", text=text, **draft),
        )
        return receipt.contribution

    return give


@pytest.fixture
def published(w: factories.World) -> Contribution:
    """A published input with an author who gave an e-mail address (post-moderation)."""
    return factories.contribution(
        w.method,
        w.resident,
        text="Læraren Ola Hansen er for streng.",
        contact_email="forfattar@example.org",
    )
