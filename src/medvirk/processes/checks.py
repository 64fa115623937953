"""System checks: every registered method plug-in must be well-formed (``medvirk.E001``).

The check lives with the registry it reads (processes), not in core: core stands below
processes and never imports it.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from . import registry


@register()
def check_method_plugins(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for plugin in registry.all_plugins():
        for problem in registry.problems(plugin):
            errors.append(Error(f"method {plugin.key!r}: {problem}", id="medvirk.E001"))
    return errors
