"""Innbyggarpanel: a standing panel of residents per municipality, drawn from by a fair
lottery for a survey or a dialogue in a case.

Membership belongs to the municipality, not to a case: a ``panel`` method instance in a
case is where residents join (or see their membership) and where staff draw invitations
for one of the case's methods. The published lottery names members only by ``code``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganStatus(models.TextChoices):
    """Sivilombudet (2024): a council-appointed panel may be a folkevalt organ."""

    UNDECIDED = "undecided", _("Not decided yet")
    ORGAN = "organ", _("Appointed by the council: treated as a folkevalt organ")
    NOT_ORGAN = "not_organ", _("Not a folkevalt organ")


class PanelSettings(models.Model):
    """The municipality's decisions about its panel (one row per municipality)."""

    municipality = models.OneToOneField(
        "organisations.Municipality", on_delete=models.CASCADE, related_name="panel_settings"
    )
    organ_status = models.CharField(
        _("is the panel a folkevalt organ?"),
        max_length=12,
        choices=OrganStatus.choices,
        default=OrganStatus.UNDECIDED,
    )
    organ_decision = models.CharField(
        _("the municipality's decision (case number, date, link)"), max_length=500, blank=True
    )
    min_age = models.PositiveSmallIntegerField(_("lowest age to join"), default=15)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("panel settings")
        verbose_name_plural = _("panel settings")

    def __str__(self) -> str:
        return str(self.municipality_id)


class DimensionKind(models.TextChoices):
    AGE_BAND = "age_band", _("Age band")
    GENDER = "gender", _("Gender")
    DISTRICT = "district", _("District")
    CUSTOM = "custom", _("Defined by the municipality")


class Dimension(models.Model):
    """A question in the member profile, and a dimension a draw can balance.

    ``options`` is a list of ``{"key": str, "label": str}``; age band and gender options
    come from the code (``dimensions.py``), districts and custom ones from the municipality.
    """

    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.CASCADE, related_name="panel_dimensions"
    )
    key = models.SlugField(_("key"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=DimensionKind.choices)
    name = models.CharField(_("question"), max_length=200)
    options = models.JSONField(_("options"), default=list)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("panel dimension")
        verbose_name_plural = _("panel dimensions")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], name="panel_dimension_key"),
        ]

    def __str__(self) -> str:
        return self.name


class PopulationFigure(models.Model):
    """How many inhabitants have one option of one dimension (entered, or from SSB 07459)."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="figures")
    option = models.CharField(_("option"), max_length=40)
    count = models.PositiveIntegerField(_("inhabitants"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        ordering = ["dimension", "option"]
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "option"], name="panel_figure_option"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension_id}/{self.option}: {self.count}"


class PanelMember(models.Model):
    """A resident in the municipality's panel, with the profile they consented to give.

    Leaving deletes this row (the profile is erased); invitations keep only the stratum.
    """

    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.CASCADE, related_name="panel_members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_memberships"
    )
    # Pseudonym in the published lottery (random, unique per municipality).
    code = models.CharField(max_length=12)
    # Dimension key -> option key; only dimensions the member answered.
    profile = models.JSONField(default=dict)
    consent_at = models.DateTimeField(_("consent given"))
    joined_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "user"], name="panel_member_once"),
            models.UniqueConstraint(fields=["municipality", "code"], name="panel_member_code"),
        ]

    def __str__(self) -> str:
        return self.code


class Draw(models.Model):
    """One lottery: N invitations for a method of the case, balanced on chosen dimensions."""

    method_instance = models.ForeignKey(
        "processes.MethodInstance", on_delete=models.CASCADE, related_name="panel_draws"
    )
    # The survey or dialogue the invited are asked to answer (same case).
    target = models.ForeignKey(
        "processes.MethodInstance", on_delete=models.PROTECT, related_name="panel_draws_for"
    )
    size = models.PositiveIntegerField(_("how many to invite"))
    dimensions = models.JSONField(_("balanced on"), default=list)  # dimension keys
    algorithm = models.CharField(_("lottery"), max_length=10, default="maximin")
    seed = models.CharField(max_length=64)
    # {"quotas": [...], "distribution": [...], "probability": {code: p}, "pool": [...], ...}
    lottery = models.JSONField(default=dict)
    min_probability = models.FloatField(default=0.0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("panel draw")
        verbose_name_plural = _("panel draws")

    def __str__(self) -> str:
        return f"{self.method_instance_id}: {self.size}"


class Invitation(models.Model):
    """One member invited by a draw; the e-mailed link is used once."""

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(
        PanelMember, null=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    code = models.CharField(max_length=12)
    # The member's options on the draw's dimensions, kept for response rates if they leave.
    stratum = models.JSONField(default=dict)
    nonce = models.CharField(max_length=32)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    # Set when the member's answer to the target arrives (or is found), for response rates.
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["draw", "code"], name="panel_invitation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}/{self.code}"
