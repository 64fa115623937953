from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapInputConfig(AppConfig):
    name = "medvirk.methods.map_input"
    label = "map_input"
    verbose_name = _("Map input")

    def ready(self) -> None:
        # Imported here, not at module level: the registry needs the app registry ready.
        from medvirk.processes import registry

        from .plugin import MapInput

        registry.register(MapInput())
