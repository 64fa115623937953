from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "medvirk.contributions"
    label = "contributions"
    verbose_name = _("Contributions")

    def ready(self) -> None:
        from . import personal_data  # noqa: F401  (registers the "contributions" section)
