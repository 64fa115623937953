from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "medvirk.accountability"
    label = "accountability"
    verbose_name = _("Responses")

    def ready(self) -> None:
        from . import (  # noqa: F401  (they register themselves)
            moderation_notices,  # authors hear when their input is hidden or restored
            personal_data,  # responses, notifications, subscriptions
            receivers,  # followers hear of status changes
        )
