from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "medvirk.accountability"
    label = "accountability"
    verbose_name = _("Responses")

    def ready(self) -> None:
        from . import personal_data  # noqa: F401  (registers responses, notifications, subscriptions)
