"""Fixtures for the survey: a municipality with a published process, a running phase and a
published survey with one question of every kind (two of them demographic).

Thin wrappers over tests/factories.py, which builds through the application's actions.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from medvirk.identity.models import User
from medvirk.organisations.models import Municipality, Role
from tests import factories
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    """Assertions read the English msgids, whatever translations the project ships."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def org() -> Municipality:
    return factories.municipality("Lillevik")


@pytest.fixture
def survey(org: Municipality) -> Survey:
    return survey_factories.survey(org)


@pytest.fixture
def other_survey() -> Survey:
    return survey_factories.survey(factories.municipality("Andrevik"))


@pytest.fixture
def officer(org: Municipality) -> User:
    return factories.staff(org, Role.CASE_OFFICER)


@pytest.fixture
def moderator(org: Municipality) -> User:
    return factories.staff(org, Role.MODERATOR)


@pytest.fixture
def resident() -> User:
    return factories.user()
