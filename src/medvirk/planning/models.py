"""A process's participation plan (medverknadsplan) and the activities accepted from it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Plan(models.Model):
    """Hvorfor + hvem + når = hvordan for one process.

    ``answers`` holds the five wizard steps as JSON, validated by ``rules.parse_answers``
    on every write (``actions.do_save_step``). ``version`` grows with every change.
    """

    process = models.OneToOneField(
        "processes.Process", on_delete=models.CASCADE, related_name="plan"
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    catalogue_version = models.CharField(_("catalogue version"), max_length=20, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("participation plan")
        verbose_name_plural = _("participation plans")

    def __str__(self) -> str:
        return f"{self.process} (v{self.version})"

    @property
    def is_published(self) -> bool:
        return self.status == PlanStatus.PUBLISHED


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")


class PlannedActivity(models.Model):
    """A recommendation the staff accepted.

    For a method Medvirk runs, ``method_instance`` points at the instance created in the
    phase; for the others (a physical plansmie, Barnetråkk …) it is a planned activity
    whose guide comes from the catalogue entry ``catalogue_key``.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    catalogue_key = models.CharField(_("method"), max_length=50)
    phase_kind = models.CharField(_("phase"), max_length=20)
    phase = models.ForeignKey(
        "processes.Phase", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method_instance = models.ForeignKey(
        "processes.MethodInstance",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "catalogue_key", "phase_kind"], name="planning_activity_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.catalogue_key} ({self.phase_kind})"
