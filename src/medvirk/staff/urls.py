from django.urls import path

from . import (
    answer_templates,
    audit_views,
    decisions,
    documents,
    identity_checks,
    inbox,
    klarsprak,
    methods,
    moderation,
    municipality_settings,
    offline,
    roles,
    themes,
    views,
)

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
    path("sak/<int:pk>/innspel/gruppe/<int:theme_pk>/", themes.theme, name="theme"),
    path("sak/<int:pk>/innspel/registrer/", offline.register_offline, name="offline"),
    path("sak/<int:pk>/dokument/", documents.case_documents, name="documents"),
    path(
        "sak/<int:pk>/dokument/<int:document_pk>/",
        documents.document_edit,
        name="document_edit",
    ),
    path(
        "sak/<int:pk>/dokument/<int:document_pk>/slett/",
        documents.document_delete,
        name="document_delete",
    ),
    path(
        "sak/<int:pk>/dokument/<int:document_pk>/fil/",
        documents.document_file,
        name="document_file",
    ),
    path("sak/<int:pk>/moderering/", moderation.queue, name="moderation"),
    path("innspel/<int:pk>/moderering/", moderation.item, name="moderation_item"),
    path("sak/<int:pk>/vedtak/", decisions.decisions, name="decisions"),
    path("sak/<int:pk>/vedtak/<int:decision_pk>/", decisions.decisions, name="decision_edit"),
    path("innspel/<int:pk>/", inbox.contribution_detail, name="contribution"),
    path(
        "innspel/<int:pk>/vedlegg/<int:attachment_pk>/",
        offline.attachment,
        name="attachment",
    ),
    path("kommune/<int:municipality>/roller/", roles.roles, name="roles"),
    path(
        "kommune/<int:municipality>/innstillingar/",
        municipality_settings.municipality_settings,
        name="municipality_settings",
    ),
    path(
        "kommune/<int:municipality>/svarmalar/",
        answer_templates.answer_templates,
        name="answer_templates",
    ),
    path(
        "kommune/<int:municipality>/svarmalar/<int:pk>/",
        answer_templates.answer_template_edit,
        name="answer_template_edit",
    ),
    path("logg/", audit_views.audit_log, name="audit"),
    path("klarsprak/", klarsprak.klarsprak, name="klarsprak"),
    path("identitet/", identity_checks.verify_in_person, name="verify_in_person"),
    path("identitet/tvister/", identity_checks.disputes, name="identity_disputes"),
]
