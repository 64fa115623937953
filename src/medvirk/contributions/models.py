"""The one record of any input, through any method and any channel."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from medvirk.core.tokens import receipt_token


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    MEETING = "meeting", _("Meeting")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    POPUP = "popup", _("Pop-up (stikkprøve)")


class ModerationState(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Held for a moderator")
    REJECTED = "rejected", _("Not published")


class Contribution(models.Model):
    method_instance = models.ForeignKey(
        "processes.MethodInstance", on_delete=models.PROTECT, related_name="contributions"
    )
    # Denormalised from the method instance so process-wide lists need no joins.
    process = models.ForeignKey(
        "processes.Process", on_delete=models.PROTECT, related_name="contributions"
    )
    kind = models.CharField(_("kind"), max_length=50)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_contributions",
        help_text=_("Staff member who registered input given offline."),
    )
    author_name = models.CharField(_("name"), max_length=150, blank=True)
    show_name = models.BooleanField(_("show my name publicly"), default=False)
    contact_email = models.EmailField(_("e-mail for the answer"), blank=True)
    text = models.TextField(_("text"), blank=True, max_length=settings.MEDVIRK_MAX_TEXT_LENGTH)
    data = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=5, blank=True)
    moderation = models.CharField(
        _("moderation"),
        max_length=10,
        choices=ModerationState.choices,
        default=ModerationState.PUBLISHED,
    )
    held_reason = models.CharField(max_length=200, blank=True)
    # Nonce for the private receipt link (see medvirk.core.tokens); the link itself is not stored.
    receipt_nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        indexes = [models.Index(fields=["process", "moderation"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display_text()} #{self.pk}"

    def get_kind_display_text(self) -> str:
        return self.kind.replace("_", " ")

    def receipt_url(self) -> str:
        return reverse(
            "public:receipt",
            kwargs={"pk": self.pk, "token": receipt_token(self.pk, self.receipt_nonce)},
        )

    @property
    def public_author(self) -> str:
        if self.show_name:
            if self.author_name:
                return self.author_name
            if self.author is not None:
                return str(self.author.public_name())
        return ""
