"""The site's URLs with planning mounted first, as the lead wires it in medvirk/urls.py.

Once ``medvirk/urls.py`` includes ``medvirk.planning.urls`` itself, this adds nothing.
"""

from django.urls import URLResolver, include, path

from medvirk.urls import urlpatterns as site_patterns


def _has_planning() -> bool:
    return any(
        isinstance(p, URLResolver) and getattr(p, "app_name", None) == "planning"
        for p in site_patterns
    )


urlpatterns = (
    list(site_patterns)
    if _has_planning()
    else [path("", include("medvirk.planning.urls")), *site_patterns]
)
