from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingConfig(AppConfig):
    name = "medvirk.methods.meeting"
    label = "meeting"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from medvirk.processes import registry

        from .plugin import Meeting

        registry.register(Meeting())
