from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferendumConfig(AppConfig):
    name = "medvirk.methods.referendum"
    label = "referendum"
    verbose_name = _("Advisory referendum")

    def ready(self) -> None:
        # Imported here, not at module level: the registry needs the app registry ready.
        from medvirk.processes import registry

        from .plugin import Referendum

        registry.register(Referendum())
