"""Process (sak) → Phase → MethodInstance: where every participation method lives."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from medvirk import vocabulary


class ProcessStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed for input")
    DECIDED = "decided", _("Decided")


class Process(models.Model):
    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.PROTECT, related_name="processes"
    )
    slug = models.SlugField(_("address name"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary in plain language"), max_length=1000)
    body = models.TextField(_("facts and background"), blank=True, max_length=20000)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    area = models.CharField(_("area"), max_length=200, blank=True)
    open_to_influence = models.TextField(_("what you can influence"), max_length=4000)
    already_decided = models.TextField(_("what is already decided"), blank=True, max_length=4000)
    decided_by = models.CharField(_("who decides"), max_length=200)
    decision_expected = models.DateField(_("decision expected"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProcessStatus.choices, default=ProcessStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="process_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "public:detail",
            kwargs={"municipality": self.municipality.slug, "slug": self.slug},
        )

    @property
    def is_public(self) -> bool:
        return self.status != ProcessStatus.DRAFT


class PhaseKind(models.TextChoices):
    """``vocabulary.PhaseKind`` with labels (tests/contract checks they agree)."""

    INVESTIGATION = vocabulary.PhaseKind.INVESTIGATION.value, _("Investigation (utgreiing)")
    ALTERNATIVES = vocabulary.PhaseKind.ALTERNATIVES.value, _("Alternatives")
    DECISION = vocabulary.PhaseKind.DECISION.value, _("Decision")
    FOLLOW_UP = vocabulary.PhaseKind.FOLLOW_UP.value, _("Follow-up")


class Phase(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=PhaseKind.choices)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["start"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="phase_start_before_end"),
        ]

    def __str__(self) -> str:
        return self.name


class MethodInstance(models.Model):
    """One participation method running in one phase (a survey, a høring, a meeting …)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="methods")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="methods")
    method_key = models.CharField(_("method"), max_length=50)
    slug = models.SlugField(_("address name"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    # Phase id -> the method's per-phase settings, for methods whose plug-in has them.
    phase_settings = models.JSONField(_("settings per phase"), default=dict, blank=True)
    # Action key -> minimum AssuranceLevel; missing keys fall back to the manifest default.
    identity_levels = models.JSONField(_("identity required per action"), default=dict, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    # "" follows the municipality's choice; else a ModerationMode value for this instance.
    moderation = models.CharField(_("moderation"), max_length=10, blank=True, default="")
    # Set when the case is decided (or staff close the method): no more input, whatever the
    # phase's dates say.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["phase__start", "pk"]
        verbose_name = _("method instance")
        verbose_name_plural = _("method instances")
        constraints = [
            models.UniqueConstraint(fields=["process", "slug"], name="method_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "public:method",
            kwargs={
                "municipality": self.process.municipality.slug,
                "slug": self.process.slug,
                "method": self.slug,
            },
        )

    def settings_for_phase(self, phase: Phase) -> dict[str, Any]:
        """The per-phase settings stored for one phase ({} when none were saved)."""
        value = self.phase_settings.get(str(phase.pk), {})
        return dict(value) if isinstance(value, dict) else {}


class DocumentKind(models.TextChoices):
    REPORT = "report", _("Report (utgreiing)")
    CONDITION = "condition", _("Condition report (tilstandsrapport)")
    DRAWING = "drawing", _("Drawing or map")
    OTHER = "other", _("Other document")


class CaseDocument(models.Model):
    """A document the case carries (PDF or image), uploaded by staff and served as a download."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=12, choices=DocumentKind.choices, default=DocumentKind.REPORT
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    file = models.FileField(upload_to="saker/%Y/%m/", max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    is_published = models.BooleanField(_("shown publicly"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "title", "pk"]
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")

    def __str__(self) -> str:
        return self.title
