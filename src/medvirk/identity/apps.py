from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "medvirk.identity"
    label = "identity"
    verbose_name = _("Identity")

    def ready(self) -> None:
        # Registers the system checks, and identity's own personal-data sections.
        from . import checks, personal_data  # noqa: F401
