from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "medvirk.methods.ideas"
    label = "ideas"
    verbose_name = _("Idea board")

    def ready(self) -> None:
        # Imported here, not at module level: the registry needs the app registry ready.
        from medvirk.processes import registry

        from .plugin import Ideas

        registry.register(Ideas())
