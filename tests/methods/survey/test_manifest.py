"""The survey manifest is registered and well-formed; settings are validated."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from medvirk.methods.survey.manifest import MANIFEST, validate_settings
from medvirk.processes import registry
from medvirk.processes.phases import Timing


def test_manifest_is_registered_without_problems() -> None:
    assert registry.get("survey") is MANIFEST
    assert registry.problems(MANIFEST) == []
    assert MANIFEST.action("answer").timings == frozenset({Timing.DURING})
    assert MANIFEST.contribution_kinds == ("survey_answer",)
    assert [e.key for e in MANIFEST.exports] == ["csv"]


def test_default_settings() -> None:
    assert MANIFEST.validate_settings({}) == {
        "allow_anonymous": True,
        "ask_contact_email": True,
        "results_public": False,
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"results_public": "yes"}, "'results_public' must be true or false."),
        ({"allow_anonymous": 1}, "'allow_anonymous' must be true or false."),
        ({"ask_contact_email": None}, "'ask_contact_email' must be true or false."),
        ({"colour": "red"}, "Unknown survey settings: colour."),
    ],
)
def test_bad_settings_are_refused_with_a_message(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_settings(raw)
    assert error.value.messages == [message]
