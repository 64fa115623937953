from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveyConfig(AppConfig):
    name = "medvirk.methods.survey"
    label = "survey"
    verbose_name = _("Survey")

    def ready(self) -> None:
        from medvirk.processes import registry

        from .plugin import Survey

        registry.register(Survey())
