"""Planning URLs: the staff wizard under /stab/sak/<pk>/plan/, the catalogue, the public plan.

Mounted at the site root *before* the public process pages (whose last segment is a method).
"""

from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("stab/sak/<int:pk>/plan/", views.plan_home, name="home"),
    path("stab/sak/<int:pk>/plan/start/", views.plan_start, name="start"),
    path("stab/sak/<int:pk>/plan/steg/<int:step>/", views.plan_step, name="step"),
    path("stab/sak/<int:pk>/plan/godta/", views.plan_accept, name="accept"),
    path("stab/sak/<int:pk>/plan/publiser/", views.plan_publish, name="publish"),
    path(
        "stab/sak/<int:pk>/plan/aktivitet/<int:activity>/",
        views.activity_status,
        name="activity_status",
    ),
    path("stab/metodekatalog/", views.catalogue, name="catalogue"),
    path("stab/metodekatalog/<slug:key>/", views.catalogue_method, name="catalogue_method"),
    path("<slug:municipality>/<slug:slug>/medverknadsplan/", views.public_plan, name="public"),
    path(
        "<slug:municipality>/<slug:slug>/medverknadsplan.pdf",
        views.public_plan_pdf,
        name="public_pdf",
    ),
]
