from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "medvirk.identity"
    label = "identity"
    verbose_name = _("Identity")

    def ready(self) -> None:
        # Registers the system checks, and identity's own personal-data sections.
        from django.contrib.auth.signals import user_login_failed

        from . import checks, lockout, personal_data  # noqa: F401

        user_login_failed.connect(lockout.count_address_failure, dispatch_uid="login_address")
