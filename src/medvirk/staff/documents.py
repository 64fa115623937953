"""A case's documents in the staff area: add, change, delete, download (``manage_process``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medvirk.core import uploads
from medvirk.core.errors import ActionRefused
from medvirk.processes import documents
from medvirk.processes.types import CaseDocument, Process
from medvirk.vocabulary import Capability

from .access import acting, staff_process
from .document_forms import DocumentEditForm, DocumentForm
from .flow import form_page, submitted


def _document(request: HttpRequest, pk: int, document_pk: int) -> tuple[Process, CaseDocument]:
    process = staff_process(request, pk, Capability.MANAGE_PROCESS)
    document = documents.document_of(process, document_pk)
    if document is None:
        raise Http404
    return process, document


@login_required
def case_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """The list, and the form that adds one."""
    process = staff_process(request, pk, Capability.MANAGE_PROCESS)
    posted = request.method == "POST"
    form = DocumentForm(request.POST if posted else None, request.FILES if posted else None)

    def save() -> object:
        data = form.cleaned_data
        return documents.do_add_document(acting(request), process, data, data["file"])

    if submitted(request, form, save, _("The document was added.")):
        return redirect("staff:documents", pk=process.pk)
    return form_page(
        request,
        "staff/documents.html",
        {"process": process, "form": form, "documents": documents.documents_of(process)},
    )


@login_required
def document_edit(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    process, document = _document(request, pk, document_pk)
    posted = request.method == "POST"
    form = DocumentEditForm(
        request.POST if posted else None,
        initial={
            "title": document.title,
            "kind": document.kind,
            "description": document.description,
            "is_published": document.is_published,
        },
    )

    def save() -> object:
        return documents.do_update_document(acting(request), document, form.cleaned_data)

    if submitted(request, form, save, _("The document was saved.")):
        return redirect("staff:documents", pk=process.pk)
    return form_page(
        request,
        "staff/document_edit.html",
        {"process": process, "form": form, "document": document},
    )


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    process, document = _document(request, pk, document_pk)
    try:
        documents.do_delete_document(acting(request), document)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("The document “%(title)s” was deleted.") % {"title": document.title}
        )
    return redirect("staff:documents", pk=process.pk)


@login_required
def document_file(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """The file as staff see it, published or not."""
    _process, document = _document(request, pk, document_pk)
    return uploads.download_response(document.file, document.name, document.content_type)
