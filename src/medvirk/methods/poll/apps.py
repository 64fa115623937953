from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollConfig(AppConfig):
    name = "medvirk.methods.poll"
    label = "poll"
    verbose_name = _("Quick poll")

    def ready(self) -> None:
        from medvirk.processes import registry

        from .plugin import Poll

        registry.register(Poll())
