"""The same checks over every registered method: a new method app passes these or fails CI."""

from __future__ import annotations

import pytest
from django.core import checks
from django.urls import reverse

from medvirk.processes import registry
from medvirk.processes.phases import Timing
from medvirk.processes.registry import Action, MethodManifest, Rung

MANIFESTS = registry.all_manifests()


def test_methods_are_registered() -> None:
    keys = {m.key for m in MANIFESTS}
    assert {"information", "survey"} <= keys


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda m: m.key)
def test_manifest_is_well_formed(manifest: MethodManifest) -> None:
    assert registry.problems(manifest) == []


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda m: m.key)
def test_manifest_defaults_validate_and_garbage_does_not(manifest: MethodManifest) -> None:
    cleaned = manifest.validate_settings({})
    assert isinstance(cleaned, dict)
    assert manifest.validate_settings(cleaned) == cleaned  # idempotent


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda m: m.key)
def test_contributing_actions_name_their_kinds(manifest: MethodManifest) -> None:
    if any(a.creates_contribution for a in manifest.actions):
        assert manifest.contribution_kinds, "a method that takes input names its kinds"


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda m: m.key)
def test_names_are_translatable(manifest: MethodManifest) -> None:
    from django.utils.functional import Promise

    assert isinstance(manifest.name, Promise)
    assert all(isinstance(a.label, Promise) for a in manifest.actions)


def test_system_check_reports_a_broken_manifest() -> None:
    broken = MethodManifest(
        key="Broken Key",
        name="x",
        description="x",
        rungs=(),
        actions=(
            Action("a", "A", timings=frozenset()),
            Action("a", "A", frozenset({Timing.DURING})),
        ),
        settings_validator="medvirk.nowhere.validate",
    )
    registry._REGISTRY[broken.key] = broken
    try:
        messages = [m.msg for m in checks.run_checks() if m.id == "medvirk.E001"]
    finally:
        del registry._REGISTRY[broken.key]
    text = "\n".join(messages)
    assert "lower-case" in text
    assert "rungs" in text
    assert "unique" in text
    assert "cannot be imported" in text


def test_registering_a_key_twice_is_refused() -> None:
    existing = registry.get("information")
    clone = MethodManifest(
        key="information",
        name="x",
        description="x",
        rungs=(Rung.INFORM,),
        actions=existing.actions,
        settings_validator=existing.settings_validator,
    )
    with pytest.raises(registry.RegistryError):
        registry.register(clone)


@pytest.mark.django_db
@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda m: m.key)
def test_method_page_renders_for_a_published_instance(manifest: MethodManifest, client) -> None:  # type: ignore[no-untyped-def]
    from tests import factories

    org = factories.municipality()
    proc = factories.process(org)
    instance = factories.method(proc, factories.phase(proc), key=manifest.key)
    url = reverse(
        "processes:method",
        kwargs={"municipality": org.slug, "slug": proc.slug, "method": instance.slug},
    )
    response = client.get(url, follow=True)
    assert response.status_code == 200
