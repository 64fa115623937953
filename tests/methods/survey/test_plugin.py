"""The survey plug-in is registered and well-formed; its settings form refuses bad values."""

from __future__ import annotations

import pytest
from django.utils import translation

from medvirk.methods.survey.plugin import Survey
from medvirk.processes import registry
from medvirk.processes.phases import Timing


def test_plugin_is_registered_without_problems() -> None:
    plugin = registry.get("survey")
    assert isinstance(plugin, Survey)
    assert registry.problems(plugin) == []
    assert plugin.action("answer").timings == frozenset({Timing.DURING})
    assert [k.key for k in plugin.contribution_kinds] == ["survey_answer"]
    assert {e.key: e.audience for e in plugin.exports} == {
        "svar-csv": "staff",
        "resultat-csv": "public",
    }
    assert plugin.has_staff_editor


def test_default_settings() -> None:
    assert registry.get("survey").validate_settings({}) == {
        "allow_anonymous": True,
        "ask_contact_email": True,
        "results_public": False,
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"results_public": "yes"}, "Show the results to everyone: Must be yes or no."),
        ({"allow_anonymous": 1}, "Answer without logging in: Must be yes or no."),
        (
            {"ask_contact_email": None},
            "Offer a field for an e-mail address to hear back: Must be yes or no.",
        ),
        ({"colour": "red"}, "Unknown settings: colour."),
    ],
)
def test_bad_settings_are_refused_with_a_message(raw: dict[str, object], message: str) -> None:
    with translation.override("en"), pytest.raises(registry.SettingsInvalid) as error:
        registry.get("survey").validate_settings(raw)
    assert error.value.messages == [message]
