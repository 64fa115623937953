from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("stab/sak/<int:pk>/kven-deltok/", views.case_staff, name="case_staff"),
    path("stab/kommune/<int:pk>/folketal/", views.population, name="population"),
    path("<slug:municipality>/<slug:slug>/kven-deltok/", views.case_public, name="case_public"),
]
