"""What people read about a method comes in their language: every plug-in's name,
description, actions and kinds of input are translations, done in nb and nn."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.functional import Promise

from medvirk.processes import registry


def _texts(plugin: registry.MethodPlugin) -> dict[str, object]:
    texts: dict[str, object] = {"name": plugin.name, "description": plugin.description}
    texts.update({f"action {a.key}": a.label for a in plugin.actions})
    texts.update({f"kind {k.key}": k.label for k in plugin.contribution_kinds})
    return texts


@pytest.mark.parametrize("plugin", registry.all_plugins(), ids=lambda p: p.key)
def test_method_texts_are_translations(plugin: registry.MethodPlugin) -> None:
    not_lazy = [where for where, text in _texts(plugin).items() if not isinstance(text, Promise)]
    assert not not_lazy, f"{plugin.key}: not marked for translation: {not_lazy}"


@pytest.mark.parametrize("lang", ["nb", "nn"])
@pytest.mark.parametrize("plugin", registry.all_plugins(), ids=lambda p: p.key)
def test_method_names_are_translated(plugin: registry.MethodPlugin, lang: str) -> None:
    with translation.override("en"):
        english = str(plugin.name), str(plugin.description)
    with translation.override(lang):
        assert (str(plugin.name), str(plugin.description)) != english
        assert str(plugin.description) != english[1]
