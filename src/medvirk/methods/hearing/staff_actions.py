"""Staff writes for the høyring: the period, the documents and their text, redactions, the
minor flag, and marking submissions as handed to the archive.

Every ``do_…`` checks the staff member's capability first (``None`` is the demo loader and
tests acting as the system), changes the rows in one transaction and writes an audit row
(``core.audit.record``; the labels are in ``core/audit_labels.py``). A refusal raises
:class:`~medvirk.core.errors.ActionRefused` with a message in the reader's language and
changes nothing.

Text with comments anchored to it is kept (the models PROTECT it): it can be reworded,
not deleted, so no comment ever loses what it was about.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.contributions.models import Attachment, Contribution
from medvirk.core import audit, uploads
from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_line, clean_title
from medvirk.organisations import capabilities
from medvirk.processes.models import MethodInstance
from medvirk.vocabulary import Capability

from . import queries
from .models import (
    AnchoredComment,
    Hearing,
    HearingDocument,
    Paragraph,
    Redaction,
    Section,
    Submission,
)
from .period import check_period

if TYPE_CHECKING:
    from medvirk.identity.models import User

METHOD_KEY = "hearing"
SUBMISSION_KIND = "hearing_submission"
# Where a document's PDF goes in storage (then year/month/random name).
STORAGE_PREFIX = "hoyring"
MAX_DOCUMENTS = 20
MAX_SECTIONS = 100
MAX_PARAGRAPHS = 100
MAX_HEADING = 300
MAX_PARAGRAPH = 8000
MAX_SUMMARY = 2000
MAX_NOTE = 500
MAX_PASSAGE = 4000

# Who may withhold text from the public register and mark a sender as under 18: those who
# judge what is shown (moderators) and those who answer the input (case officers).
REDACT_CAPABILITIES = (Capability.MODERATE, Capability.RESPOND)

_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


# -- checks ----------------------------------------------------------------------------------


def _require(staff: User | None, municipality_id: int, *needed: Capability) -> None:
    """Refuse (403) unless one of ``needed`` is granted to ``staff`` here."""
    if staff is None:
        return
    if not any(capabilities.staff_can(staff, c, municipality_id) for c in needed):
        raise ActionRefused(
            _("You do not have access to do this in this municipality."), status=403
        )


def _require_hearing(instance: MethodInstance) -> None:
    if instance.method_key != METHOD_KEY:
        raise ActionRefused(_("This is not a consultation."), status=404)


def _municipality_id(instance: MethodInstance) -> int:
    return int(instance.process.municipality_id)


def clean_text(value: str, *, max_length: int) -> str:
    """A paragraph as typed: line breaks kept (at most one blank line in a row), hidden and
    control characters dropped, spaces trimmed. Refused when too long."""
    unified = _LINE_BREAKS.sub("\n", value)
    kept = "".join(
        c for c in unified if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cf", "Cs")
    )
    lines = [" ".join(line.split()) for line in kept.split("\n")]
    text = _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    text = unicodedata.normalize("NFC", text)
    if len(text) > max_length:
        raise ActionRefused(
            _("The text is too long: at most %(max)d characters (it has %(n)d).")
            % {"max": max_length, "n": len(text)}
        )
    return text


def _data(instance: MethodInstance, **data: object) -> dict[str, object]:
    """An audit row's data: the method instance, and what changed."""
    return {"method": instance.pk, **data}


# -- the period ------------------------------------------------------------------------------


def do_save_period(
    staff: User | None,
    instance: MethodInstance,
    *,
    stage: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
) -> Hearing:
    """Set what is on consultation and the period; the first save creates the hearing.

    A plan case shorter than six weeks is refused with the reason and the section of law
    (:func:`~medvirk.methods.hearing.period.check_period`).
    """
    _require_hearing(instance)
    _require(staff, _municipality_id(instance), Capability.MANAGE_PROCESS)
    check_period(stage, starts_on, ends_on)
    assert starts_on is not None and ends_on is not None
    with transaction.atomic():
        hearing = Hearing.objects.select_for_update().filter(method_instance=instance).first()
        created = hearing is None
        if hearing is None:
            hearing = Hearing.objects.create(
                method_instance=instance, plan_stage=stage, starts_on=starts_on, ends_on=ends_on
            )
        else:
            before = (hearing.plan_stage, hearing.starts_on, hearing.ends_on)
            if before == (stage, starts_on, ends_on):
                return hearing
            hearing.plan_stage = stage
            hearing.starts_on = starts_on
            hearing.ends_on = ends_on
            hearing.save(update_fields=["plan_stage", "starts_on", "ends_on", "updated_at"])
        audit.record(
            "hearing.period_saved",
            actor=staff,
            obj=hearing,
            municipality_id=_municipality_id(instance),
            data=_data(
                instance,
                created=created,
                stage=stage,
                starts_on=starts_on.isoformat(),
                ends_on=ends_on.isoformat(),
            ),
        )
    return hearing


# -- documents -------------------------------------------------------------------------------


def _document_fields(title: str, summary: str) -> tuple[str, str]:
    cleaned = clean_title(title)
    if not cleaned:
        raise ActionRefused(_("Give the document a title."))
    return cleaned, clean_text(summary, max_length=MAX_SUMMARY)


def _check_pdf(checked: uploads.CheckedUpload | None) -> None:
    if checked is not None and checked.content_type != "application/pdf":
        raise ActionRefused(_("A document on consultation must be a PDF."))


def do_add_document(
    staff: User | None,
    instance: MethodInstance,
    *,
    title: str,
    summary: str = "",
    checked: uploads.CheckedUpload | None = None,
) -> HearingDocument:
    """Add a document at the end; its PDF and its row are stored together or not at all."""
    _require_hearing(instance)
    _require(staff, _municipality_id(instance), Capability.MANAGE_PROCESS)
    title, summary = _document_fields(title, summary)
    _check_pdf(checked)
    with uploads.discard_on_failure() as written, transaction.atomic():
        hearing = Hearing.objects.select_for_update().filter(method_instance=instance).first()
        if hearing is None:
            raise ActionRefused(
                _("Save the period first: a document belongs to a consultation with dates.")
            )
        count = HearingDocument.objects.filter(hearing=hearing).count()
        if count >= MAX_DOCUMENTS:
            raise ActionRefused(
                _("A consultation has at most %(n)d documents.") % {"n": MAX_DOCUMENTS}
            )
        document = HearingDocument(hearing=hearing, order=count + 1, title=title, summary=summary)
        if checked is not None:
            stored = uploads.store(checked, STORAGE_PREFIX)
            written.append(stored)
            document.file.name = stored
            document.file_name = checked.name
            document.content_type = checked.content_type
            document.size = checked.size
        document.save()
        audit.record(
            "hearing.document_added",
            actor=staff,
            obj=document,
            municipality_id=_municipality_id(instance),
            data=_data(instance, title=title, has_file=checked is not None),
        )
    return document


def do_update_document(
    staff: User | None,
    document: HearingDocument,
    *,
    title: str,
    summary: str = "",
    checked: uploads.CheckedUpload | None = None,
    remove_file: bool = False,
) -> bool:
    """Change the title and summary; replace or remove the PDF. True when anything changed."""
    instance = document.hearing.method_instance
    _require(staff, _municipality_id(instance), Capability.MANAGE_PROCESS)
    title, summary = _document_fields(title, summary)
    _check_pdf(checked)
    with uploads.discard_on_failure() as written, transaction.atomic():
        locked = HearingDocument.objects.select_for_update().get(pk=document.pk)
        changed = [
            f for f, v in (("title", title), ("summary", summary)) if getattr(locked, f) != v
        ]
        old_file = locked.file.name or ""
        if checked is not None:
            stored = uploads.store(checked, STORAGE_PREFIX)
            written.append(stored)
            locked.file.name = stored
            locked.file_name = checked.name
            locked.content_type = checked.content_type
            locked.size = checked.size
            changed.append("file")
        elif remove_file and old_file:
            locked.file.name = ""
            locked.file_name = ""
            locked.content_type = ""
            locked.size = 0
            changed.append("file")
        if not changed:
            return False
        locked.title = title
        locked.summary = summary
        locked.save()
        if "file" in changed and old_file:
            uploads.delete_after_commit([old_file])
        audit.record(
            "hearing.document_updated",
            actor=staff,
            obj=locked,
            municipality_id=_municipality_id(instance),
            data=_data(instance, fields=sorted(changed)),
        )
    document.title, document.summary = title, summary
    return True


def do_delete_document(staff: User | None, document: HearingDocument) -> None:
    """Delete a document with its sections and paragraphs, unless comments point at them."""
    instance = document.hearing.method_instance
    _require(staff, _municipality_id(instance), Capability.MANAGE_PROCESS)
    with transaction.atomic():
        locked = HearingDocument.objects.select_for_update().filter(pk=document.pk).first()
        if locked is None:
            raise ActionRefused(_("The document is already gone."), status=404)
        comments = AnchoredComment.objects.filter(section__document=locked).count()
        if comments:
            raise ActionRefused(
                _(
                    "“%(title)s” cannot be deleted: %(n)d comments point at its text. You can "
                    "reword the text or change the title instead."
                )
                % {"title": locked.title, "n": comments}
            )
        stored = locked.file.name or ""
        audit.record(
            "hearing.document_deleted",
            actor=staff,
            obj=locked,
            municipality_id=_municipality_id(instance),
            data=_data(instance, title=locked.title),
        )
        hearing = locked.hearing
        locked.delete()
        _renumber(list(HearingDocument.objects.filter(hearing=hearing)))
        if stored:
            uploads.delete_after_commit([stored])


# -- sections and paragraphs -----------------------------------------------------------------


def _heading(value: str) -> str:
    heading = clean_line(value)
    if not heading:
        raise ActionRefused(_("Give the section a heading."))
    if len(heading) > MAX_HEADING:
        raise ActionRefused(
            _("The heading is too long: at most %(max)d characters.") % {"max": MAX_HEADING}
        )
    return heading


def _paragraph(value: str) -> str:
    text = clean_text(value, max_length=MAX_PARAGRAPH)
    if not text:
        raise ActionRefused(_("Write the paragraph's text."))
    return text


def do_add_section(staff: User | None, document: HearingDocument, heading: str) -> Section:
    """Add a section at the end of the document."""
    instance = document.hearing.method_instance
    _require(staff, _municipality_id(instance), Capability.MANAGE_PROCESS)
    heading = _heading(heading)
    with transaction.atomic():
        HearingDocument.objects.select_for_update().filter(pk=document.pk).first()
        count = Section.objects.filter(document=document).count()
        if count >= MAX_SECTIONS:
            raise ActionRefused(_("A document has at most %(n)d sections.") % {"n": MAX_SECTIONS})
        section = Section.objects.create(document=document, order=count + 1, heading=heading)
        audit.record(
            "hearing.section_added",
            actor=staff,
            obj=section,
            municipality_id=_municipality_id(instance),
            data=_data(instance, document=document.pk),
        )
    return section


def do_update_section(staff: User | None, section: Section, heading: str) -> bool:
    instance = section.document.hearing.method_instance
    _require(staff, _municipality_id(instance), Capability.MANAGE_PROCESS)
    heading = _heading(heading)
    with transaction.atomic():
        locked = Section.objects.select_for_update().get(pk=section.pk)
        if locked.heading == heading:
            return False
        locked.heading = heading
        locked.save(update_fields=["heading"])
        audit.record(
            "hearing.section_updated",
            actor=staff,
            obj=locked,
            municipality_id=_municipality_id(instance),
            data=_data(
                instance,
                comments=AnchoredComment.objects.filter(section=locked).count(),
            ),
        )
    section.heading = heading
    return True


def do_delete_section(staff: User | None, section: Section) -> None:
    """Delete a section and its paragraphs, unless comments point at them."""
    instance = section.document.hearing.method_instance
    _require(staff, _municipality_id(instance), Capability.MANAGE_PROCESS)
    with transaction.atomic():
        locked = Section.objects.select_for_update().filter(pk=section.pk).first()
        if locked is None:
            raise ActionRefused(_("The section is already gone."), status=404)
        comments = AnchoredComment.objects.filter(section=locked).count()
        if comments:
            raise ActionRefused(
                _(
                    "The section “%(heading)s” cannot be deleted: %(n)d comments point at it. "
                    "You can reword it instead."
                )
                % {"heading": locked.heading, "n": comments}
            )
        audit.record(
            "hearing.section_deleted",
            actor=staff,
            obj=locked,
            municipality_id=_municipality_id(instance),
            data=_data(instance, heading=locked.heading),
        )
        document = locked.document
        locked.delete()
        _renumber(list(Section.objects.filter(document=document)))


def do_add_paragraph(staff: User | None, section: Section, text: str) -> Paragraph:
    """Add a paragraph at the end of the section."""
    instance = section.document.hearing.method_instance
    _require(staff, _municipality_id(instance), Capability.MANAGE_PROCESS)
    text = _paragraph(text)
    with transaction.atomic():
        Section.objects.select_for_update().filter(pk=section.pk).first()
        count = Paragraph.objects.filter(section=section).count()
        if count >= MAX_PARAGRAPHS:
            raise ActionRefused(
                _("A section has at most %(n)d paragraphs.") % {"n": MAX_PARAGRAPHS}
            )
        paragraph = Paragraph.objects.create(section=section, order=count + 1, text=text)
        audit.record(
            "hearing.paragraph_added",
            actor=staff,
            obj=paragraph,
            municipality_id=_municipality_id(instance),
            data=_data(instance, section=section.pk),
        )
    return paragraph


def do_update_paragraph(staff: User | None, paragraph: Paragraph, text: str) -> bool:
    instance = paragraph.section.document.hearing.method_instance
    _require(staff, _municipality_id(instance), Capability.MANAGE_PROCESS)
    text = _paragraph(text)
    with transaction.atomic():
        locked = Paragraph.objects.select_for_update().get(pk=paragraph.pk)
        if locked.text == text:
            return False
        locked.text = text
        locked.save(update_fields=["text"])
        audit.record(
            "hearing.paragraph_updated",
            actor=staff,
            obj=locked,
            municipality_id=_municipality_id(instance),
            data=_data(
                instance,
                comments=AnchoredComment.objects.filter(paragraph=locked).count(),
            ),
        )
    paragraph.text = text
    return True


def do_delete_paragraph(staff: User | None, paragraph: Paragraph) -> None:
    """Delete a paragraph, unless comments point at it."""
    instance = paragraph.section.document.hearing.method_instance
    _require(staff, _municipality_id(instance), Capability.MANAGE_PROCESS)
    with transaction.atomic():
        locked = Paragraph.objects.select_for_update().filter(pk=paragraph.pk).first()
        if locked is None:
            raise ActionRefused(_("The paragraph is already gone."), status=404)
        comments = AnchoredComment.objects.filter(paragraph=locked).count()
        if comments:
            raise ActionRefused(
                _(
                    "This paragraph cannot be deleted: %(n)d comments point at it. You can "
                    "reword it instead."
                )
                % {"n": comments}
            )
        audit.record(
            "hearing.paragraph_deleted",
            actor=staff,
            obj=locked,
            municipality_id=_municipality_id(instance),
            data=_data(instance, section=locked.section_id),
        )
        section = locked.section
        locked.delete()
        _renumber(list(Paragraph.objects.filter(section=section)))


# -- order -----------------------------------------------------------------------------------

Movable = HearingDocument | Section | Paragraph


def _renumber(items: Sequence[Movable]) -> None:
    """Give ``items`` the orders 1, 2, 3 … in the sequence given; save what changed."""
    for position, item in enumerate(items, start=1):
        if item.order != position:
            item.order = position
            item.save(update_fields=["order"])


def _siblings(item: Movable) -> tuple[list[Movable], MethodInstance]:
    if isinstance(item, HearingDocument):
        docs = HearingDocument.objects.select_for_update().filter(hearing_id=item.hearing_id)
        return list(docs), item.hearing.method_instance
    if isinstance(item, Section):
        sections = Section.objects.select_for_update().filter(document_id=item.document_id)
        return list(sections), item.document.hearing.method_instance
    paragraphs = Paragraph.objects.select_for_update().filter(section_id=item.section_id)
    return list(paragraphs), item.section.document.hearing.method_instance


def do_move(staff: User | None, item: Movable, direction: str) -> int:
    """Move a document, section or paragraph one place up or down; return its new number."""
    if direction not in ("up", "down"):
        raise ActionRefused(_("Move up or down."))
    with transaction.atomic():
        siblings, instance = _siblings(item)
        _require(staff, _municipality_id(instance), Capability.MANAGE_PROCESS)
        index = next((i for i, s in enumerate(siblings) if s.pk == item.pk), None)
        if index is None:
            raise ActionRefused(_("It is already gone."), status=404)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            raise ActionRefused(
                _("It is already first.") if direction == "up" else _("It is already last.")
            )
        siblings[index], siblings[other] = siblings[other], siblings[index]
        _renumber(siblings)
        audit.record(
            "hearing.text_moved",
            actor=staff,
            obj=item,
            municipality_id=_municipality_id(instance),
            data=_data(
                instance,
                kind=type(item).__name__.lower(),
                position=other + 1,
            ),
        )
    return other + 1


# -- submissions: redaction and the minor flag -----------------------------------------------


def _submission_instance(contribution: Contribution) -> MethodInstance:
    instance = contribution.method_instance
    if (
        instance is None
        or instance.method_key != METHOD_KEY
        or contribution.kind != SUBMISSION_KIND
    ):
        raise ActionRefused(_("This is not a submission to a consultation."), status=404)
    return instance


def _full_text(locked: Contribution) -> str:
    submission = Submission.objects.filter(contribution=locked).first()
    return submission.text if submission is not None else locked.text


def _store_public_text(locked: Contribution) -> None:
    """Keep the full text on the submission (first time) and store the public text, with
    every withheld passage replaced, as the contribution's: each public page and export —
    the register, the case's list of input, open data — then shows only that."""
    submission = Submission.objects.select_for_update().get(contribution=locked)
    if not submission.full_text:
        submission.full_text = locked.text
        submission.save(update_fields=["full_text"])
    public = queries.apply_redactions(
        submission.full_text, Redaction.objects.filter(contribution=locked)
    )
    if public != locked.text:
        locked.text = public
        locked.save(update_fields=["text"])


def _basis_and_note(basis: str, note: str) -> str:
    if basis not in Redaction.Basis.values:
        raise ActionRefused(_("Choose the legal reason for withholding it."))
    note = clean_line(note)
    if len(note) > MAX_NOTE:
        raise ActionRefused(
            _("The explanation is too long: at most %(max)d characters.") % {"max": MAX_NOTE}
        )
    if basis == Redaction.Basis.OTHER and not note:
        raise ActionRefused(_("Explain the reason when it is “Other reason”."))
    return note


def do_redact_passage(
    staff: User | None, contribution: Contribution, *, passage: str, basis: str, note: str = ""
) -> Redaction:
    """Withhold ``passage`` of a submission's text from the public register (audited).

    The passage must occur in the text exactly as written (the archive keeps the full text;
    the register shows it with the passage replaced).
    """
    instance = _submission_instance(contribution)
    _require(staff, _municipality_id(instance), *REDACT_CAPABILITIES)
    wanted = passage.strip()
    if not wanted:
        raise ActionRefused(_("Copy the passage to withhold from the text."))
    if len(wanted) > MAX_PASSAGE:
        raise ActionRefused(
            _("The passage is too long: at most %(max)d characters.") % {"max": MAX_PASSAGE}
        )
    note = _basis_and_note(basis, note)
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if wanted not in _full_text(locked):
            raise ActionRefused(
                _(
                    "The passage was not found in the text. Copy it exactly as it stands, "
                    "with the same letters, spaces and punctuation."
                )
            )
        if Redaction.objects.filter(contribution=locked, passage=wanted).exists():
            raise ActionRefused(_("That passage is already withheld."))
        redaction = Redaction.objects.create(
            contribution=locked, passage=wanted, basis=basis, note=note, created_by=staff
        )
        _store_public_text(locked)
        audit.record(
            "hearing.redaction_added",
            actor=staff,
            obj=redaction,
            municipality_id=_municipality_id(instance),
            data=_data(instance, contribution=locked.pk, basis=basis, length=len(wanted)),
        )
    return redaction


def do_redact_attachment(
    staff: User | None,
    contribution: Contribution,
    attachment_id: int,
    *,
    basis: str,
    note: str = "",
) -> Redaction:
    """Withhold one whole file of a submission from the public register (audited)."""
    instance = _submission_instance(contribution)
    _require(staff, _municipality_id(instance), *REDACT_CAPABILITIES)
    note = _basis_and_note(basis, note)
    with transaction.atomic():
        attachment = Attachment.objects.filter(pk=attachment_id, contribution=contribution).first()
        if attachment is None:
            raise ActionRefused(_("Choose one of the submission's files."))
        if Redaction.objects.filter(contribution=contribution, attachment=attachment).exists():
            raise ActionRefused(_("That file is already withheld."))
        redaction = Redaction.objects.create(
            contribution=contribution,
            attachment=attachment,
            basis=basis,
            note=note,
            created_by=staff,
        )
        audit.record(
            "hearing.redaction_added",
            actor=staff,
            obj=redaction,
            municipality_id=_municipality_id(instance),
            data=_data(
                instance, contribution=contribution.pk, basis=basis, attachment=attachment.pk
            ),
        )
    return redaction


def do_remove_redaction(staff: User | None, redaction: Redaction) -> None:
    """Show the passage or file in the register again (audited)."""
    instance = _submission_instance(redaction.contribution)
    _require(staff, _municipality_id(instance), *REDACT_CAPABILITIES)
    with transaction.atomic():
        locked = Redaction.objects.select_for_update().filter(pk=redaction.pk).first()
        if locked is None:
            raise ActionRefused(_("That redaction is already removed."), status=404)
        audit.record(
            "hearing.redaction_removed",
            actor=staff,
            obj=locked,
            municipality_id=_municipality_id(instance),
            data=_data(
                instance,
                contribution=locked.contribution_id,
                basis=locked.basis,
                attachment=locked.attachment_id,
            ),
        )
        contribution = Contribution.objects.select_for_update().get(pk=locked.contribution_id)
        locked.delete()
        _store_public_text(contribution)


def do_set_minor(staff: User | None, submission: Submission, is_minor: bool) -> bool:
    """Mark or unmark the sender as under 18. Marked, the name is never shown online (and
    ``show_name`` is turned off); unmarking does not show the name again by itself."""
    instance = _submission_instance(submission.contribution)
    _require(staff, _municipality_id(instance), *REDACT_CAPABILITIES)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.is_minor == is_minor:
            return False
        locked.is_minor = is_minor
        locked.save(update_fields=["is_minor"])
        if is_minor:
            Contribution.objects.filter(pk=locked.contribution_id).update(show_name=False)
        audit.record(
            "hearing.minor_marked" if is_minor else "hearing.minor_unmarked",
            actor=staff,
            obj=locked,
            municipality_id=_municipality_id(instance),
            data=_data(instance, contribution=locked.contribution_id),
        )
    submission.is_minor = is_minor
    return True


# -- the archive -----------------------------------------------------------------------------


def do_mark_archived(
    staff: User | None,
    instance: MethodInstance,
    submission_ids: Sequence[int],
    *,
    how: str,
    receipts: Sequence[str] = (),
    actor: User | None = None,
) -> int:
    """Note that these submissions went to the archive (``how``: "zip" or "transport").

    The first time is kept (``archived_at`` is not moved by a repeat). Returns how many were
    archived for the first time. ``staff`` is checked for the export capability; the
    sending task, which checked when it started, passes None and names the ``actor``.
    """
    _require_hearing(instance)
    _require(staff, _municipality_id(instance), Capability.EXPORT)
    who = staff if staff is not None else actor
    now = timezone.now()
    with transaction.atomic():
        fresh = Submission.objects.filter(
            pk__in=list(submission_ids),
            contribution__method_instance=instance,
            archived_at__isnull=True,
        ).update(archived_at=now)
        audit.record(
            "hearing.archive_exported" if how == "zip" else "hearing.archive_sent",
            actor=who,
            obj=instance,
            municipality_id=_municipality_id(instance),
            data=_data(
                instance,
                submissions=len(submission_ids),
                first_time=fresh,
                receipts=list(receipts)[:50],
            ),
        )
    return fresh


def record_archive_queued(staff: User | None, instance: MethodInstance, *, only_new: bool) -> None:
    _require_hearing(instance)
    _require(staff, _municipality_id(instance), Capability.EXPORT)
    with transaction.atomic():
        audit.record(
            "hearing.archive_queued",
            actor=staff,
            obj=instance,
            municipality_id=_municipality_id(instance),
            data=_data(instance, only_new=only_new),
        )


def record_archive_failed(
    staff: User | None, instance: MethodInstance, *, error: str, sent: int, reference: str
) -> None:
    """Keep a failed sending in the log, where the staff page shows it (never lost)."""
    with transaction.atomic():
        audit.record(
            "hearing.archive_failed",
            actor=staff,
            obj=instance,
            municipality_id=_municipality_id(instance),
            data=_data(instance, error=error[:500], sent=sent, reference=reference),
        )
