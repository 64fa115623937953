from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanelConfig(AppConfig):
    name = "medvirk.methods.panel"
    label = "panel"
    verbose_name = _("Residents' panel")

    def ready(self) -> None:
        from medvirk.processes import registry

        from . import receivers  # noqa: F401  (an invited member's answer is counted)
        from .plugin import Panel

        registry.register(Panel())
