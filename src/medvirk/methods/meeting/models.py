"""Møte: meetings in every format (folkemøte, plansmie, fremtidsverksted, gjestebud,
ordførarbenk, demokratikafé, klasse- eller elevrådsøkt), registration with needs and a
wait list, and the results registered as contributions with channel "meeting".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Format(models.TextChoices):
    TOWN_MEETING = "folkemote", _("Public meeting (folkemøte)")
    PLAN_WORKSHOP = "plansmie", _("Design charrette (plansmie)")
    FUTURE_WORKSHOP = "fremtidsverksted", _("Future workshop (framtidsverkstad)")
    HOSTED = "gjestebud", _("Hosted conversation (gjestebod)")
    MAYORS_BENCH = "ordforarbenk", _("Mayor's bench (ordførarbenk)")
    DEMOCRACY_CAFE = "demokratikafe", _("Democracy café (demokratikafé)")
    CLASSROOM = "klasse", _("Class or pupils' council session (klasse / elevråd)")


class AgeBand(models.TextChoices):
    """The age groups a registration may give: the "who took part" page's reporting bands
    (``algorithms.representation.AGE_BANDS``), so each reads as exactly one band."""

    CHILD = "0-12", _("Under 13")
    YOUTH = "13-17", _("13–17")
    YOUNG_ADULT = "18-34", _("18–34")
    ADULT = "35-66", _("35–66")
    ELDERLY = "67+", _("67 or older")


class Sex(models.TextChoices):
    FEMALE = "female", _("Woman")
    MALE = "male", _("Man")
    OTHER = "other", _("Other")


class Meeting(models.Model):
    """One meeting of a method instance (an instance may hold several: a series of cafés)."""

    method_instance = models.ForeignKey(
        "processes.MethodInstance", on_delete=models.CASCADE, related_name="meetings"
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what it is about"), blank=True, max_length=4000)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # Accessibility, said plainly (universell utforming): the flags and a free description.
    step_free = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    accessibility = models.TextField(_("accessibility, in words"), blank=True, max_length=2000)
    digital_link = models.URLField(_("link to take part online"), blank=True, max_length=500)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    registration_open = models.BooleanField(_("registration open"), default=True)
    # Gjestebod: the host who reports back through a private link (token = HMAC over pk
    # and nonce, see core.tokens); the host's name is not shown publicly.
    host_name = models.CharField(_("host"), max_length=150, blank=True)
    host_email = models.EmailField(_("host's e-mail"), blank=True)
    host_nonce = models.CharField(max_length=32, blank=True)
    # How many took part (staff fill in afterwards; reported, never guessed).
    attendance = models.PositiveIntegerField(_("how many took part"), null=True, blank=True)
    results_registered_at = models.DateTimeField(null=True, blank=True)
    # A cancelled meeting stays on the page, marked cancelled with the reason, for those who
    # meant to come without registering; its registrations are deleted once all are told.
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("why it is cancelled"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="meeting_start_before_end"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    """A place at a meeting (or on its wait list), with the needs the person told us."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the wait list")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_registrations",
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    # Keys from meeting/needs.py (interpreter, step_free, hearing_loop, …) and their details.
    needs = models.JSONField(_("needs"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REGISTERED
    )
    nonce = models.CharField(max_length=32)  # the private link to see or cancel
    language = models.CharField(max_length=5, blank=True)
    # Who was heard (optional, only with the person's explicit consent, never inferred):
    # compared with the population on the case's "who took part" page, never shown with
    # the person's name; deleted with the registration.
    age_band = models.CharField(_("age group"), max_length=5, choices=AgeBand.choices, blank=True)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    demographics_consent_at = models.DateTimeField(
        _("consent to count age group, sex and district"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=~Q(status="cancelled"),
                name="meeting_registration_once",
            ),
            # Nothing of the three without consent.
            models.CheckConstraint(
                condition=Q(demographics_consent_at__isnull=False)
                | Q(age_band="", sex="", district=""),
                name="meeting_registration_demographics_consented",
            ),
            models.CheckConstraint(
                condition=Q(age_band="") | Q(age_band__in=AgeBand.values),
                name="meeting_registration_age_band_valid",
            ),
            models.CheckConstraint(
                condition=Q(sex="") | Q(sex__in=Sex.values), name="meeting_registration_sex_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.status}"
