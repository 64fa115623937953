"""Top-level URLs; each app owns its own patterns."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("medvirk.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("medvirk.identity.urls")),
    path("stab/", include("medvirk.staff.urls")),
    path("kvittering/", include("medvirk.contributions.urls")),
    path("admin/", admin.site.urls),
    path("", include("medvirk.planning.urls")),
    # Public process pages last: /<municipality>/<process>/…
    path("", include("medvirk.processes.urls")),
]

handler400 = "medvirk.core.views.bad_request"
handler403 = "medvirk.core.views.permission_denied"
handler404 = "medvirk.core.views.page_not_found"
handler500 = "medvirk.core.views.server_error"
