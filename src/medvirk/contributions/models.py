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
    # Pre-moderation: nothing is public until a moderator approves it.
    PENDING = "pending", _("Awaiting approval")
    # Screening found something (a national identity number, an e-mail address, a link …).
    HELD = "held", _("Held for a moderator")
    # Taken down after it was public: the reason is shown in its place.
    HIDDEN = "hidden", _("Hidden by a moderator")
    REJECTED = "rejected", _("Not published")


# States a moderator still has to decide on (the moderation queue).
AWAITING_MODERATION = (ModerationState.PENDING, ModerationState.HELD)


class ModerationMode(models.TextChoices):
    """How a kommune (or one method instance) moderates what residents write."""

    # Free text from people who are not logged in waits for approval; the rest is published
    # at once with a "report" button.
    AUTO = "auto", _("Approve free text from anonymous residents first; publish the rest at once")
    PRE = "pre", _("Approve everything before it is published (pre-moderation)")
    POST = "post", _("Publish at once; residents can report (post-moderation)")


class Theme(models.Model):
    """A theme (tag) or a group of duplicates that staff put input into, per case.

    A duplicate group holds inputs that say the same thing: it may be answered with one
    text (the only bulk answer offered). A theme is for sorting and filtering.
    """

    class Kind(models.TextChoices):
        THEME = "theme", _("Theme")
        DUPLICATES = "duplicates", _("Duplicate group")

    process = models.ForeignKey(
        "processes.Process", on_delete=models.CASCADE, related_name="themes"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.THEME)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="theme_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Contribution(models.Model):
    # None: input registered offline about the case as a whole, not one method.
    method_instance = models.ForeignKey(
        "processes.MethodInstance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
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
    # Shown publicly in place of hidden input ("Hidden by a moderator: …").
    hidden_reason = models.CharField(_("reason shown publicly"), max_length=500, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # False for input that asks or proposes nothing (a survey answer without free text): its
    # feedback is the published result and summary, so it does not wait in the inbox.
    needs_answer = models.BooleanField(default=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_contributions",
        verbose_name=_("assigned to"),
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="contributions")
    # "One per person" in a method (a survey answered once per account): the method's key
    # for the person. Unique per method instance in the database, so a race cannot add two.
    once_key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001 (NULLs are distinct)
    # Offline input: when and where it was given (the meeting's date, not the day typed in).
    given_on = models.DateField(_("given on"), null=True, blank=True)
    given_at_place = models.CharField(_("where"), max_length=200, blank=True)
    # Nonce for the private receipt link (see medvirk.core.tokens); the link itself is not stored.
    receipt_nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["method_instance", "once_key"], name="contribution_once_per_person"
            ),
        ]
        indexes = [
            models.Index(fields=["process", "moderation"]),
            models.Index(fields=["process", "needs_answer", "created_at"]),
        ]

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


class Report(models.Model):
    """A resident's report of published input (post-moderation's "report" button)."""

    class Reason(models.TextChoices):
        PERSONAL = "personal", _("Names or details about a person")
        OFFENSIVE = "offensive", _("Offensive or harassing")
        SPAM = "spam", _("Spam or advertising")
        OTHER = "other", _("Something else")

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.CharField(_("what is wrong (optional)"), max_length=500, blank=True)
    # Keyed hash of the reporter (account, or session): one report per person per input,
    # without keeping who reported.
    reporter_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a moderator has dealt with the report (kept, hidden or restored).
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "reporter_hash"], name="report_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} → #{self.contribution_id}"


class Attachment(models.Model):
    """A file given with offline input (a letter's scan, a photo from a meeting)."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="innspel/%Y/%m/", max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name
