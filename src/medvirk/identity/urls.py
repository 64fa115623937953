from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "identity"
urlpatterns = [
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("ny/", views.signup, name="signup"),
    path("eid/test/", views.test_provider, name="test_provider"),
    path("eid/<str:provider>/start/", views.eid_start, name="eid_start"),
    path("eid/<str:provider>/callback/", views.eid_callback, name="eid_callback"),
    path("e-post/", views.email_send, name="email_send"),
    path("e-post/bekreft/<str:token>/", views.email_confirm, name="email_confirm"),
    path("mine-data/", views.my_data, name="my_data"),
    path("slett/", views.erase, name="erase"),
    path("identitetskontroll/<int:pk>/bestrid/", views.dispute_check, name="dispute_check"),
    path("", views.account, name="account"),
]
