from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "medvirk.organisations"
    label = "organisations"
    verbose_name = _("Municipalities")

    def ready(self) -> None:
        from . import personal_data, sessions  # noqa: F401  ("memberships"; the login stamp)
