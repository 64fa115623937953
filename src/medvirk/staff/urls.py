from django.urls import path

from . import audit_views, decisions, identity_checks, inbox, klarsprak, methods, roles, views

app_name = "staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kommune/<int:municipality>/ny-sak/", views.process_new, name="process_new"),
    path("sak/<int:pk>/", views.process_overview, name="process"),
    path("sak/<int:pk>/rediger/", views.process_edit, name="process_edit"),
    path("sak/<int:pk>/fase/ny/", views.phase_edit, name="phase_new"),
    path("sak/<int:pk>/fase/<int:phase_pk>/", views.phase_edit, name="phase_edit"),
    path("sak/<int:pk>/metode/ny/", methods.method_edit, name="method_new"),
    path("sak/<int:pk>/metode/<int:method_pk>/", methods.method_edit, name="method_edit"),
    path(
        "sak/<int:pk>/metode/<int:method_pk>/innhald/",
        methods.method_content,
        name="method_content",
    ),
    path("sak/<int:pk>/innspel/", inbox.inbox, name="inbox"),
    path("sak/<int:pk>/innspel/svar/", inbox.bulk_respond, name="bulk_respond"),
    path("sak/<int:pk>/innspel/registrer/", inbox.register_offline, name="offline"),
    path("sak/<int:pk>/moderering/", inbox.moderation_queue, name="moderation"),
    path("sak/<int:pk>/vedtak/", decisions.decisions, name="decisions"),
    path("sak/<int:pk>/vedtak/<int:decision_pk>/", decisions.decisions, name="decision_edit"),
    path("innspel/<int:pk>/", inbox.contribution_detail, name="contribution"),
    path("kommune/<int:municipality>/roller/", roles.roles, name="roles"),
    path("logg/", audit_views.audit_log, name="audit"),
    path("klarsprak/", klarsprak.klarsprak, name="klarsprak"),
    path("identitet/", identity_checks.verify_in_person, name="verify_in_person"),
    path("identitet/tvister/", identity_checks.disputes, name="identity_disputes"),
]
