from django.urls import path

from . import open_data, report_views, views

app_name = "insights"
urlpatterns = [
    path("stab/sak/<int:pk>/kven-deltok/", views.case_staff, name="case_staff"),
    path("stab/sak/<int:pk>/rapport/", report_views.page, name="report"),
    path("stab/sak/<int:pk>/rapport/pdf/", report_views.report_pdf, name="report_pdf"),
    path("stab/sak/<int:pk>/rapport/utskrift/", report_views.print_version, name="report_print"),
    path("stab/sak/<int:pk>/rapport/arkiv/", report_views.report_archive, name="report_archive"),
    path("stab/sak/<int:pk>/rapport/publiser/", report_views.publish_report, name="report_publish"),
    path("stab/kommune/<int:pk>/folketal/", views.population, name="population"),
    path("<slug:municipality>/<slug:slug>/kven-deltok/", views.case_public, name="case_public"),
    path("<slug:municipality>/<slug:slug>/kven-deltok.csv", open_data.who_csv, name="who_csv"),
    path("<slug:municipality>/<slug:slug>/kven-deltok.json", open_data.who_json, name="who_json"),
    path(
        "<slug:municipality>/<slug:slug>/medverknadsrapport.pdf",
        report_views.public_pdf,
        name="report_public",
    ),
]
