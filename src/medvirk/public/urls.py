"""Public addresses; the case pages come last: /<municipality>/<process>/…"""

from django.urls import path

from . import case_exports, documents, moderation, unsubscribe, views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("tilgjengelegheit/", views.accessibility, name="accessibility"),
    path("personvern/", views.privacy, name="privacy"),
    path("om/", views.about, name="about"),
    path("kvittering/<int:pk>/<str:token>/", views.receipt, name="receipt"),
    path(
        "kvittering/folg/<int:pk>/<str:token>/",
        views.confirm_subscription,
        name="confirm_subscription",
    ),
    path("e-post/stopp/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
    # Case pages last; medvirk/urls.py mounts planning's medverknadsplan/ before this app.
    path("<slug:municipality>/", views.municipality, name="municipality"),
    path("<slug:municipality>/<slug:slug>/", views.detail, name="detail"),
    path("<slug:municipality>/<slug:slug>/innspel/", views.contributions, name="contributions"),
    path(
        "<slug:municipality>/<slug:slug>/innspel/<int:pk>/meld/",
        moderation.report,
        name="report",
    ),
    path("<slug:municipality>/<slug:slug>/opne-data/", views.open_data, name="open_data"),
    path(
        "<slug:municipality>/<slug:slug>/opne-data/innspel.csv",
        case_exports.input_csv,
        name="open_data_input_csv",
    ),
    path(
        "<slug:municipality>/<slug:slug>/opne-data/innspel.json",
        case_exports.input_json,
        name="open_data_input_json",
    ),
    path("<slug:municipality>/<slug:slug>/folg/", views.subscribe, name="subscribe"),
    # Before the method instances: "dokument" is not a method's address name.
    path(
        "<slug:municipality>/<slug:slug>/dokument/<int:pk>/<str:name>",
        documents.download,
        name="document",
    ),
    path("<slug:municipality>/<slug:slug>/<slug:method>/", views.method, name="method"),
    path(
        "<slug:municipality>/<slug:slug>/<slug:method>/eksport/<slug:export>/",
        views.method_export,
        name="method_export",
    ),
    path(
        "<slug:municipality>/<slug:slug>/<slug:method>/<path:rest>",
        views.method,
        name="method_path",
    ),
]
