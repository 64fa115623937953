from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingConfig(AppConfig):
    name = "medvirk.methods.hearing"
    label = "hearing"
    verbose_name = _("Public consultation")

    def ready(self) -> None:
        from medvirk.processes import registry

        from .plugin import Hearing

        registry.register(Hearing())
