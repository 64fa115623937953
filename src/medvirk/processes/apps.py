from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "medvirk.processes"
    label = "processes"
    verbose_name = _("Processes")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the method-manifest system check)
