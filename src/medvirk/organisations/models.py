"""Municipalities (kommuner) and the staff roles people hold in them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

kommunenummer_validator = RegexValidator(
    r"^\d{4}$", _("A kommunenummer is exactly four digits, for example 0301.")
)


class Malform(models.TextChoices):
    BOKMAL = "nb", _("Bokmål")
    NYNORSK = "nn", _("Nynorsk")
    NEUTRAL = "neutral", _("Neutral")


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("address name"), unique=True)
    kommunenummer = models.CharField(
        _("kommunenummer"), max_length=4, unique=True, validators=[kommunenummer_validator]
    )
    is_county = models.BooleanField(_("county (fylkeskommune)"), default=False)
    inhabitants = models.PositiveIntegerField(_("inhabitants"), validators=[MinValueValidator(1)])
    malform = models.CharField(
        _("official written standard (målform)"), max_length=10, choices=Malform.choices
    )
    default_language = models.CharField(
        _("default language"), max_length=5, choices=settings.LANGUAGES, default="nb"
    )
    accessibility_statement_url = models.URLField(
        _("accessibility statement (uustatus) address"),
        blank=True,
        help_text=_("Leave empty to show Medvirk's built-in statement."),
    )
    privacy_contact = models.EmailField(_("privacy contact (personvernombud)"), blank=True)
    email_from = models.EmailField(_("sender address for e-mail"), blank=True)
    # A ModerationMode value (medvirk.contributions.models); "auto" pre-moderates free text
    # from anonymous residents and post-moderates the rest.
    moderation_mode = models.CharField(_("moderation"), max_length=10, default="auto")

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kommunenummer__regex=r"^[0-9]{4}$"),
                name="municipality_kommunenummer_four_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def fylkesnummer(self) -> str:
        return self.kommunenummer[:2]


class Role(models.TextChoices):
    ADMINISTRATOR = "admin", _("Administrator")
    CASE_OFFICER = "case_officer", _("Case officer (saksbehandler)")
    MODERATOR = "moderator", _("Moderator")
    # Checks identity documents face to face: a role of its own, given on purpose, because
    # a check raises an account to a verified identity (issue 15).
    IDENTITY_OFFICER = "identity_officer", _("Identity officer (checks ID in person)")
    # An elected representative (folkevald) who takes part in discussions as themselves,
    # marked with the role; no staff powers (issue 18).
    POLITICIAN = "politician", _("Elected representative (folkevald)")


class Membership(models.Model):
    """A staff role held by a person in one municipality."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.municipality}"
