from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationConfig(AppConfig):
    name = "medvirk.methods.information"
    label = "information"
    verbose_name = _("Information")

    def ready(self) -> None:
        from medvirk.processes import registry

        from .plugin import Information

        registry.register(Information())
