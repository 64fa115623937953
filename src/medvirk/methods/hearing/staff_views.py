"""Staff pages of the høyring.

The editor (the plug-in's ``staff_editor``, at /stab/sak/<pk>/metode/<m>/innhald/; the core
checked ``manage_process`` and the municipality) holds the period form and the documents
with their numbered sections and paragraphs. GET shows them; ``?add=…``, ``?edit=…`` and
``?delete=…`` (a target: ``d<id>`` document, ``s<id>`` section, ``p<id>`` paragraph) show
one form below the text. Every change is a POST with an ``action`` (one per button) and,
but for the period and a new document, a ``target``; success redirects back
(POST-redirect-GET), errors answer 400 with the form. No JavaScript is needed.

The submissions pages (``stab/innspel/``) live under the instance's own address, served by
the public dispatcher, so each view checks the staff member's capability itself: not
logged in → the login page; logged in without it → 403 with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _

from medvirk.core import uploads
from medvirk.core.errors import ActionRefused
from medvirk.core.responses import private
from medvirk.identity.types import User
from medvirk.organisations import capabilities
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance
from medvirk.staff import method_pages
from medvirk.vocabulary import Capability

from . import actions, archive, period, queries, staff_actions, staff_queries, transport
from .models import HearingDocument, Paragraph, PlanStage, Section
from .staff_forms import (
    DocumentForm,
    FileRedactionForm,
    ParagraphForm,
    PassageForm,
    PeriodForm,
    SectionForm,
)

METHOD_KEY = "hearing"
EDITOR_ACTIONS = (
    "save_period",
    "add_document",
    "add_section",
    "add_paragraph",
    "edit",
    "delete",
    "move_up",
    "move_down",
)
SUBMISSION_ACTIONS = ("redact_passage", "redact_file", "remove_redaction", "set_minor")
# Who works with the submissions: those who answer them and those who moderate them.
SUBMISSION_CAPABILITIES = (Capability.RESPOND, Capability.MODERATE)

Target = HearingDocument | Section | Paragraph


def _can(request: HttpRequest, instance: MethodInstance, *needed: Capability) -> bool:
    municipality_id = instance.process.municipality_id
    return any(capabilities.staff_can(request.user, c, municipality_id) for c in needed)


def _refused(request: HttpRequest, instance: MethodInstance, reason: str) -> HttpResponse:
    return private(
        render(
            request,
            "hearing/staff_refused.html",
            {"instance": instance, "process": instance.process, "reason": reason},
            status=403,
        )
    )


def _gate(
    request: HttpRequest, instance: MethodInstance, *needed: Capability
) -> HttpResponse | None:
    """None when the person may use this staff page; else the login page or a 403."""
    if instance.method_key != METHOD_KEY:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _can(request, instance, *needed):
        return _refused(
            request,
            instance,
            _(
                "This page is for the municipality's staff who answer or moderate input. "
                "Your role in %(municipality)s does not include that."
            )
            % {"municipality": instance.process.municipality.name},
        )
    return None


# -- the editor ------------------------------------------------------------------------------


@dataclass
class ParagraphRow:
    paragraph: Paragraph
    number: str
    is_first: bool
    is_last: bool

    @property
    def code(self) -> str:
        return f"p{self.paragraph.pk}"


@dataclass
class SectionRow:
    section: Section
    number: str
    is_first: bool
    is_last: bool
    paragraphs: list[ParagraphRow] = field(default_factory=list)

    @property
    def code(self) -> str:
        return f"s{self.section.pk}"


@dataclass
class DocumentRow:
    document: HearingDocument
    number: int
    is_first: bool
    is_last: bool
    sections: list[SectionRow] = field(default_factory=list)
    file_url: str = ""

    @property
    def code(self) -> str:
        return f"d{self.document.pk}"

    @property
    def file_description(self) -> str:
        return uploads.describe(self.document.content_type, self.document.size)


def _rows(instance: MethodInstance, documents: list[HearingDocument]) -> list[DocumentRow]:
    rows = []
    for d, document in enumerate(documents, start=1):
        row = DocumentRow(document, d, d == 1, d == len(documents))
        if document.file:
            row.file_url = registry.instance_url(instance, "staff_document", pk=document.pk)
        sections = list(document.sections.all())
        for s, section in enumerate(sections, start=1):
            section_row = SectionRow(section, str(s), s == 1, s == len(sections))
            paragraphs = list(section.paragraphs.all())
            for p, paragraph in enumerate(paragraphs, start=1):
                section_row.paragraphs.append(
                    ParagraphRow(paragraph, f"{s}.{p}", p == 1, p == len(paragraphs))
                )
            row.sections.append(section_row)
        rows.append(row)
    return rows


def _target(instance: MethodInstance, raw: str | None) -> Target | None:
    """The document, section or paragraph ``raw`` names ("d12", "s3", "p7"); None when
    ``raw`` is not of that form; 404 when it is but names nothing of this hearing."""
    if not raw or len(raw) > 13 or raw[0] not in "dsp" or not raw[1:].isascii():
        return None
    if not raw[1:].isdigit():
        return None
    pk = int(raw[1:])
    found: Target | None
    if raw[0] == "d":
        found = staff_queries.document_of(instance, pk)
    elif raw[0] == "s":
        found = staff_queries.section_of(instance, pk)
    else:
        found = staff_queries.paragraph_of(instance, pk)
    if found is None:
        raise Http404
    return found


def _code(item: Target) -> str:
    letter = "d" if isinstance(item, HearingDocument) else "s" if isinstance(item, Section) else "p"
    return f"{letter}{item.pk}"


def _anchor(item: Target | None) -> str:
    if item is None:
        return "#documents"
    return f"#part-{_code(item)}"


@dataclass
class Panel:
    """The one form shown below the text: what it does, on what, and the form."""

    mode: str  # "add_document", "add_section", "add_paragraph", "edit", "delete"
    target: Target | None = None
    form: Any = None

    @property
    def target_code(self) -> str:
        return _code(self.target) if self.target is not None else ""

    @property
    def kind(self) -> str:
        if self.target is None:
            return "document"
        if self.mode == "add_section":
            return "section"
        if self.mode == "add_paragraph":
            return "paragraph"
        return type(self.target).__name__.lower().replace("hearingdocument", "document")


def _edit_form(item: Target, data: Any = None, files: Any = None) -> Any:
    if isinstance(item, HearingDocument):
        return DocumentForm(
            data,
            files,
            has_file=bool(item.file),
            initial={"title": item.title, "summary": item.summary},
        )
    if isinstance(item, Section):
        return SectionForm(data, initial={"heading": item.heading})
    return ParagraphForm(data, initial={"text": item.text})


def _panel_from_query(request: HttpRequest, instance: MethodInstance) -> Panel:
    for mode in ("edit", "delete", "add"):
        raw = request.GET.get(mode)
        if raw is None:
            continue
        item = _target(instance, raw)
        if item is None:
            raise Http404
        if mode == "edit":
            return Panel("edit", item, _edit_form(item))
        if mode == "delete":
            return Panel("delete", item)
        if isinstance(item, HearingDocument):
            return Panel("add_section", item, SectionForm())
        if isinstance(item, Section):
            return Panel("add_paragraph", item, ParagraphForm())
        raise Http404
    return Panel("add_document", None, DocumentForm())


def _period_form(instance: MethodInstance, data: Any = None) -> PeriodForm:
    hearing = staff_queries.hearing(instance)
    span = period.period_of(instance, hearing)
    initial = {"plan_stage": span.stage, "starts_on": span.starts_on, "ends_on": span.ends_on}
    return PeriodForm(data, initial=initial)


def editor(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """The høyring's editor (the plug-in's ``staff_editor``)."""
    if instance.method_key != METHOD_KEY:
        raise Http404
    if request.method == "POST":
        return _editor_post(request, instance)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    return _render_editor(
        request, instance, _period_form(instance), _panel_from_query(request, instance)
    )


def _editor_post(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    staff = method_pages.staff_user(request)
    action = request.POST.get("action", "")
    period_form = _period_form(instance)
    if action not in EDITOR_ACTIONS:
        return _render_editor(
            request,
            instance,
            period_form,
            Panel("add_document", None, DocumentForm()),
            page_error=_("The form did not say what to do. Reload the page and try again."),
            status=400,
        )
    if action == "save_period":
        return _save_period(request, instance, staff)
    if action == "add_document":
        form = DocumentForm(request.POST, request.FILES)
        panel = Panel("add_document", None, form)
        if form.is_valid():
            data = form.cleaned_data
            return _attempt(
                request,
                instance,
                panel,
                lambda: staff_actions.do_add_document(
                    staff,
                    instance,
                    title=data["title"],
                    summary=data["summary"],
                    checked=data["file"],
                ),
                _("The document was added."),
            )
        return _render_editor(request, instance, period_form, panel, status=400)
    target = _target(instance, request.POST.get("target"))
    if target is None:
        return _render_editor(
            request,
            instance,
            period_form,
            Panel("add_document", None, DocumentForm()),
            page_error=_(
                "The form did not say which part of the text. Reload the page and try again."
            ),
            status=400,
        )
    if action in ("move_up", "move_down"):
        direction = "up" if action == "move_up" else "down"
        try:
            position = staff_actions.do_move(staff, target, direction)
        except ActionRefused as refused:
            return _refusal(request, instance, refused)
        messages.success(request, _("Moved. It is now number %(n)d.") % {"n": position})
        return HttpResponseRedirect(method_pages.editor_url(instance) + _anchor(target))
    if action == "delete":
        return _delete(request, instance, staff, target)
    if action == "edit":
        return _edit(request, instance, staff, target)
    if action == "add_section" and isinstance(target, HearingDocument):
        section_form = SectionForm(request.POST)
        panel = Panel("add_section", target, section_form)
        if section_form.is_valid():
            heading = section_form.cleaned_data["heading"]
            return _attempt(
                request,
                instance,
                panel,
                lambda: staff_actions.do_add_section(staff, target, heading),
                _("The section was added."),
            )
        return _render_editor(request, instance, period_form, panel, status=400)
    if action == "add_paragraph" and isinstance(target, Section):
        paragraph_form = ParagraphForm(request.POST)
        panel = Panel("add_paragraph", target, paragraph_form)
        if paragraph_form.is_valid():
            text = paragraph_form.cleaned_data["text"]
            return _attempt(
                request,
                instance,
                panel,
                lambda: staff_actions.do_add_paragraph(staff, target, text),
                _("The paragraph was added."),
            )
        return _render_editor(request, instance, period_form, panel, status=400)
    return _render_editor(
        request,
        instance,
        period_form,
        Panel("add_document", None, DocumentForm()),
        page_error=_("That cannot be added there. Reload the page and try again."),
        status=400,
    )


def _save_period(request: HttpRequest, instance: MethodInstance, staff: User) -> HttpResponse:
    form = PeriodForm(request.POST)
    panel = Panel("add_document", None, DocumentForm())
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            staff_actions.do_save_period(
                staff,
                instance,
                stage=data["plan_stage"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ActionRefused as refused:
            form.add_error("ends_on" if refused.status == 400 else None, refused.message)
            status = refused.status
        else:
            messages.success(request, _("The period was saved."))
            return HttpResponseRedirect(method_pages.editor_url(instance) + "#period")
    return _render_editor(request, instance, form, panel, status=status)


def _attempt(
    request: HttpRequest,
    instance: MethodInstance,
    panel: Panel,
    save: Any,
    success: str,
) -> HttpResponse:
    """Run ``save``; a refusal becomes the panel form's error (400)."""
    try:
        saved = save()
    except ActionRefused as refused:
        if refused.status == 404:
            raise Http404 from refused
        panel.form.add_error(None, refused.message)
        return _render_editor(
            request, instance, _period_form(instance), panel, status=refused.status
        )
    messages.success(request, success)
    anchor = _anchor(saved) if isinstance(saved, HearingDocument | Section | Paragraph) else ""
    return HttpResponseRedirect(method_pages.editor_url(instance) + (anchor or "#documents"))


def _edit(
    request: HttpRequest, instance: MethodInstance, staff: User, target: Target
) -> HttpResponse:
    form = _edit_form(target, request.POST, request.FILES)
    panel = Panel("edit", target, form)
    if not form.is_valid():
        return _render_editor(request, instance, _period_form(instance), panel, status=400)
    data = form.cleaned_data

    def save() -> Target:
        if isinstance(target, HearingDocument):
            changed = staff_actions.do_update_document(
                staff,
                target,
                title=data["title"],
                summary=data["summary"],
                checked=data["file"],
                remove_file=bool(data.get("remove_file")),
            )
        elif isinstance(target, Section):
            changed = staff_actions.do_update_section(staff, target, data["heading"])
        else:
            changed = staff_actions.do_update_paragraph(staff, target, data["text"])
        if not changed:
            messages.info(request, _("Nothing was changed."))
        return target

    return _attempt(request, instance, panel, save, _("Saved."))


def _delete(
    request: HttpRequest, instance: MethodInstance, staff: User, target: Target
) -> HttpResponse:
    try:
        if isinstance(target, HearingDocument):
            staff_actions.do_delete_document(staff, target)
            done = _("The document “%(title)s” was deleted.") % {"title": target.title}
        elif isinstance(target, Section):
            staff_actions.do_delete_section(staff, target)
            done = _("The section “%(heading)s” was deleted.") % {"heading": target.heading}
        else:
            staff_actions.do_delete_paragraph(staff, target)
            done = _("The paragraph was deleted.")
    except ActionRefused as refused:
        return _refusal(request, instance, refused)
    messages.success(request, done)
    return HttpResponseRedirect(method_pages.editor_url(instance) + "#documents")


def _refusal(
    request: HttpRequest, instance: MethodInstance, refused: ActionRefused
) -> HttpResponse:
    if refused.status == 404:
        raise Http404 from refused
    return _render_editor(
        request,
        instance,
        _period_form(instance),
        Panel("add_document", None, DocumentForm()),
        page_error=refused.message,
        status=refused.status,
    )


def _render_editor(
    request: HttpRequest,
    instance: MethodInstance,
    period_form: PeriodForm,
    panel: Panel,
    *,
    page_error: str = "",
    status: int = 200,
) -> HttpResponse:
    hearing = staff_queries.hearing(instance)
    documents = staff_queries.documents(instance) if hearing is not None else []
    span = period.period_of(instance, hearing)
    today = period.today()
    context: dict[str, Any] = {
        "instance": instance,
        "process": instance.process,
        "hearing": hearing,
        "span": span,
        "days_left": span.days_left(today),
        "has_started": span.has_started(today),
        "is_late": span.is_late(today),
        "plan_stage_label": PlanStage(span.stage).label,
        "period_form": period_form,
        "rows": _rows(instance, documents),
        "panel": panel,
        "page_error": page_error,
        "counts": staff_queries.counts(instance),
        "can_submissions": _can(request, instance, *SUBMISSION_CAPABILITIES),
        "urls": {
            "editor": method_pages.editor_url(instance),
            "preview": instance.get_absolute_url(),
            "submissions": registry.instance_url(instance, "staff_submissions"),
            "method": reverse(
                "staff:method_edit", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
            ),
        },
    }
    return private(render(request, "hearing/staff_editor.html", context, status=status))


def document_file(
    request: HttpRequest, instance: MethodInstance, pk: int
) -> FileResponse | HttpResponse:
    """A document's PDF as staff see it, published or not."""
    refused = _gate(request, instance, Capability.MANAGE_PROCESS)
    if refused is not None:
        return refused
    document = staff_queries.document_of(instance, pk)
    if document is None or not document.file:
        raise Http404
    return uploads.download_response(document.file, document.file_name, document.content_type)


# -- submissions -----------------------------------------------------------------------------


def submissions(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """Every submission with what staff need; the exports and the archive."""
    refused = _gate(request, instance, *SUBMISSION_CAPABILITIES)
    if refused is not None:
        return refused
    can_export = _can(request, instance, Capability.EXPORT)
    page_error = ""
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ("send_new", "send_all"):
            page_error = _("The form did not say what to do. Reload the page and try again.")
            status = 400
        elif not can_export:
            return _refused(
                request, instance, _("Sending to the archive needs the right to export.")
            )
        else:
            try:
                archive.queue_send(
                    method_pages.staff_user(request), instance, only_new=action == "send_new"
                )
            except ActionRefused as refused_send:
                page_error = refused_send.message
                status = refused_send.status
            else:
                messages.success(
                    request,
                    _(
                        "Sending to the archive has started. The result is shown under "
                        "“Sent to the archive” below."
                    ),
                )
                return HttpResponseRedirect(
                    registry.instance_url(instance, "staff_submissions") + "#archive"
                )
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    plugin = registry.get(instance.method_key)
    transport_problem = ""
    if transport.is_configured():
        try:
            transport.load_transport()
        except Exception as exc:  # a wrong setting is shown to staff, not a 500
            transport_problem = str(exc)
    context = {
        "instance": instance,
        "process": instance.process,
        "rows": staff_queries.submissions(instance),
        "counts": staff_queries.counts(instance),
        "can_export": can_export,
        "can_respond": _can(request, instance, Capability.RESPOND),
        "can_edit": _can(request, instance, Capability.MANAGE_PROCESS),
        "transport_on": transport.is_configured(),
        "transport_problem": transport_problem,
        "history": staff_queries.archive_history(instance) if can_export else [],
        "page_error": page_error,
        "urls": {
            "self": registry.instance_url(instance, "staff_submissions"),
            "editor": method_pages.editor_url(instance),
            "page": instance.get_absolute_url(),
            "csv": plugin.export_url(instance, "innspel-csv"),
            "pdf": plugin.export_url(instance, "innspel-pdf"),
            "zip": plugin.export_url(instance, "arkivmelding"),
            "inbox": reverse("staff:inbox", kwargs={"pk": instance.process_id}),
        },
    }
    return private(render(request, "hearing/staff_submissions.html", context, status=status))


def submission(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponse:
    """One submission in full, its files, its redactions and the minor flag."""
    refused = _gate(request, instance, *SUBMISSION_CAPABILITIES)
    if refused is not None:
        return refused
    row = staff_queries.submission_row(instance, pk)
    if row is None:
        raise Http404
    files = [(a.pk, a.name) for a in row.attachments if a.pk not in row.withheld_files]
    passage_form = PassageForm()
    file_form = FileRedactionForm(files=files)
    page_error = ""
    status = 200
    if request.method == "POST":
        staff = method_pages.staff_user(request)
        action = request.POST.get("action", "")
        status = 400
        if action not in SUBMISSION_ACTIONS:
            page_error = _("The form did not say what to do. Reload the page and try again.")
        else:
            try:
                done = _submission_post(request, instance, staff, row, action, files)
            except ActionRefused as refused_action:
                if refused_action.status == 404:
                    raise Http404 from refused_action
                page_error = refused_action.message
                status = refused_action.status
            else:
                if isinstance(done, str):
                    messages.success(request, done)
                    return HttpResponseRedirect(
                        registry.instance_url(instance, "staff_submission", pk=pk)
                    )
                passage_form, file_form = done
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    row = staff_queries.submission_row(instance, pk) or row
    contribution = row.contribution
    context = {
        "instance": instance,
        "process": instance.process,
        "row": row,
        "sender": archive.sender_name(row),
        "public_text": queries.public_text(contribution, row.redactions),
        "passage_form": passage_form,
        "file_form": file_form,
        "has_files_to_withhold": bool(files),
        "page_error": page_error,
        "can_respond": _can(request, instance, Capability.RESPOND),
        "can_moderate": _can(request, instance, Capability.MODERATE),
        "urls": {
            "self": registry.instance_url(instance, "staff_submission", pk=pk),
            "list": registry.instance_url(instance, "staff_submissions"),
            "inbox_item": reverse("staff:contribution", kwargs={"pk": contribution.pk}),
            "moderation_item": reverse("staff:moderation_item", kwargs={"pk": contribution.pk}),
        },
        "files": [
            {
                "attachment": a,
                "url": registry.instance_url(instance, "staff_file", pk=pk, file_pk=a.pk),
                "description": uploads.describe(a.content_type, a.size),
                "withheld": a.pk in row.withheld_files,
            }
            for a in row.attachments
        ],
    }
    return private(render(request, "hearing/staff_submission.html", context, status=status))


def _submission_post(
    request: HttpRequest,
    instance: MethodInstance,
    staff: User,
    row: staff_queries.SubmissionRow,
    action: str,
    files: list[tuple[int, str]],
) -> str | tuple[PassageForm, FileRedactionForm]:
    """Do one thing to a submission: the success message, or the forms with their errors."""
    contribution = row.contribution
    if action == "redact_passage":
        form = PassageForm(request.POST)
        if not form.is_valid():
            return form, FileRedactionForm(files=files)
        data = form.cleaned_data
        try:
            staff_actions.do_redact_passage(
                staff, contribution, passage=data["passage"], basis=data["basis"], note=data["note"]
            )
        except ActionRefused as refused:
            if refused.status != 400:
                raise
            form.add_error("passage", refused.message)
            return form, FileRedactionForm(files=files)
        return _("The passage is withheld from the public register.")
    if action == "redact_file":
        file_form = FileRedactionForm(request.POST, files=files)
        if not file_form.is_valid():
            return PassageForm(), file_form
        data = file_form.cleaned_data
        staff_actions.do_redact_attachment(
            staff, contribution, data["attachment"], basis=data["basis"], note=data["note"]
        )
        return _("The file is withheld from the public register.")
    if action == "remove_redaction":
        raw = request.POST.get("redaction", "")
        redaction = (
            staff_queries.redaction_of(instance, contribution.pk, int(raw))
            if raw.isascii() and raw.isdigit() and len(raw) < 13
            else None
        )
        if redaction is None:
            raise ActionRefused(_("That redaction is already removed."))
        staff_actions.do_remove_redaction(staff, redaction)
        return _("The redaction was removed: the register shows it again.")
    value = request.POST.get("is_minor", "")
    if value not in ("yes", "no"):
        raise ActionRefused(_("The form did not say what to do. Reload the page and try again."))
    staff_actions.do_set_minor(staff, row.submission, value == "yes")
    if value == "yes":
        return _("The sender is marked as under 18: the name is never shown online.")
    return _("The sender is no longer marked as under 18. The name stays hidden online.")


def submission_file(
    request: HttpRequest, instance: MethodInstance, pk: int, file_pk: int
) -> FileResponse | HttpResponse:
    """A submission's file for staff (withheld or not), as a download that is never cached."""
    refused = _gate(request, instance, *SUBMISSION_CAPABILITIES)
    if refused is not None:
        return refused
    attachment = staff_queries.attachment_of(instance, pk, file_pk)
    if attachment is None:
        raise Http404
    public = queries.submission_file(instance, attachment.pk)
    if public is None or not (
        public.published and not public.withheld and instance.settings.get("register_public", True)
    ):
        # A file the public cannot get: who took it and when is kept (never its name).
        actions.record_staff_download(method_pages.staff_user(request), instance, attachment)
    return uploads.download_response(
        attachment.file, attachment.name, attachment.content_type, personal=True
    )


URLS: list[URLPattern | URLResolver] = [
    path("stab/innspel/", submissions, name="staff_submissions"),
    path("stab/innspel/<int:pk>/", submission, name="staff_submission"),
    path("stab/innspel/<int:pk>/vedlegg/<int:file_pk>/", submission_file, name="staff_file"),
    path("stab/dokument/<int:pk>/", document_file, name="staff_document"),
]
