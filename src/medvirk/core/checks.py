"""System checks: every registered method manifest must be well-formed."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register


@register()
def check_method_manifests(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from medvirk.processes import registry

    errors: list[CheckMessage] = []
    for manifest in registry.all_manifests():
        for problem in registry.problems(manifest):
            errors.append(Error(f"method {manifest.key!r}: {problem}", id="medvirk.E001"))
    return errors
