from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionMapConfig(AppConfig):
    name = "medvirk.methods.opinion_map"
    label = "opinion_map"
    verbose_name = _("Opinion map")

    def ready(self) -> None:
        from medvirk.processes import registry

        from .plugin import OpinionMap

        registry.register(OpinionMap())
