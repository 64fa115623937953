from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("tilgjengelegheit/", views.accessibility, name="accessibility"),
    path("personvern/", views.privacy, name="privacy"),
    path("om/", views.about, name="about"),
]
