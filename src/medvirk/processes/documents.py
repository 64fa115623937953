"""A case's documents (utgreiingar, tilstandsrapport, drawings): actions and reads.

Staff with ``manage_process`` add, change and delete them (each audited); the public case
page lists the published ones, served as downloads through ``core.uploads``. The file is
checked before it gets here (:func:`medvirk.core.uploads.check_upload`) and stored under a
random name; the name the staff member's file had is kept for the download only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from medvirk.core import audit, uploads
from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_line, clean_title
from medvirk.organisations import capabilities

from .models import CaseDocument, DocumentKind, Process

if TYPE_CHECKING:
    from medvirk.identity.models import User

# Where the files go in storage (then year/month/random name).
STORAGE_PREFIX = "saker"
EDITABLE = ("title", "kind", "description", "is_published")


def _require(staff: User, process: Process) -> None:
    if not capabilities.staff_can(staff, "manage_process", process.municipality_id):
        raise ActionRefused(
            _("You do not have access to do this in this municipality."), status=403
        )


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    kind = values.get("kind", DocumentKind.REPORT)
    if kind not in DocumentKind.values:
        raise ActionRefused(_("Choose what kind of document this is."))
    return {
        "title": clean_title(str(values.get("title", ""))),
        "kind": kind,
        "description": clean_line(str(values.get("description", "")))[:500],
        "is_published": bool(values.get("is_published", False)),
    }


def do_add_document(
    staff: User, process: Process, values: Mapping[str, Any], checked: uploads.CheckedUpload
) -> CaseDocument:
    """Store the file and its row together; a failure leaves neither."""
    _require(staff, process)
    if checked.kind not in uploads.DOCUMENT_KINDS:
        raise ActionRefused(_("A case document must be a PDF or an image."))
    fields = _clean(values)
    if not fields["title"]:
        raise ActionRefused(_("Give the document a title."))
    with uploads.discard_on_failure() as written, transaction.atomic():
        stored = uploads.store(checked, STORAGE_PREFIX)
        written.append(stored)
        document = CaseDocument.objects.create(
            process=process,
            file=stored,
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=staff,
            **fields,
        )
        audit.record(
            "case_document.added",
            actor=staff,
            obj=document,
            municipality_id=process.municipality_id,
            data={
                "process": process.pk,
                "title": document.title,
                "kind": document.kind,
                "content_type": document.content_type,
                "size": document.size,
                "is_published": document.is_published,
            },
        )
    return document


def do_update_document(
    staff: User, document: CaseDocument, values: Mapping[str, Any]
) -> CaseDocument:
    """Change the title, kind, description or whether the public sees it (not the file)."""
    _require(staff, document.process)
    fields = _clean({f: values.get(f, getattr(document, f)) for f in EDITABLE})
    if not fields["title"]:
        raise ActionRefused(_("Give the document a title."))
    with transaction.atomic():
        locked = CaseDocument.objects.select_for_update().get(pk=document.pk)
        changed = sorted(f for f in EDITABLE if getattr(locked, f) != fields[f])
        if not changed:
            return locked
        for field, value in fields.items():
            setattr(locked, field, value)
        locked.save(update_fields=changed)
        audit.record(
            "case_document.updated",
            actor=staff,
            obj=locked,
            municipality_id=locked.process.municipality_id,
            data={
                "process": locked.process_id,
                "fields": changed,
                "is_published": locked.is_published,
            },
        )
    return locked


def do_delete_document(staff: User, document: CaseDocument) -> None:
    """Delete the row (audited); the file goes from storage once that is committed."""
    _require(staff, document.process)
    with transaction.atomic():
        stored = document.file.name or ""
        audit.record(
            "case_document.deleted",
            actor=staff,
            obj=document,
            municipality_id=document.process.municipality_id,
            data={"process": document.process_id, "title": document.title},
        )
        CaseDocument.objects.filter(pk=document.pk).delete()
        uploads.delete_after_commit([stored])


# -- reads -----------------------------------------------------------------------------------


def documents_of(process: Process) -> QuerySet[CaseDocument]:
    """All the case's documents, published or not (staff)."""
    return CaseDocument.objects.filter(process=process).order_by("kind", "title", "pk")


def document_of(process: Process, pk: int) -> CaseDocument | None:
    """The case's own document; another case's is not found."""
    return CaseDocument.objects.select_related("process").filter(process=process, pk=pk).first()


def published_documents(process: Process) -> QuerySet[CaseDocument]:
    """What the public case page lists: published documents, in one query."""
    return documents_of(process).filter(is_published=True)


def published_document(process: Process, pk: int) -> CaseDocument | None:
    """A published document of the case (the caller has checked the case is visible)."""
    return published_documents(process).filter(pk=pk).first()
