"""Template context every page needs: the municipality in view and language choices."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    municipality = getattr(request, "municipality", None)
    return {
        "medvirk_languages": settings.LANGUAGES,
        "current_municipality": municipality,
    }
