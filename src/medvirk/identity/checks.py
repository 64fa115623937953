"""System checks: identity settings that would be unsafe or broken are reported at start."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register("medvirk")
def identity_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from .providers import oidc_providers

    problems: list[CheckMessage] = []
    try:
        oidc_providers()
    except ImproperlyConfigured as exc:
        problems.append(Error(str(exc), id="medvirk.identity.E001"))
    return problems


@register("medvirk", deploy=True)
def identity_pepper(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    pepper = str(getattr(settings, "MEDVIRK_IDENTITY_PEPPER", ""))
    if pepper == settings.SECRET_KEY or len(pepper) < 32:
        problems.append(
            Warning(
                "MEDVIRK_IDENTITY_PEPPER should be its own long random secret (at least 32 "
                "characters), not the SECRET_KEY: changing it later makes every stored "
                "identity hash unrecognisable.",
                id="medvirk.identity.W001",
            )
        )
    return problems
