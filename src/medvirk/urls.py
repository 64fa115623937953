"""Top-level URLs; each app owns its own patterns."""

from django.contrib import admin
from django.urls import include, path

from medvirk.api.v1 import api
from medvirk.core import language

urlpatterns = [
    # Ours first: a logged-in person's choice is saved on their account too.
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("medvirk.identity.urls")),
    path("stab/", include("medvirk.staff.urls")),
    path("admin/", admin.site.urls),
    # Before the public case pages, whose /<municipality>/<process>/<x>/ names a method.
    path("api/v1/", api.urls),
    path("", include("medvirk.planning.urls")),
    path("", include("medvirk.insights.urls")),
    path("", include("medvirk.public.urls")),
]

handler400 = "medvirk.core.views.bad_request"
handler403 = "medvirk.core.views.permission_denied"
handler404 = "medvirk.core.views.page_not_found"
handler500 = "medvirk.core.views.server_error"
