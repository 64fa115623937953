from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    name = "medvirk.methods.budgeting"
    label = "budgeting"
    verbose_name = _("Participatory budgeting")

    def ready(self) -> None:
        # Imported here, not at module level: the registry needs the app registry ready.
        from medvirk.processes import registry

        from .plugin import Budgeting

        registry.register(Budgeting())
