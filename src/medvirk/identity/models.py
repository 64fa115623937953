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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("in-person identity check")
        verbose_name_plural = _("in-person identity checks")

    def __str__(self) -> str:
        return f"{self.get_document_kind_display()} #{self.pk}"
