"""People: accounts, assurance levels, verified identities (never the number in clear)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssuranceLevel(models.IntegerChoices):
    """How sure we are who someone is. Actions require a minimum level."""

    ANONYMOUS = 0, _("Anonymous")
    EMAIL = 1, _("E-mail verified")
    VERIFIED = 2, _("Verified identity")


class User(AbstractUser):
    display_name = models.CharField(_("name shown publicly"), max_length=150, blank=True)
    email_verified = models.BooleanField(_("e-mail verified"), default=False)
    # Keyed hash (HMAC) of the national identity number: recognises the same person twice
    # (one signature, one vote) without storing the number.
    national_id_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # Keyed hash of issuer + subject for e-ID logins that carry no national identity number
    # (Feide pupils): recognises the same login again without storing the identifier.
    subject_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # Read from the national identity number at a verified login; the only part of it kept
    # in clear, for age limits (a referendum's voting age counts the year a person turns).
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    verified_via = models.CharField(_("verified by"), max_length=50, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, blank=True
    )

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    @property
    def assurance_level(self) -> AssuranceLevel:
        if self.verified_at is not None:
            return AssuranceLevel.VERIFIED
        if self.email_verified:
            return AssuranceLevel.EMAIL
        return AssuranceLevel.ANONYMOUS

    def public_name(self) -> str:
        return self.display_name or self.get_full_name() or self.get_username()


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    DRIVING_LICENCE = "driving_licence", _("Driving licence")
    NATIONAL_ID_CARD = "national_id_card", _("National ID card")
    OTHER = "other", _("Other identity document")


class InPersonVerification(models.Model):
    """Staff checked someone's identity document face to face (for people without e-ID)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="in_person_checks"
    )
    # Kept when the staff member's own account is erased: the audit log (pseudonymised)
    # still says that a check was made.
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    document_kind = models.CharField(
        _("document checked"), max_length=50, choices=DocumentKind.choices
    )
    # The recorded document check (issue 15): enough to tell one document from another
    # and to show the person which document was used, never the whole number. Empty on
    # checks made before these were recorded.
    document_last4 = models.CharField(
        _("last four characters of the document number"), max_length=4, blank=True
    )
    document_expires = models.DateField(_("document valid until"), null=True, blank=True)
    # Whether this check stored the national identity number's keyed hash on the account,
    # so a dispute knows to remove it again.
    bound_national_id = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The person said it was not them: the check no longer counts (the account's verified
    # level and any number it bound were removed) until an administrator has reviewed it.
    disputed_at = models.DateTimeField(_("disputed at"), null=True, blank=True)
    dispute_note = models.TextField(_("what the person said"), max_length=1000, blank=True)
    reviewed_at = models.DateTimeField(_("dispute reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.TextField(_("review"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("in-person identity check")
        verbose_name_plural = _("in-person identity checks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(document_last4="")
                | models.Q(document_last4__regex=r"^[A-Z0-9]{4}$"),
                name="in_person_document_last4_shape",
            ),
            models.CheckConstraint(
                condition=models.Q(reviewed_at__isnull=True) | models.Q(disputed_at__isnull=False),
                name="in_person_review_needs_dispute",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_document_kind_display()} #{self.pk}"
