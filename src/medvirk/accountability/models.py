"""Closing the loop: responses to every contribution, decisions, notifications, follow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ResponseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_REVIEW = "under_review", _("Under review")
    ADOPTED = "adopted", _("Adopted")
    PARTLY_ADOPTED = "partly_adopted", _("Partly adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    OUT_OF_SCOPE = "out_of_scope", _("Outside what is open to influence")


# Statuses that close the loop: they need a reason the resident can read.
FINAL_STATUSES = frozenset(
    {
        ResponseStatus.ADOPTED,
        ResponseStatus.PARTLY_ADOPTED,
        ResponseStatus.NOT_ADOPTED,
        ResponseStatus.OUT_OF_SCOPE,
    }
)


class Response(models.Model):
    """The reasoned answer (begrunnet tilbakemelding) owed to a contribution."""

    contribution = models.OneToOneField(
        "contributions.Contribution", on_delete=models.CASCADE, related_name="response"
    )
    status = models.CharField(_("status"), max_length=20, choices=ResponseStatus.choices)
    reason = models.TextField(_("reason"), max_length=5000)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.get_status_display()} – #{self.contribution_id}"


class Decision(models.Model):
    """A vedtak: who decided what and when, and which responses it explains."""

    process = models.ForeignKey(
        "processes.Process", on_delete=models.CASCADE, related_name="decisions"
    )
    body = models.CharField(_("decided by (body)"), max_length=200)
    date = models.DateField(_("date"), null=True, blank=True)
    text = models.TextField(_("decision"), max_length=10000)
    is_pending = models.BooleanField(_("pending"), default=True)
    case_number = models.CharField(_("case number (saksnummer)"), max_length=50, blank=True)
    meeting_record_url = models.URLField(_("link to the meeting record (møtebok)"), blank=True)
    responses = models.ManyToManyField(Response, blank=True, related_name="decisions")
    created_at = models.DateTimeField(auto_now_add=True)
    # When everyone who took part was told: set once, so editing the decision re-sends nothing.
    announced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.body} {self.date or ''}".strip()


class Notification(models.Model):
    """A message to a person (in their account and/or by e-mail)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    email = models.EmailField(blank=True)
    contribution = models.ForeignKey(
        "contributions.Contribution",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.subject


class Subscription(models.Model):
    """Someone follows a process by e-mail (double opt-in: confirmed by a link)."""

    process = models.ForeignKey(
        "processes.Process", on_delete=models.CASCADE, related_name="subscriptions"
    )
    email = models.EmailField()
    # The language the person used when they asked to follow: e-mails are written in it.
    language = models.CharField(max_length=5, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["process", "email"], name="subscription_unique_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.process_id}"


class Note(models.Model):
    """An internal note on an input: staff only, never shown to the resident."""

    contribution = models.ForeignKey(
        "contributions.Contribution", on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self) -> str:
        return f"#{self.contribution_id}: {self.text[:40]}"


class AnswerTemplate(models.Model):
    """A municipality's reusable answer text (a start for the officer, never sent unread)."""

    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.CASCADE, related_name="answer_templates"
    )
    title = models.CharField(_("title"), max_length=120)
    status = models.CharField(
        _("status"), max_length=20, choices=ResponseStatus.choices, blank=True
    )
    text = models.TextField(_("text"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "title"], name="answer_template_unique_title"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EmailOptOut(models.Model):
    """An address that asked for no more e-mail about a case (the link in every e-mail).

    Only a keyed hash of the address is kept (``identity.hashing``), so the list of people
    who opted out holds no addresses.
    """

    process = models.ForeignKey(
        "processes.Process", on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    email_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail opt-out")
        verbose_name_plural = _("e-mail opt-outs")
        constraints = [
            models.UniqueConstraint(fields=["process", "email_hash"], name="opt_out_once"),
        ]

    def __str__(self) -> str:
        return f"opt-out → {self.process_id}"
