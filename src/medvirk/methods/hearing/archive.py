"""The høyring's submissions for the kommune's archive: models → the plain data of
``algorithms/archive/arkivmelding`` → messages with their files.

One saksmappe for the case, then one inngående journalpost per submission. Each
journalpost's main document (hoveddokument) is the submission itself as a PDF — the text
as received, the sender and the date — and the files the sender attached follow as
vedlegg. The archive keeps everything in full: withheld passages and files are withheld
from the public register only. Names of people are marked shielded (``erSkjermet``) unless
the sender chose to show the name and is not under 18.

The messages go out either as one ZIP download (:func:`write_zip`) or, when a transport is
configured, one by one through it (:func:`send_to_archive`, a background task). Either way
the submissions are marked ``archived_at`` and the audit log keeps who, when and how many —
and, for a sending, any failure, which the staff page shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from medvirk.accountability.archive import SYSTEM, case_folder
from medvirk.algorithms.archive import arkivmelding as am
from medvirk.algorithms.archive.arkivmelding import XML_NAME
from medvirk.core import pdf
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.organisations import capabilities
from medvirk.processes.models import MethodInstance
from medvirk.vocabulary import Capability

from . import staff_actions, staff_queries, transport
from .models import SenderKind
from .staff_queries import SubmissionRow

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def _language(instance: MethodInstance) -> str:
    """Documents for the archive are written in the municipality's language."""
    municipality = instance.process.municipality
    return str(municipality.default_language or settings.LANGUAGE_CODE)


def sender_name(row: SubmissionRow) -> str:
    contribution = row.contribution
    if contribution.author_name:
        return contribution.author_name
    if contribution.author is not None:
        return str(contribution.author.public_name())
    return ""


def sender_for(row: SubmissionRow) -> am.Sender:
    submission, contribution = row.submission, row.contribution
    person = sender_name(row)
    email = contribution.contact_email or (
        contribution.author.email if contribution.author is not None else ""
    )
    if submission.sender_kind == SenderKind.ORGANISATION and submission.organisation_name:
        return am.Sender(
            submission.organisation_name,
            organisation_number=submission.organisation_number or None,
            contact_person=person or None,
            email=email or None,
            shielded=submission.is_minor,
        )
    return am.Sender(
        person or _("Name not given"),
        email=email or None,
        shielded=submission.is_minor or not contribution.show_name,
    )


@dataclass(frozen=True)
class MainDocument:
    filename: str
    mime_type: str
    content: bytes


def main_document(instance: MethodInstance, row: SubmissionRow) -> MainDocument:
    """The submission itself as a PDF (a UTF-8 text file where WeasyPrint cannot run)."""
    context = {
        "instance": instance,
        "process": instance.process,
        "row": row,
        "sender": sender_name(row),
        "lang": translation.get_language() or "nn",
    }
    name = _("Submission %(n)d") % {"n": row.contribution.pk}
    rendered = pdf.render(render_to_string("hearing/pdf_submission.html", context))
    if rendered is not None:
        return MainDocument(f"{name}.pdf", "application/pdf", rendered)
    text = render_to_string("hearing/pdf_submission.txt", context)
    return MainDocument(f"{name}.txt", "text/plain", text.encode("utf-8"))


def _read(field: Any) -> bytes:
    with field.storage.open(field.name, "rb") as handle:
        return bytes(handle.read())


@dataclass(frozen=True)
class Package:
    """One message ready to go: its folder name in a ZIP, and its content."""

    folder: str
    message: transport.OutgoingMessage
    submission_id: int | None  # None for the saksmappe


def _title(row: SubmissionRow, sender: am.Sender) -> tuple[str, str]:
    """The journalpost's title (with the sender) and its public title (without a person)."""
    title = _("Submission from %(sender)s") % {"sender": sender.name}
    if row.submission.sender_kind == SenderKind.ORGANISATION and not sender.shielded:
        return title, title
    return title, _("Submission from a private person")


def packages(
    instance: MethodInstance,
    staff: User | AnonymousUser | None,
    rows: Sequence[SubmissionRow],
    *,
    journal_date: dt.date | None = None,
) -> Iterator[Package]:
    """The saksmappe, then each submission's journalpost with its files (read one
    submission at a time, so memory holds one message, not the whole høyring)."""
    day = journal_date or timezone.localdate()
    with translation.override(_language(instance)):
        case = case_folder(instance.process, staff)
        yield Package(
            "001-saksmappe",
            transport.OutgoingMessage(case.reference, am.build_saksmappe(case, system=SYSTEM)),
            None,
        )
        for index, row in enumerate(rows, start=2):
            contribution = row.contribution
            sender = sender_for(row)
            main = main_document(instance, row)
            contents: list[tuple[bytes, str, str, str | None]] = [
                (main.content, main.mime_type, main.filename, _("Submission"))
            ]
            for attachment in row.attachments:
                contents.append(
                    (_read(attachment.file), attachment.content_type, attachment.name, None)
                )
            files = tuple(
                am.ArchiveFile(
                    filename=name,
                    mime_type=mime,
                    title=title,
                    size=len(content),
                    sha256=hashlib.sha256(content).hexdigest(),
                )
                for content, mime, name, title in contents
            )
            title, public_title = _title(row, sender)
            late = _("Received after the deadline.") if row.submission.is_late else ""
            reference = f"{case.reference}/innspel-{contribution.pk}"
            entry = am.Submission(
                reference=reference,
                title=title,
                public_title=public_title,
                sender=sender,
                received=timezone.localtime(contribution.created_at),
                files=files,
                description=" ".join(p for p in (instance.title + ".", late) if p),
            )
            message = am.build_journalpost(case, entry, journal_date=day, system=SYSTEM)
            packed = tuple(
                transport.PackagedFile(name, content[0], file.mime_type)
                for (name, file), content in zip(message.files, contents, strict=True)
            )
            yield Package(
                f"{index:03d}-innspel-{contribution.pk}",
                transport.OutgoingMessage(reference, message.xml, packed),
                row.submission.pk,
            )


def write_zip(
    instance: MethodInstance, staff: User | AnonymousUser | None
) -> tuple[IO[bytes], list[int]]:
    """Every message in one ZIP (a folder each), in a temporary file; and the submissions
    in it. The file is at position 0; the caller closes it."""
    rows = staff_queries.submissions(instance)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    ids: list[int] = []
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for package in packages(instance, staff, rows):
            archive.writestr(f"{package.folder}/{XML_NAME}", package.message.xml)
            for file in package.message.files:
                archive.writestr(f"{package.folder}/{file.name}", file.content)
            if package.submission_id is not None:
                ids.append(package.submission_id)
    handle.seek(0)
    return handle, ids


# -- sending through the transport -----------------------------------------------------------


def queue_send(staff: User, instance: MethodInstance, *, only_new: bool) -> None:
    """Start sending (audited as queued); the task reports how it went in the log."""
    if not transport.is_configured():
        raise ActionRefused(_("Sending to the archive is not set up."), status=409)
    staff_actions.record_archive_queued(staff, instance, only_new=only_new)
    send_to_archive.enqueue(instance.pk, staff.pk, only_new)


def _rows_to_send(instance: MethodInstance, only_new: bool) -> list[SubmissionRow]:
    rows = staff_queries.submissions(instance)
    if only_new:
        rows = [r for r in rows if r.submission.archived_at is None]
    return rows


@task()
def send_to_archive(instance_id: int, staff_id: int | None, only_new: bool = True) -> int:
    """Send the saksmappe and each submission through the configured transport.

    Stops at the first failure, which goes to the audit log with its error (the staff page
    shows it); what was sent before it is marked archived, the rest stays "not archived",
    so sending again continues. Returns how many submissions went.
    """
    instance = (
        MethodInstance.objects.select_related("process__municipality", "phase")
        .filter(pk=instance_id)
        .first()
    )
    if instance is None:
        return 0
    staff = User.objects.filter(pk=staff_id).first() if staff_id is not None else None
    sent: list[int] = []
    receipts: list[str] = []
    reference = ""
    try:
        if staff is not None and not capabilities.staff_can(
            staff, Capability.EXPORT, instance.process.municipality_id
        ):
            raise transport.TransportError("the person who asked may no longer export")
        chosen = transport.load_transport()
        if chosen is None:
            raise transport.TransportError("no transport is configured")
        rows = _rows_to_send(instance, only_new)
        for package in packages(instance, staff, rows):
            reference = package.message.reference
            receipts.append(str(chosen.send(package.message)))
            if package.submission_id is not None:
                sent.append(package.submission_id)
    except Exception as exc:  # any failure of any transport is kept, never lost
        if sent:
            staff_actions.do_mark_archived(
                None, instance, sent, how="transport", receipts=receipts, actor=staff
            )
        staff_actions.record_archive_failed(
            staff,
            instance,
            error=f"{type(exc).__name__}: {exc}",
            sent=len(sent),
            reference=reference,
        )
        return len(sent)
    staff_actions.do_mark_archived(
        None, instance, sent, how="transport", receipts=receipts, actor=staff
    )
    return len(sent)
