from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExampleIdeaConfig(AppConfig):
    name = "tests.contract.example_method"
    label = "example_method"
    verbose_name = _("Ideas (example method)")

    def ready(self) -> None:
        # Imported here, not at module level: the registry needs the app registry ready.
        from medvirk.processes import registry

        from .plugin import ExampleIdea

        registry.register(ExampleIdea())
