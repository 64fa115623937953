from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "medvirk.methods.discussion"
    label = "discussion"
    verbose_name = _("Discussion")

    def ready(self) -> None:
        from medvirk.processes import registry

        from .plugin import Discussion

        registry.register(Discussion())
