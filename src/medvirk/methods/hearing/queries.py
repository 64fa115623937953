"""Reads of the høyring for its pages and exports, each a fixed number of queries.

- the hearing, its period and its documents, numbered as residents see them ("1", "1.2");
- the comments anchored to the text (published, and hidden ones as the reason in place);
- the public register of submissions: numbered in the order received, the sender as shown,
  the text with staff's withheld passages replaced, the files that may be published, and
  the municipality's answer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.contributions.models import Attachment, Contribution, ModerationState
from medvirk.processes.models import MethodInstance

from . import period as periods
from .actions import COMMENT_KIND, SUBMISSION_KIND
from .models import (
    AnchoredComment,
    Hearing,
    HearingDocument,
    Paragraph,
    PlanStage,
    Redaction,
    Section,
    SenderKind,
    Submission,
)

# Shown publicly: published input, and hidden input as the moderator's reason in its place.
PUBLIC_STATES = (ModerationState.PUBLISHED, ModerationState.HIDDEN)
# Received but not yet public: a moderator looks first.
WAITING_STATES = (ModerationState.PENDING, ModerationState.HELD)
# Submissions per page of the register.
PER_PAGE = 50
# How many words of a paragraph name it in the comment form.
LABEL_WORDS = 8


# --- the hearing and its text -----------------------------------------------------------


def hearing(instance: MethodInstance) -> Hearing | None:
    return Hearing.objects.filter(method_instance=instance).first()


def period_of(instance: MethodInstance, row: Hearing | None) -> periods.Period:
    return periods.period_of(instance, row)


def documents(instance: MethodInstance) -> list[HearingDocument]:
    """The instance's documents in order, with their sections and paragraphs (3 queries)."""
    return list(
        HearingDocument.objects.filter(hearing__method_instance=instance).prefetch_related(
            Prefetch("sections", queryset=Section.objects.order_by("order", "pk")),
            Prefetch("sections__paragraphs", queryset=Paragraph.objects.order_by("order", "pk")),
        )
    )


def document(instance: MethodInstance, pk: int) -> HearingDocument | None:
    """One of the instance's own documents; another instance's is not found."""
    return HearingDocument.objects.filter(pk=pk, hearing__method_instance=instance).first()


def _first_words(text: str, words: int = LABEL_WORDS) -> str:
    parts = text.split()
    shown = " ".join(parts[:words])
    return shown + (" …" if len(parts) > words else "")


@dataclass
class Part:
    """A section or a paragraph, with its number as residents see it."""

    key: str  # "s<section pk>" or "p<paragraph pk>": what a comment is anchored to
    number: str  # "1" or "1.2"
    document: HearingDocument
    section: Section
    paragraph: Paragraph | None = None
    group: str = ""  # the document's title, when there are several

    @property
    def text(self) -> str:
        """The section's heading or the paragraph's text (quoted on the comment page)."""
        return self.paragraph.text if self.paragraph is not None else self.section.heading

    @property
    def label(self) -> str:
        return f"{self.number} {_first_words(self.text)}"


@dataclass
class ParagraphView:
    part: Part
    comments: list[Contribution] = field(default_factory=list)


@dataclass
class SectionView:
    part: Part
    paragraphs: list[ParagraphView] = field(default_factory=list)
    comments: list[Contribution] = field(default_factory=list)


@dataclass
class DocumentView:
    document: HearingDocument
    sections: list[SectionView] = field(default_factory=list)
    url: str = ""  # where its PDF is downloaded (set by the view)


def outline(docs: Sequence[HearingDocument]) -> list[DocumentView]:
    """The documents numbered: sections "1", "2" …, paragraphs "1.1", "1.2" … per document
    (by position, so gaps in the stored order never show)."""
    several = len(docs) > 1
    out = []
    for doc in docs:
        view = DocumentView(doc)
        group = doc.title if several else ""
        for s, section in enumerate(doc.sections.all(), start=1):
            sview = SectionView(Part(f"s{section.pk}", str(s), doc, section, None, group))
            for p, paragraph in enumerate(section.paragraphs.all(), start=1):
                part = Part(f"p{paragraph.pk}", f"{s}.{p}", doc, section, paragraph, group)
                sview.paragraphs.append(ParagraphView(part))
            view.sections.append(sview)
        out.append(view)
    return out


def parts(docs: Sequence[HearingDocument]) -> list[Part]:
    """Every section and paragraph in reading order: the comment form's choices."""
    found: list[Part] = []
    for view in outline(docs):
        for sview in view.sections:
            found.append(sview.part)
            found.extend(pview.part for pview in sview.paragraphs)
    return found


def find_part(options: Iterable[Part], key: str) -> Part | None:
    """The part named ``key`` ("s12", "p34") among ``options``; None for anything else."""
    return next((p for p in options if p.key == key), None)


def public_comments(instance: MethodInstance) -> list[Contribution]:
    """Comments shown on the page, oldest first, with where they point and their answer."""
    return list(
        Contribution.objects.filter(
            method_instance=instance, kind=COMMENT_KIND, moderation__in=PUBLIC_STATES
        )
        .select_related("hearing_anchor", "response", "author")
        .order_by("created_at", "pk")
    )


def attach_comments(views: list[DocumentView], comments: Iterable[Contribution]) -> int:
    """Put each comment beside its paragraph (or section); returns how many found a place."""
    by_anchor: dict[tuple[int, int | None], list[Contribution]] = defaultdict(list)
    for comment in comments:
        anchor = _anchor(comment)
        if anchor is not None:
            by_anchor[(anchor.section_id, anchor.paragraph_id)].append(comment)
    placed = 0
    for view in views:
        for sview in view.sections:
            sview.comments = by_anchor.get((sview.part.section.pk, None), [])
            placed += len(sview.comments)
            for pview in sview.paragraphs:
                assert pview.part.paragraph is not None
                pview.comments = by_anchor.get((sview.part.section.pk, pview.part.paragraph.pk), [])
                placed += len(pview.comments)
    return placed


def _anchor(comment: Contribution) -> AnchoredComment | None:
    try:
        return comment.hearing_anchor
    except AnchoredComment.DoesNotExist:
        return None


def waiting_count(instance: MethodInstance, kind: str) -> int:
    """Input of this kind received but not yet public (a moderator looks first)."""
    return Contribution.objects.filter(
        method_instance=instance, kind=kind, moderation__in=WAITING_STATES
    ).count()


# --- the public text of a submission ----------------------------------------------------


def basis_short(basis: str) -> str:
    """The legal reason in a few words, for the register: "duty of confidentiality"."""
    if basis == Redaction.Basis.CONFIDENTIAL:
        return _("duty of confidentiality")
    if basis == Redaction.Basis.PERSONAL_DATA:
        return _("personal data")
    return _("other reason")


def withheld_marker(basis: str) -> str:
    return _("[withheld: %(basis)s]") % {"basis": basis_short(basis)}


def _passage_pattern(passage: str) -> re.Pattern[str] | None:
    # Any run of spaces or line breaks matches any other: a passage copied from the page
    # (where line breaks show as spaces) still finds the stored text.
    words = passage.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def apply_redactions(text: str, redactions: Iterable[Redaction]) -> str:
    """``text`` with each withheld passage replaced with "[withheld: <short reason>]"
    (longest first, so a passage inside another goes too)."""
    passages = sorted(
        (r for r in redactions if r.passage.strip()), key=lambda r: len(r.passage), reverse=True
    )
    for redaction in passages:
        pattern = _passage_pattern(redaction.passage)
        if pattern is not None:
            # A function, so a backslash in the marker is never read as a group reference.
            marker = withheld_marker(redaction.basis)
            text = pattern.sub(lambda _match: marker, text)  # noqa: B023 (used at once)
    return text


def public_text(contribution: Contribution, redactions: Iterable[Redaction]) -> str:
    """The text as the register shows it. Staff redaction already stores the public text
    in the contribution (so every public page shows it); applying the passages again is a
    safeguard and changes nothing then.

    The text itself already has any national identity number masked (do_contribute).
    """
    return apply_redactions(contribution.text, redactions)


def public_sender(contribution: Contribution, submission: Submission | None) -> str:
    """Who the register says sent it: the organisation; a person's name only when they
    chose to show it and are not under 18; "" otherwise ("Name not shown")."""
    if (
        submission is not None
        and submission.sender_kind == SenderKind.ORGANISATION
        and submission.organisation_name
    ):
        return submission.organisation_name
    if submission is not None and submission.is_minor:
        return ""
    return contribution.public_author


# --- the register -----------------------------------------------------------------------


@dataclass
class Entry:
    """One submission in the public register."""

    number: int
    contribution: Contribution
    submission: Submission | None
    text: str
    sender: str
    files: list[Attachment]
    withheld_files: int

    @property
    def pk(self) -> int:
        return self.contribution.pk

    @property
    def hidden(self) -> bool:
        return self.contribution.moderation == ModerationState.HIDDEN

    @property
    def hidden_reason(self) -> str:
        return self.contribution.hidden_reason

    @property
    def received_on(self) -> dt.date:
        return timezone.localdate(self.contribution.created_at)

    @property
    def is_late(self) -> bool:
        return bool(self.submission and self.submission.is_late)

    @property
    def response(self) -> object | None:
        return getattr(self.contribution, "response", None)


@dataclass
class Register:
    entries: list[Entry]
    published: int  # shown in the register (published or hidden with the reason)
    waiting: int  # received, not yet published: a moderator looks first
    page: int = 1
    pages: int = 1

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _numbers(instance: MethodInstance) -> tuple[dict[int, int], list[int], int]:
    """Every submission numbered in the order received (one query): a number never
    changes when an earlier one is published later. Returns the numbers, the public ids
    in order, and how many wait for a moderator."""
    numbers: dict[int, int] = {}
    shown: list[int] = []
    waiting = 0
    rows = (
        Contribution.objects.filter(method_instance=instance, kind=SUBMISSION_KIND)
        .order_by("created_at", "pk")
        .values_list("pk", "moderation")
    )
    for n, (pk, state) in enumerate(rows, start=1):
        numbers[pk] = n
        if state in PUBLIC_STATES:
            shown.append(pk)
        elif state in WAITING_STATES:
            waiting += 1
    return numbers, shown, waiting


def _entries(ids: Sequence[int], numbers: dict[int, int]) -> list[Entry]:
    """The rows for ``ids`` with everything the register shows (three queries)."""
    if not ids:
        return []
    withheld = Redaction.objects.filter(attachment=OuterRef("pk"))
    found = {
        c.pk: c
        for c in Contribution.objects.filter(pk__in=ids)
        .select_related("hearing_submission", "response", "author")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=Attachment.objects.annotate(withheld=Exists(withheld)).order_by("pk"),
            ),
            Prefetch("hearing_redactions", queryset=Redaction.objects.order_by("pk")),
        )
    }
    entries = []
    for pk in ids:
        c = found.get(pk)
        if c is None:
            continue
        submission = _submission(c)
        redactions = list(c.hearing_redactions.all())
        files = list(c.attachments.all())
        public_files = [a for a in files if not getattr(a, "withheld", False)]
        entries.append(
            Entry(
                number=numbers[pk],
                contribution=c,
                submission=submission,
                text=public_text(c, redactions),
                sender=public_sender(c, submission),
                files=public_files,
                withheld_files=len(files) - len(public_files),
            )
        )
    return entries


def _submission(contribution: Contribution) -> Submission | None:
    try:
        return contribution.hearing_submission
    except Submission.DoesNotExist:
        return None


def register(instance: MethodInstance, page: int = 1) -> Register:
    """One page of the public register, newest last (four queries whatever its size)."""
    numbers, shown, waiting = _numbers(instance)
    pages = max(1, -(-len(shown) // PER_PAGE))
    page = min(max(1, page), pages)
    ids = shown[(page - 1) * PER_PAGE : page * PER_PAGE]
    return Register(_entries(ids, numbers), len(shown), waiting, page, pages)


def register_entry(instance: MethodInstance, pk: int) -> Entry | None:
    """One submission of the register; None when it is not public (or not this one's)."""
    numbers, shown, _waiting = _numbers(instance)
    if pk not in shown:
        return None
    found = _entries([pk], numbers)
    return found[0] if found else None


def published_entries(instance: MethodInstance) -> list[Entry]:
    """Every published submission (not the hidden ones), for the open-data file."""
    numbers, _shown, _waiting = _numbers(instance)
    ids = list(
        Contribution.objects.filter(
            method_instance=instance, kind=SUBMISSION_KIND, moderation=ModerationState.PUBLISHED
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    return _entries(ids, numbers)


def has_published_submission(instance: MethodInstance) -> bool:
    return Contribution.objects.filter(
        method_instance=instance, kind=SUBMISSION_KIND, moderation=ModerationState.PUBLISHED
    ).exists()


@dataclass
class FileForDownload:
    attachment: Attachment
    published: bool  # the submission is published in the register
    withheld: bool  # staff withheld this file from the register


def submission_file(instance: MethodInstance, pk: int) -> FileForDownload | None:
    """A file given with one of this instance's submissions; None for anything else."""
    found = (
        Attachment.objects.filter(
            pk=pk, contribution__method_instance=instance, contribution__kind=SUBMISSION_KIND
        )
        .select_related("contribution")
        .annotate(withheld=Exists(Redaction.objects.filter(attachment=OuterRef("pk"))))
        .first()
    )
    if found is None:
        return None
    return FileForDownload(
        attachment=found,
        published=found.contribution.moderation == ModerationState.PUBLISHED,
        withheld=bool(getattr(found, "withheld", False)),
    )


# --- the council report -----------------------------------------------------------------


@dataclass(frozen=True)
class ReportSummary:
    """The hearing in the council report: its period, and the published submissions
    counted by who sent them (as the register shows them, never those held, waiting,
    hidden or rejected)."""

    period: periods.Period
    stage: str  # what was on consultation, "" when not a plan case
    register_public: bool
    persons: int
    organisations: int
    late: int
    archived: int
    waiting: int  # received, a moderator looks first (the register says how many)
    comments: int  # published comments on the text
    organisation_names: list[str]  # as the register prints them, in the order received

    @property
    def published(self) -> int:
        return self.persons + self.organisations


def report_summary(instance: MethodInstance) -> ReportSummary:
    """Counts for the council report, by the database (five queries whatever the size)."""
    row = hearing(instance)
    register_public = bool(instance.settings.get("register_public", True))
    published = Contribution.objects.filter(
        method_instance=instance, kind=SUBMISSION_KIND, moderation=ModerationState.PUBLISHED
    )
    organisation = Q(hearing_submission__sender_kind=SenderKind.ORGANISATION)
    counts = published.aggregate(
        total=Count("pk"),
        organisations=Count("pk", filter=organisation),
        late=Count("pk", filter=Q(hearing_submission__is_late=True)),
        archived=Count("pk", filter=Q(hearing_submission__archived_at__isnull=False)),
    )
    names: list[str] = []
    if register_public:
        for name in (
            published.filter(organisation)
            .exclude(hearing_submission__organisation_name="")
            .order_by("created_at", "pk")
            .values_list("hearing_submission__organisation_name", flat=True)
        ):
            if name not in names:
                names.append(name)
    return ReportSummary(
        period=period_of(instance, row),
        stage=row.get_plan_stage_display()
        if row is not None and row.plan_stage != PlanStage.NOT_PLAN
        else "",
        register_public=register_public,
        # do_submit makes each submission's row; one without would count as a person's.
        persons=counts["total"] - counts["organisations"],
        organisations=counts["organisations"],
        late=counts["late"],
        archived=counts["archived"],
        waiting=waiting_count(instance, SUBMISSION_KIND),
        comments=Contribution.objects.filter(
            method_instance=instance, kind=COMMENT_KIND, moderation=ModerationState.PUBLISHED
        ).count(),
        organisation_names=names,
    )
