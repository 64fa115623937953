"""Høyring / offentleg ettersyn: the documents on consultation, their sections and
paragraphs, the comments anchored to them, the formal submissions, and staff redactions.

Every comment and submission is a :class:`~medvirk.contributions.models.Contribution`
(kinds ``hearing_comment`` and ``hearing_submission``); the rows here add what the spine
does not hold: where a comment is anchored, who a submission is from, whether it came late,
and what staff withheld from the public register and why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class PlanStage(models.TextChoices):
    """What is on consultation. Plan cases need six weeks, except a notice of start."""

    NOT_PLAN = "none", _("Not a plan case")
    NOTICE_OF_START = (
        "notice",
        _("Notice of start (varsel om oppstart), without a planning programme"),
    )
    PLANNING_PROGRAMME = "programme", _("Planning programme (planprogram)")
    MUNICIPAL_PLAN = "kommuneplan", _("Municipal master plan (kommuneplan)")
    ZONING_PLAN = "regulering", _("Zoning plan (reguleringsplan)")


class Hearing(models.Model):
    """The consultation run by one method instance: what it is and its period."""

    method_instance = models.OneToOneField(
        "processes.MethodInstance", on_delete=models.CASCADE, related_name="hearing"
    )
    plan_stage = models.CharField(
        _("what is on consultation"),
        max_length=12,
        choices=PlanStage.choices,
        default=PlanStage.NOT_PLAN,
    )
    # Calendar days in Norway (Europe/Oslo): input given on ends_on is on time.
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("deadline (last day)"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")), name="hearing_start_before_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method_instance_id}: {self.starts_on} – {self.ends_on}"


class HearingDocument(models.Model):
    """One document on consultation: text written in the editor and/or a PDF."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, max_length=2000)
    # The PDF, stored through medvirk.core.uploads (never served inline).
    file = models.FileField(upload_to="hoyring/%Y/%m/", max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("consultation document")
        verbose_name_plural = _("consultation documents")

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    """A numbered section of a document (1, 2, 3 …) with its heading."""

    document = models.ForeignKey(HearingDocument, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=300)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.heading


class Paragraph(models.Model):
    """A numbered paragraph of a section (1.1, 1.2 …): what a comment is anchored to."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="paragraphs")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("text"), max_length=8000)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")

    def __str__(self) -> str:
        return self.text[:60]


class AnchoredComment(models.Model):
    """Where a comment points: a section, or one paragraph of it. PROTECT: the editor keeps
    text that has comments (it can be reworded, not deleted)."""

    contribution = models.OneToOneField(
        "contributions.Contribution", on_delete=models.CASCADE, related_name="hearing_anchor"
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="comments")
    paragraph = models.ForeignKey(
        Paragraph, null=True, blank=True, on_delete=models.PROTECT, related_name="comments"
    )

    class Meta:
        verbose_name = _("anchored comment")
        verbose_name_plural = _("anchored comments")

    def __str__(self) -> str:
        return f"{self.contribution_id} → {self.section_id}/{self.paragraph_id}"


class SenderKind(models.TextChoices):
    PERSON = "person", _("Myself, as a private person")
    ORGANISATION = "organisation", _("An organisation, business or association")


class Submission(models.Model):
    """A formal submission (høyringsinnspel): a case document under offentleglova.

    The contribution holds the text (fødselsnummer masked and held by the spine), the
    sender's name and whether it is shown; this row holds what the archive and the public
    register need besides.
    """

    contribution = models.OneToOneField(
        "contributions.Contribution", on_delete=models.CASCADE, related_name="hearing_submission"
    )
    sender_kind = models.CharField(
        _("sent by"), max_length=12, choices=SenderKind.choices, default=SenderKind.PERSON
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    organisation_number = models.CharField(_("organisation number"), max_length=9, blank=True)
    # The sender said they are under 18 (or staff marked it): the name is never shown
    # online, but kept for the archive (NORWAY.md: publish without the name, archive in full).
    is_minor = models.BooleanField(_("sender is under 18"), default=False)
    # Received after the deadline (Norwegian date): kept and answered, marked late.
    is_late = models.BooleanField(_("received after the deadline"), default=False)
    # Journal: when it was exported to the archive (arkivmelding), if it was.
    archived_at = models.DateTimeField(null=True, blank=True)
    # The full text, kept here the first time staff withhold a passage: from then on the
    # contribution's text is the public one (every public page and export shows it), and
    # staff pages and the archive read this. Empty: never redacted, the texts are the same.
    full_text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"#{self.contribution_id}"

    @property
    def text(self) -> str:
        """The full text, for staff and the archive."""
        return self.full_text or self.contribution.text


class Redaction(models.Model):
    """A passage staff withheld from the public register, with the legal reason (audited).

    The archive keeps the full text; the register shows the text with each passage replaced.
    ``attachment`` set: that whole file is withheld from the register instead.
    """

    class Basis(models.TextChoices):
        CONFIDENTIAL = (
            "taushetsplikt",
            _(
                "Duty of confidentiality (offentleglova § 13, forvaltningsloven § 13): health, "
                "personal finances or other personal matters"
            ),
        )
        PERSONAL_DATA = (
            "personvern",
            _("Personal data not fit for publishing online (names or details of others)"),
        )
        OTHER = "annet", _("Other reason (explained below)")

    contribution = models.ForeignKey(
        "contributions.Contribution", on_delete=models.CASCADE, related_name="hearing_redactions"
    )
    passage = models.TextField(_("passage withheld"), blank=True, max_length=4000)
    attachment = models.ForeignKey(
        "contributions.Attachment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hearing_redactions",
    )
    basis = models.CharField(_("legal reason"), max_length=16, choices=Basis.choices)
    note = models.CharField(_("explanation"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("redaction")
        verbose_name_plural = _("redactions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(passage="") | Q(attachment__isnull=False),
                name="hearing_redaction_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contribution_id}: {self.basis}"
