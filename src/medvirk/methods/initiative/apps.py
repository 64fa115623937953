from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativeConfig(AppConfig):
    name = "medvirk.methods.initiative"
    label = "initiative"
    verbose_name = _("Citizens' initiatives")

    def ready(self) -> None:
        # Imported here, not at module level: the registry needs the app registry ready.
        from medvirk.processes import registry

        from .plugin import Initiative

        registry.register(Initiative())
