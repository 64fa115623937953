"""System check: the catalogue entries method plug-ins claim exist (``medvirk.E002``).

A plug-in names its entries in ``catalogue_entries``; a typo there would otherwise show
only when a planner page first loads the catalogue.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from . import library
from .catalogue import CatalogueError


@register()
def check_catalogue_links(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        library.catalogue()
    except CatalogueError as exc:
        return [Error(f"method catalogue: {p}", id="medvirk.E002") for p in exc.problems]
    return []
