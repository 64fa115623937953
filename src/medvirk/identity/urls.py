from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "identity"
urlpatterns = [
    path(
        "logg-inn/",
        auth_views.LoginView.as_view(template_name="identity/login.html"),
        name="login",
    ),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.account, name="account"),
]
