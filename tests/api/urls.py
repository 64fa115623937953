"""The site's URLs with the API mounted first, as the lead wires it in medvirk/urls.py.

Once ``medvirk/urls.py`` mounts the API itself, this adds nothing.
"""

from django.urls import URLResolver, path

from medvirk.api.v1 import api
from medvirk.urls import urlpatterns as site_patterns


def _has_api() -> bool:
    return any(
        isinstance(p, URLResolver) and getattr(p, "namespace", None) == "api-v1"
        for p in site_patterns
    )


urlpatterns = list(site_patterns) if _has_api() else [path("api/v1/", api.urls), *site_patterns]
