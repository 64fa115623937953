"""The method catalogue as the Django side sees it: linked to the registered method plug-ins.

``catalogue/`` is pure Python and knows no registry; each plug-in claims the catalogue
entries it runs (``MethodPlugin.catalogue_entries``). :func:`catalogue` joins the two, so a
new method links itself to the planner from its own folder.
"""

from __future__ import annotations

from medvirk.processes import registry

from .catalogue import Catalogue, Links, default


def links() -> Links:
    """(catalogue key, method key) for every entry a registered plug-in claims."""
    return tuple(
        sorted(
            (entry, plugin.key)
            for plugin in registry.all_plugins()
            for entry in plugin.catalogue_entries
        )
    )


def catalogue() -> Catalogue:
    """The shipped catalogue, each entry's ``medvirk_method`` from the registry.

    Raises ``CatalogueError`` when a plug-in claims an entry the catalogue does not have
    (system check ``medvirk.E002`` reports it at start-up).
    """
    return default(links())
