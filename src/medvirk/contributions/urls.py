from django.urls import path

from . import views

app_name = "contributions"
urlpatterns = [
    path("<int:pk>/<str:token>/", views.receipt, name="receipt"),
    path("folg/<int:pk>/<str:token>/", views.confirm_subscription, name="confirm_subscription"),
]
