"""Staff reads for the høyring: the editor's text, the submissions with everything about
them, the comments, and the archive's history. Each list is a fixed number of queries,
whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from medvirk.accountability.models import FINAL_STATUSES, Response
from medvirk.contributions.models import Attachment, Contribution
from medvirk.core.models import AuditEntry
from medvirk.processes.models import MethodInstance

from .models import (
    Hearing,
    HearingDocument,
    Paragraph,
    Redaction,
    Section,
    Submission,
)

SUBMISSION_KIND = "hearing_submission"
COMMENT_KIND = "hearing_comment"
ARCHIVE_CODES = (
    "hearing.archive_queued",
    "hearing.archive_sent",
    "hearing.archive_failed",
    "hearing.archive_exported",
)
HISTORY_LENGTH = 10


def hearing(instance: MethodInstance) -> Hearing | None:
    return Hearing.objects.filter(method_instance=instance).first()


# -- the editor ------------------------------------------------------------------------------


def documents(instance: MethodInstance) -> list[HearingDocument]:
    """The documents in order, each with its sections and paragraphs and how many comments
    point at each (``comment_count``), in four queries."""
    paragraphs = Paragraph.objects.annotate(comment_count=Count("comments")).order_by("order", "pk")
    sections = Section.objects.annotate(comment_count=Count("comments")).prefetch_related(
        Prefetch("paragraphs", queryset=paragraphs)
    )
    return list(
        HearingDocument.objects.filter(hearing__method_instance=instance)
        .annotate(comment_count=Count("sections__comments"))
        .prefetch_related(Prefetch("sections", queryset=sections.order_by("order", "pk")))
        .order_by("order", "pk")
    )


def document_of(instance: MethodInstance, pk: int) -> HearingDocument | None:
    return (
        HearingDocument.objects.select_related("hearing__method_instance__process")
        .annotate(comment_count=Count("sections__comments"))
        .filter(hearing__method_instance=instance, pk=pk)
        .first()
    )


def section_of(instance: MethodInstance, pk: int) -> Section | None:
    return (
        Section.objects.select_related("document__hearing__method_instance__process")
        .annotate(comment_count=Count("comments"))
        .filter(document__hearing__method_instance=instance, pk=pk)
        .first()
    )


def paragraph_of(instance: MethodInstance, pk: int) -> Paragraph | None:
    return (
        Paragraph.objects.select_related("section__document__hearing__method_instance__process")
        .annotate(comment_count=Count("comments"))
        .filter(section__document__hearing__method_instance=instance, pk=pk)
        .first()
    )


@dataclass(frozen=True)
class Numbers:
    """Where each part of the text stands: document 1 …, section "1", paragraph "1.2"."""

    documents: dict[int, int] = field(default_factory=dict)
    sections: dict[int, str] = field(default_factory=dict)
    paragraphs: dict[int, str] = field(default_factory=dict)
    document_of_section: dict[int, int] = field(default_factory=dict)

    def anchor(self, section_id: int | None, paragraph_id: int | None) -> str:
        if paragraph_id is not None and paragraph_id in self.paragraphs:
            return self.paragraphs[paragraph_id]
        if section_id is not None:
            return self.sections.get(section_id, "")
        return ""


def numbers(instance: MethodInstance) -> Numbers:
    """The numbers residents see ("1", "1.2"), counted from the stored order (2 queries)."""
    out = Numbers()
    doc_ids = list(
        HearingDocument.objects.filter(hearing__method_instance=instance)
        .order_by("order", "pk")
        .values_list("pk", flat=True)
    )
    for n, pk in enumerate(doc_ids, start=1):
        out.documents[pk] = n
    rows = (
        Section.objects.filter(document_id__in=doc_ids)
        .order_by("document_id", "order", "pk")
        .values_list("pk", "document_id")
    )
    position: dict[int, int] = {}
    for pk, document_id in rows:
        position[document_id] = position.get(document_id, 0) + 1
        out.sections[pk] = str(position[document_id])
        out.document_of_section[pk] = document_id
    paragraphs = (
        Paragraph.objects.filter(section_id__in=list(out.sections))
        .order_by("section_id", "order", "pk")
        .values_list("pk", "section_id")
    )
    within: dict[int, int] = {}
    for pk, section_id in paragraphs:
        within[section_id] = within.get(section_id, 0) + 1
        out.paragraphs[pk] = f"{out.sections[section_id]}.{within[section_id]}"
    return out


# -- submissions -----------------------------------------------------------------------------


def _submissions(instance: MethodInstance) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(contribution__method_instance=instance)
        .select_related("contribution__response", "contribution__author")
        .prefetch_related(
            Prefetch("contribution__attachments", queryset=Attachment.objects.order_by("pk")),
            Prefetch(
                "contribution__hearing_redactions",
                queryset=Redaction.objects.select_related("attachment").order_by("pk"),
            ),
        )
        .order_by("contribution__created_at", "contribution__pk")
    )


@dataclass
class SubmissionRow:
    """A submission as staff see it, with its running number (1 = the first received)."""

    number: int
    submission: Submission

    @property
    def contribution(self) -> Contribution:
        return self.submission.contribution

    @property
    def response(self) -> Response | None:
        try:
            return self.contribution.response
        except Response.DoesNotExist:
            return None

    @property
    def answered(self) -> bool:
        response = self.response
        return response is not None and response.status in FINAL_STATUSES

    @property
    def attachments(self) -> list[Attachment]:
        return list(self.contribution.attachments.all())

    @property
    def redactions(self) -> list[Redaction]:
        return list(self.contribution.hearing_redactions.all())

    @property
    def withheld_files(self) -> set[int]:
        return {r.attachment_id for r in self.redactions if r.attachment_id is not None}

    @property
    def sender(self) -> str:
        """The sender in full, for staff and the case file."""
        contribution = self.contribution
        name = contribution.author_name or (
            str(contribution.author.public_name()) if contribution.author else ""
        )
        if self.submission.organisation_name:
            return (
                f"{self.submission.organisation_name} ({name})"
                if name
                else (self.submission.organisation_name)
            )
        return name


def submissions(instance: MethodInstance) -> list[SubmissionRow]:
    """Every submission in the order received, numbered, with its answer, files and
    redactions (four queries)."""
    return [SubmissionRow(n, s) for n, s in enumerate(_submissions(instance), start=1)]


def submission_row(instance: MethodInstance, contribution_id: int) -> SubmissionRow | None:
    """One submission, with its running number among the instance's submissions."""
    found = _submissions(instance).filter(contribution_id=contribution_id).first()
    if found is None:
        return None
    created = found.contribution.created_at
    before = Submission.objects.filter(contribution__method_instance=instance).filter(
        Q(contribution__created_at__lt=created)
        | Q(contribution__created_at=created, contribution__pk__lt=contribution_id)
    )
    return SubmissionRow(before.count() + 1, found)


def redaction_of(instance: MethodInstance, contribution_id: int, pk: int) -> Redaction | None:
    return (
        Redaction.objects.select_related("contribution__method_instance__process")
        .filter(pk=pk, contribution_id=contribution_id, contribution__method_instance=instance)
        .first()
    )


def attachment_of(instance: MethodInstance, contribution_id: int, pk: int) -> Attachment | None:
    return Attachment.objects.filter(
        pk=pk, contribution_id=contribution_id, contribution__method_instance=instance
    ).first()


def counts(instance: MethodInstance) -> dict[str, int]:
    """How many submissions and comments, late, answered, and not yet archived (1 query)."""
    base = Contribution.objects.filter(method_instance=instance)
    values = base.aggregate(
        submissions=Count("pk", filter=Q(kind=SUBMISSION_KIND)),
        comments=Count("pk", filter=Q(kind=COMMENT_KIND)),
        late=Count("pk", filter=Q(kind=SUBMISSION_KIND, hearing_submission__is_late=True)),
        answered=Count("pk", filter=Q(kind=SUBMISSION_KIND, response__status__in=FINAL_STATUSES)),
        not_archived=Count(
            "pk",
            filter=Q(kind=SUBMISSION_KIND, hearing_submission__archived_at__isnull=True),
        ),
    )
    return {k: int(v or 0) for k, v in values.items()}


# -- comments --------------------------------------------------------------------------------


def comments(instance: MethodInstance) -> list[Contribution]:
    """Every comment in the order received, with its anchor, answer and author (2 queries)."""
    return list(
        Contribution.objects.filter(method_instance=instance, kind=COMMENT_KIND)
        .select_related("hearing_anchor", "response", "author")
        .order_by("created_at", "pk")
    )


# -- the archive's history -------------------------------------------------------------------


@dataclass(frozen=True)
class ArchiveEvent:
    code: str
    at: dt.datetime
    who: str
    data: dict[str, object]


def archive_history(instance: MethodInstance) -> list[ArchiveEvent]:
    """The latest archive exports and sendings of this instance, newest first, from the
    audit log (where a failure is kept too)."""
    rows = AuditEntry.objects.filter(
        action__in=ARCHIVE_CODES,
        object_type="processes.methodinstance",
        object_id=str(instance.pk),
    ).order_by("-seq")[:HISTORY_LENGTH]
    out = []
    for row in rows:
        kind, _sep, rest = row.actor_label.partition(":")
        who = rest.partition(":")[2] if kind == "user" else ""
        out.append(ArchiveEvent(row.action, row.created_at, who, dict(row.data or {})))
    return out
