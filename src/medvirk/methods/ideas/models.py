"""Idétavle: residents' ideas, the comments on them, and who supports which.

- An :class:`Idea` is a :class:`~medvirk.contributions.models.Contribution` (kind ``idea``)
  and shares its number (the one-to-one is the primary key), so «Idé 123» on the board is
  «Innspel 123» in the inbox. The contribution holds what the resident wrote (title, a blank
  line, the text), its moderation and its answer; the row here holds the title and category
  as shown, and what staff did with it: merged into another idea, or taken up in a case.
- An :class:`IdeaComment` is a contribution too (kind ``idea_comment``); it is moderated and
  may be answered, but does not wait for an answer.
- A :class:`Support` is not input: one row per person per idea, kept once by a unique
  constraint on a keyed hash of the person (an account, or a browser's session).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

TITLE_MAX = 140
CATEGORY_MAX = 60


class Outcome(models.TextChoices):
    """What staff did with an idea besides answering it."""

    NONE = "", _("Not taken up")
    MOVED = "moved", _("Taken up in an existing case")
    NEW_CASE = "new_case", _("A new case started from it")


class Idea(models.Model):
    contribution = models.OneToOneField(
        "contributions.Contribution",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="idea",
    )
    # Denormalised from the contribution: every list of the board filters on it.
    method_instance = models.ForeignKey(
        "processes.MethodInstance", on_delete=models.CASCADE, related_name="ideas"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    category = models.CharField(_("category"), max_length=CATEGORY_MAX, blank=True)
    # A duplicate merged into the idea that is kept: its supporters were carried over.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_ideas",
        verbose_name=_("merged into"),
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        _("taken up"), max_length=10, choices=Outcome.choices, default=Outcome.NONE, blank=True
    )
    # The case the idea was taken up in (an existing one, or the one started from it). A
    # case that is deleted leaves the outcome, without the link.
    taken_up_in = models.ForeignKey(
        "processes.Process",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("taken up in"),
    )
    taken_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-contribution_id"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | Q(taken_up_at__isnull=False),
                name="idea_taken_up_has_time",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(merged_at__isnull=False),
                name="idea_merged_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class IdeaComment(models.Model):
    """A comment on an idea; its text, author and moderation are the contribution's."""

    contribution = models.OneToOneField(
        "contributions.Contribution",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="idea_comment",
    )
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")

    class Meta:
        ordering = ["contribution_id"]
        verbose_name = _("comment on an idea")
        verbose_name_plural = _("comments on ideas")

    def __str__(self) -> str:
        return f"#{self.contribution_id} → #{self.idea_id}"


class Support(models.Model):
    """One person supports one idea (once: the unique key below)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    # Keyed hash of the account, or of the browser's session for an anonymous supporter:
    # recognises the same person again without keeping who it is.
    person_key = models.CharField(max_length=64)
    # Set when the supporter was logged in: «Mine data» and erasure find the row by it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="idea_supports",
    )
    # The supporter's identity level when they supported (0 anonymous, 1 e-mail, 2 verified).
    level = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["idea", "person_key"], name="idea_support_once"),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}"
