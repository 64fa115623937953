"""Innbyggerforslag (kommuneloven § 12-1): the proposal and its signatures.

The proposal itself is a contribution (kind ``initiative``): received, moderated and
answered in the inbox like all input. :class:`Initiative` holds what only a proposal has:
its locked text, the signing period, the threshold, delivery, the council's deadline and
position. Signatures are not contributions: :class:`Signature` rows, one per person, by a
keyed hash of the identity that the database keeps unique per proposal.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the municipality's check")
    REFUSED = "refused", _("Not accepted for signing")
    COLLECTING = "collecting", _("Collecting signatures")
    DELIVERED = "delivered", _("Delivered to the municipality")
    DECIDED = "decided", _("The council has taken a position")
    WITHDRAWN = "withdrawn", _("Withdrawn by the proposer")
    REPLACED = "replaced", _("Replaced by a corrected version")


class Initiative(models.Model):
    """One innbyggerforslag. Its text is copied from the contribution when it is made
    (after screening) and never changes: a correction is a new proposal (``corrects``)."""

    method_instance = models.ForeignKey(
        "processes.MethodInstance", on_delete=models.CASCADE, related_name="initiatives"
    )
    contribution = models.OneToOneField(
        "contributions.Contribution", on_delete=models.CASCADE, related_name="initiative"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("the proposal"), max_length=settings.MEDVIRK_MAX_TEXT_LENGTH)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    submitted_at = models.DateTimeField(_("submitted"))
    # The municipality's check before signing (optional per instance), by whom and when.
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Signing: the period and the threshold, fixed when signing starts.
    signing_opens_at = models.DateTimeField(_("signing opened"), null=True, blank=True)
    signing_closes_at = models.DateTimeField(_("signing closes"), null=True, blank=True)
    threshold = models.PositiveIntegerField(_("signatures needed"), null=True, blank=True)
    threshold_reached_at = models.DateTimeField(_("threshold reached"), null=True, blank=True)
    # Delivery to the kommune: automatic at the threshold (delivered_by None) or by staff.
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivered_count = models.PositiveIntegerField(null=True, blank=True)
    postmottak_sent_at = models.DateTimeField(null=True, blank=True)
    # Referred to an ongoing plan case (plan- og bygningsloven): no six-month deadline.
    referred_at = models.DateTimeField(_("referred to a plan case"), null=True, blank=True)
    plan_case = models.CharField(_("the plan case"), max_length=200, blank=True)
    # The deadline warnings e-mailed to staff, each once (the daily command).
    deadline_warned_at = models.DateTimeField(null=True, blank=True)
    overdue_warned_at = models.DateTimeField(null=True, blank=True)
    # The council's position: a Decision of the case, linked to the answer to the proposal.
    decided_at = models.DateTimeField(_("position recorded"), null=True, blank=True)
    decision = models.ForeignKey(
        "accountability.Decision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signers_told_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # refused, withdrawn or replaced
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("citizens' initiative")
        verbose_name_plural = _("citizens' initiatives")
        constraints = [
            models.CheckConstraint(
                condition=Q(signing_opens_at__isnull=True)
                | Q(
                    signing_closes_at__isnull=False,
                    threshold__gte=1,
                    signing_opens_at__lte=F("signing_closes_at"),
                ),
                name="initiative_signing_period_and_threshold",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["collecting", "delivered", "decided"])
                | Q(signing_opens_at__isnull=False),
                name="initiative_signing_started",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["delivered", "decided"]) | Q(delivered_at__isnull=False),
                name="initiative_delivered_has_date",
            ),
        ]
        indexes = [models.Index(fields=["method_instance", "status"])]

    def __str__(self) -> str:
        return self.title


class Signature(models.Model):
    """One person's signature on one proposal: with e-ID (``identity_hash``) or registered
    by staff from a paper list (``paper_hash``; name, address and date of birth as on the
    list). Withdrawing deletes the row, so the count is always the rows."""

    class Kind(models.TextChoices):
        EID = "eid", _("With e-ID")
        PAPER = "paper", _("On paper")

    class Residence(models.TextChoices):
        REGISTER = "register", _("Checked against the residence register")
        DECLARED = "declared", _("Declared by the signer")
        PAPER = "paper", _("Written on the paper list")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="signatures")
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    # The signer's account (e-ID), to say "you have signed" and to tell them of the
    # position; None for paper, and after the account is erased once signing has ended.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiative_signatures",
    )
    # Keyed hash of the identity (national id hash, or the e-ID subject's hash) for this
    # proposal: one signature per person, whatever the account (see keys.py).
    identity_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    # Keyed hash of a paper signer's normalised name and date of birth for this proposal.
    paper_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    signer_name = models.CharField(_("name"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    # The kommune the signer lives in, as checked or declared (never more for e-ID).
    kommunenummer = models.CharField(max_length=4, blank=True)
    residence = models.CharField(max_length=10, choices=Residence.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=5, blank=True)
    created_at = models.DateTimeField(_("signed"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "identity_hash"], name="initiative_signature_once"
            ),
            models.UniqueConstraint(
                fields=["initiative", "paper_hash"], name="initiative_paper_signature_once"
            ),
            models.CheckConstraint(
                condition=Q(kind="eid", identity_hash__isnull=False, paper_hash__isnull=True)
                | Q(kind="paper", paper_hash__isnull=False, identity_hash__isnull=True),
                name="initiative_signature_kind_has_its_hash",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.kind} #{self.pk}"
