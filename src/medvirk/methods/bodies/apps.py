from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BodiesConfig(AppConfig):
    name = "medvirk.methods.bodies"
    label = "bodies"
    verbose_name = _("Councils and committees")

    def ready(self) -> None:
        # Imported here, not at module level: the registry needs the app registry ready.
        from medvirk.processes import registry

        from .plugin import Bodies

        registry.register(Bodies())
