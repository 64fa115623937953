"""Writes of the høyring for residents: a comment anchored to the text, a formal submission.

Both are contributions (``do_contribute``: the checks, the masking of national identity
numbers, moderation and the receipt); the rows here add where a comment points, and who a
submission is from, whether it came late, and its files.

The hearing's own period decides, not the phase's (``period.py``):

- comments are taken from the first day through the deadline;
- submissions from the first day, and after the deadline too — received, kept, answered
  and marked late, never refused for it.

A closed method or a decided case takes nothing (``permissions.can_act``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.db import transaction
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from medvirk.algorithms.text import orgnr
from medvirk.contributions import screening
from medvirk.contributions.actions import Draft, Receipt, do_contribute
from medvirk.contributions.models import Attachment
from medvirk.core import audit, uploads
from medvirk.core.errors import ActionRefused
from medvirk.processes import permissions
from medvirk.processes.models import MethodInstance

from . import period
from .models import AnchoredComment, Paragraph, Section, SenderKind, Submission

if TYPE_CHECKING:
    import datetime as dt

    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.models import User

# The plug-in's names (plugin.py declares the same; a test keeps them equal).
COMMENT = "comment"
SUBMIT = "submit"
COMMENT_KIND = "hearing_comment"
SUBMISSION_KIND = "hearing_submission"
MAX_FILES = 5
# Where submissions' files go in storage (then year/month/random name).
STORAGE_PREFIX = "hoyringsinnspel"
# The field name a moderator sees when the organisation's name holds a number.
ORGANISATION_FIELD = "organisation_name"
NAME_MAX = 150
ORGANISATION_MAX = 200


def _day(day: dt.date) -> str:
    return format_date(day, get_format("DATE_FORMAT"))


def _can_act(user: User | AnonymousUser, instance: MethodInstance, action: str) -> None:
    permissions.require(user, instance, action)


# --- comments ---------------------------------------------------------------------------


def comments_on(instance: MethodInstance) -> bool:
    return bool(instance.settings.get("comments", True))


def check_comment(user: User | AnonymousUser, instance: MethodInstance) -> None:
    """Raise :class:`ActionRefused` (403) when this person cannot comment here now."""
    if not comments_on(instance):
        raise ActionRefused(_("This consultation does not take comments on the text."), status=403)
    _can_act(user, instance, COMMENT)
    span = period.period_for(instance)
    today = period.today()
    if not span.has_started(today):
        raise ActionRefused(
            _("Comments on the text open on %(start)s.") % {"start": _day(span.starts_on)},
            status=403,
        )
    if span.is_late(today):
        if submissions_on(instance):
            message = _(
                "The deadline for comments on the text was %(end)s. You can still send a "
                "submission: it is received and marked late."
            )
        else:
            message = _("The deadline for comments on the text was %(end)s.")
        raise ActionRefused(message % {"end": _day(span.ends_on)}, status=403)


def _resolve_part(instance: MethodInstance, part: str) -> tuple[Section, Paragraph | None]:
    """The section (and paragraph) ``part`` names in this instance's documents, locked so
    the editor cannot delete it while the comment is stored."""
    refused = ActionRefused(_("Choose the part of the text you comment on."))
    kind, digits = part[:1], part[1:]
    if kind not in ("s", "p") or not digits.isdigit():
        raise refused
    if kind == "p":
        paragraph = (
            Paragraph.objects.select_for_update()
            .select_related("section")
            .filter(pk=int(digits), section__document__hearing__method_instance=instance)
            .first()
        )
        if paragraph is None:
            raise refused
        return paragraph.section, paragraph
    section = (
        Section.objects.select_for_update()
        .filter(pk=int(digits), document__hearing__method_instance=instance)
        .first()
    )
    if section is None:
        raise refused
    return section, None


def do_comment(
    user: User | AnonymousUser,
    instance: MethodInstance,
    *,
    part: str,
    text: str,
    author_name: str = "",
    show_name: bool = False,
    contact_email: str = "",
    is_minor: bool = False,
) -> Receipt:
    """Store a comment on one section (``part`` "s<pk>") or paragraph ("p<pk>").

    A person under 18 never has the name shown; the name is kept for the case.
    """
    check_comment(user, instance)
    text = text.strip()
    if not text:
        raise ActionRefused(_("Write your comment."))
    draft = Draft(
        kind=COMMENT_KIND,
        text=text,
        author_name=author_name.strip()[:NAME_MAX],
        show_name=show_name and not is_minor,
        contact_email=contact_email.strip(),
        data={"under_18": True} if is_minor else {},
    )
    with transaction.atomic():
        section, paragraph = _resolve_part(instance, part)
        receipt = do_contribute(user, instance, COMMENT, draft)
        AnchoredComment.objects.create(
            contribution=receipt.contribution, section=section, paragraph=paragraph
        )
    return receipt


# --- submissions ------------------------------------------------------------------------


def submissions_on(instance: MethodInstance) -> bool:
    return bool(instance.settings.get("submissions", True))


def check_submit(user: User | AnonymousUser, instance: MethodInstance) -> None:
    """Raise :class:`ActionRefused` (403) when this person cannot send a submission now.

    After the deadline a submission is still taken (and marked late)."""
    if not submissions_on(instance):
        raise ActionRefused(_("This consultation does not take submissions here."), status=403)
    _can_act(user, instance, SUBMIT)
    span = period.period_for(instance)
    if not span.has_started(period.today()):
        raise ActionRefused(
            _(
                "Submissions can be sent from %(start)s. The deadline is %(end)s. Until then "
                "you can read the documents."
            )
            % {"start": _day(span.starts_on), "end": _day(span.ends_on)},
            status=403,
        )


def will_be_late(instance: MethodInstance) -> bool:
    """Would a submission sent now be marked late?"""
    return period.period_for(instance).is_late(period.today())


@dataclass
class SubmissionDraft:
    text: str
    sender_kind: str = SenderKind.PERSON
    author_name: str = ""
    show_name: bool = False
    organisation_name: str = ""
    organisation_number: str = ""
    is_minor: bool = False
    contact_email: str = ""


def _clean_submission(draft: SubmissionDraft, files: int) -> SubmissionDraft:
    """The draft as it will be stored, or :class:`ActionRefused` saying what to correct."""
    if draft.sender_kind not in SenderKind.values:
        raise ActionRefused(_("Choose whether you send as yourself or for an organisation."))
    name = " ".join(draft.author_name.split())
    if not name:
        raise ActionRefused(_("Write your name."))
    if len(name) > NAME_MAX:
        raise ActionRefused(
            _("The name is too long: at most %(max)d characters.") % {"max": NAME_MAX}
        )
    organisation, number = "", ""
    if draft.sender_kind == SenderKind.ORGANISATION:
        organisation = " ".join(draft.organisation_name.split())
        if not organisation:
            raise ActionRefused(
                _("Write the name of the organisation you send the submission for.")
            )
        if len(organisation) > ORGANISATION_MAX:
            raise ActionRefused(
                _("The organisation's name is too long: at most %(max)d characters.")
                % {"max": ORGANISATION_MAX}
            )
        if draft.organisation_number.strip():
            normalised = orgnr.normalise(draft.organisation_number)
            if normalised is None:
                raise ActionRefused(
                    _("%(number)s is not a valid organisation number.")
                    % {"number": draft.organisation_number.strip()}
                )
            number = normalised
    text = draft.text.strip()
    if not text and not files:
        raise ActionRefused(_("Write your submission, or attach at least one file."))
    return SubmissionDraft(
        text=text,
        sender_kind=draft.sender_kind,
        author_name=name,
        show_name=draft.show_name and not draft.is_minor,
        organisation_name=organisation,
        organisation_number=number,
        is_minor=draft.is_minor,
        contact_email=draft.contact_email.strip(),
    )


def _check_files(files: Sequence[File[Any] | uploads.CheckedUpload]) -> list[uploads.CheckedUpload]:
    """Every file checked by its content before anything is written (all or none)."""
    if len(files) > MAX_FILES:
        raise ActionRefused(
            _("Choose at most %(max)d files (you chose %(n)d). No file was saved.")
            % {"max": MAX_FILES, "n": len(files)}
        )
    checked: list[uploads.CheckedUpload] = []
    refusals: list[str] = []
    for item in files:
        raw = item.file if isinstance(item, uploads.CheckedUpload) else item
        try:
            checked.append(uploads.check_upload(raw, uploads.ATTACHMENT_KINDS))
        except uploads.UploadRefused as refused:
            refusals.append(refused.message)
    if refusals:
        if len(files) > 1:
            refusals.append(_("No file was saved: choose the files again."))
        raise uploads.UploadRefused(" ".join(refusals))
    return checked


def do_submit(
    user: User | AnonymousUser,
    instance: MethodInstance,
    draft: SubmissionDraft,
    files: Sequence[File[Any] | uploads.CheckedUpload] = (),
) -> Receipt:
    """Store a formal submission with its files, all or nothing, and return its receipt.

    - Files are checked by content, size and name before anything is written; a file
      written in a transaction that then fails is deleted again.
    - With files, a moderator looks before it is published (no screening reads a file).
    - A national identity number in the text, the name or the organisation's name is
      masked and the submission held for a moderator.
    - A person under 18 never has the name shown online; the name is kept for the archive.
    - After the deadline it is taken and marked late.
    """
    check_submit(user, instance)
    checked = _check_files(files)
    cleaned = _clean_submission(draft, len(checked))
    organisation, findings = screening.screen(ORGANISATION_FIELD, cleaned.organisation_name)
    late = will_be_late(instance)
    contribution_draft = Draft(
        kind=SUBMISSION_KIND,
        text=cleaned.text,
        author_name=cleaned.author_name,
        show_name=cleaned.show_name,
        contact_email=cleaned.contact_email,
        findings=findings,
        review=bool(checked),
    )
    with uploads.discard_on_failure() as written, transaction.atomic():
        receipt = do_contribute(user, instance, SUBMIT, contribution_draft)
        contribution = receipt.contribution
        Submission.objects.create(
            contribution=contribution,
            sender_kind=cleaned.sender_kind,
            organisation_name=organisation,
            organisation_number=cleaned.organisation_number,
            is_minor=cleaned.is_minor,
            is_late=late,
        )
        for item in checked:
            stored = uploads.store(item, STORAGE_PREFIX)
            written.append(stored)
            Attachment.objects.create(
                contribution=contribution,
                file=stored,
                name=item.name,
                content_type=item.content_type,
                size=item.size,
            )
        if checked:
            # Kinds and sizes, never the names: a file's name may name the person, and
            # the audit log outlives erasure.
            audit.record(
                "contribution.attachments_added",
                actor=user if user.is_authenticated else None,
                obj=contribution,
                municipality_id=instance.process.municipality_id,
                data={
                    "count": len(checked),
                    "kinds": [f.kind.value for f in checked],
                    "bytes": sum(f.size for f in checked),
                },
            )
    return receipt


def record_staff_download(staff: User, instance: MethodInstance, attachment: Attachment) -> None:
    """Staff opened a submission's file the public cannot get (unpublished, withheld, or
    the register is off): who, which file, when — never the file's name."""
    audit.record(
        "export.downloaded",
        actor=staff,
        obj=attachment.contribution,
        municipality_id=instance.process.municipality_id,
        data={
            "export": "hearing-attachment",
            "attachment": attachment.pk,
            "process": instance.process_id,
            "method": instance.method_key,
        },
    )
