from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "medvirk.identity"
    label = "identity"
    verbose_name = _("Identity")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
