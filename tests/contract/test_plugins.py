"""The same checks over every registered method plug-in: a new method passes these or fails CI."""

from __future__ import annotations

import random
import re
from typing import ClassVar

import pytest
from django import forms
from django.core import checks
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.utils import translation
from django.utils.functional import Promise

from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from medvirk.processes.phases import Timing
from medvirk.processes.registry import Action, ContributionKind, MethodPlugin
from medvirk.vocabulary import Rung
from tests import factories

PLUGINS = registry.all_plugins()


def test_the_shipped_methods_are_registered() -> None:
    assert {"information", "survey"} <= {p.key for p in PLUGINS}


@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda p: p.key)
def test_plugin_has_no_problems(plugin: MethodPlugin) -> None:
    assert registry.problems(plugin) == []


@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda p: p.key)
def test_default_settings_validate_and_are_stable(plugin: MethodPlugin) -> None:
    cleaned = plugin.validate_settings({})
    assert cleaned == plugin.default_settings()
    assert plugin.validate_settings(cleaned) == cleaned


@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda p: p.key)
def test_unknown_and_wrongly_typed_settings_are_refused(plugin: MethodPlugin) -> None:
    with (
        translation.override("en"),
        pytest.raises(registry.SettingsInvalid, match="Unknown settings"),
    ):
        plugin.validate_settings({"no_such_setting": True})
    for name, field in plugin.settings_form.base_fields.items():
        if isinstance(field, forms.BooleanField):
            with pytest.raises(registry.SettingsInvalid):
                plugin.validate_settings({name: "yes please"})


@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda p: p.key)
def test_names_labels_and_settings_are_translatable(plugin: MethodPlugin) -> None:
    assert isinstance(plugin.name, Promise)
    assert isinstance(plugin.description, Promise)
    assert all(isinstance(a.label, Promise) for a in plugin.actions)
    assert all(isinstance(k.label, Promise) for k in plugin.contribution_kinds)
    assert all(isinstance(e.label, Promise) for e in plugin.exports)
    for field in plugin.settings_form.base_fields.values():
        assert isinstance(field.label, Promise), field


def _open_instance(plugin: MethodPlugin) -> MethodInstance:
    """A published instance of the method in a running phase of a published case."""
    proc = factories.process(factories.municipality())
    return factories.method(proc, factories.phase(proc), key=plugin.key)


@pytest.mark.django_db
@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda p: p.key)
def test_every_contributing_action_has_a_reachable_form(
    plugin: MethodPlugin, client: Client
) -> None:
    """Each kind's form is served at its address for a published, open instance."""
    instance = _open_instance(plugin)
    plugin.demo_seed(instance, random.Random(7))  # content a form may need (questions …)
    for kind in plugin.contribution_kinds:
        url = plugin.kind_url(instance, kind)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert re.search(r'<form[^>]*method="post"', html), f"{kind.key}: no form at {url}"
        assert "csrfmiddlewaretoken" in html
        for name in kind.form.base_fields:
            assert f'name="{name}"' in html, f"{kind.key}: field {name} missing at {url}"


@pytest.mark.django_db
@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda p: p.key)
def test_report_section_is_print_html_under_the_cores_headings(plugin: MethodPlugin) -> None:
    """The council report prints each method's section under its own <h3>: a section is
    HTML (possibly empty) without scripts, forms or headings above <h4>, in every language."""
    instance = _open_instance(plugin)
    plugin.demo_seed(instance, random.Random(7))
    for language in ("nb", "nn", "en"):
        with translation.override(language):
            html = str(plugin.report_section(instance))
        lowered = html.lower()
        for forbidden in ("<script", "<form", "<h1", "<h2", "<h3", "<input", "<button"):
            assert forbidden not in lowered, f"{plugin.key} ({language}): {forbidden}"


@pytest.mark.django_db
@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda p: p.key)
def test_method_page_renders_for_a_published_instance(plugin: MethodPlugin, client: Client) -> None:
    instance = _open_instance(plugin)
    response = client.get(instance.get_absolute_url(), follow=True)
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda p: p.key)
def test_unknown_subpaths_of_an_instance_are_not_found(
    plugin: MethodPlugin, client: Client
) -> None:
    instance = _open_instance(plugin)
    assert client.get(instance.get_absolute_url() + "finst-ikkje/").status_code == 404
    assert client.get(instance.get_absolute_url() + "eksport/finst-ikkje/").status_code == 404


# -- what the checks catch -------------------------------------------------------------


class _Broken(MethodPlugin):
    key = "Broken Key"
    name = "x"
    description = "x"
    rungs: ClassVar[tuple[Rung, ...]] = ()
    actions = (
        Action("a", "A", timings=frozenset()),
        Action("a", "A", frozenset({Timing.DURING})),
    )

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponse:
        return HttpResponse()


class _NoForm(MethodPlugin):
    """Declares an input action, as ``information`` once did, but no form for it."""

    key = "no_form"
    name = "x"
    description = "x"
    rungs = (Rung.INFORM,)
    actions = (Action("ask_question", "Ask"),)

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponse:
        return HttpResponse()


class _FormNowhere(_NoForm):
    key = "form_nowhere"
    contribution_kinds = (
        ContributionKind("question", "Q", action="ask_question", form=forms.Form, url_name="x"),
    )


def _e001_messages(plugin: MethodPlugin) -> str:
    registry._REGISTRY[plugin.key] = plugin
    try:
        return "\n".join(m.msg for m in checks.run_checks() if m.id == "medvirk.E001")
    finally:
        del registry._REGISTRY[plugin.key]


def test_system_check_reports_a_broken_plugin() -> None:
    text = _e001_messages(_Broken())
    assert "lower-case" in text
    assert "rungs" in text
    assert "unique" in text
    assert "no valid timings" in text


def test_an_input_action_without_a_form_is_reported() -> None:
    assert "creates input but no contribution kind has a form" in _e001_messages(_NoForm())


def test_a_form_at_an_address_the_method_does_not_serve_is_reported() -> None:
    assert "no URL named 'x'" in _e001_messages(_FormNowhere())


def test_registering_a_key_twice_is_refused() -> None:
    class Clone(_NoForm):
        key = "information"

    with pytest.raises(registry.RegistryError):
        registry.register(Clone())


def test_the_vocabulary_and_the_models_agree() -> None:
    from medvirk import vocabulary
    from medvirk.processes.models import PhaseKind

    assert set(PhaseKind.values) == set(vocabulary.PHASE_KINDS)
