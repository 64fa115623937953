"""Public process pages, and each method's own pages mounted under its instance."""

from django.urls import URLPattern, URLResolver, include, path

from . import registry, views

app_name = "processes"


def _method_patterns() -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = []
    for manifest in registry.all_manifests():
        if manifest.urls:
            patterns.append(
                path("<slug:municipality>/<slug:slug>/<slug:method>/", include(manifest.urls))
            )
    return patterns


urlpatterns = [
    path("<slug:municipality>/", views.municipality, name="municipality"),
    path("<slug:municipality>/<slug:slug>/", views.detail, name="detail"),
    path("<slug:municipality>/<slug:slug>/innspel/", views.contributions, name="contributions"),
    path("<slug:municipality>/<slug:slug>/folg/", views.subscribe, name="subscribe"),
    path("<slug:municipality>/<slug:slug>/<slug:method>/", views.method, name="method"),
    *_method_patterns(),
]
