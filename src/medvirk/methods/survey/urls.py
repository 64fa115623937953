"""Survey pages under /<municipality>/<process>/<method>/ (mounted by processes/urls.py)."""

from django.urls import path

from . import views

app_name = "survey"
urlpatterns = [
    path("resultat/", views.results, name="results"),
    path("eksport.csv", views.export, name="export"),
    path("takk/<int:pk>/<str:token>/", views.thanks, name="thanks"),
]
