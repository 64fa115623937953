from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "medvirk.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from medvirk.core import audit_labels

        audit_labels.register(
            {
                "population.imported": _("Population figures imported"),
                "population.districts_imported": _("Population by district imported"),
                "report.published": _("Council report published on the case page"),
                "report.unpublished": _("Council report taken off the case page"),
            }
        )
