from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "medvirk.planning"
    label = "planning"
    verbose_name = _("Participation planning")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers medvirk.E002)
            personal_data,  # noqa: F401  (registers the "planned_activities" section)
        )
