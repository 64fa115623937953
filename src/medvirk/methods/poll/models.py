"""Hurtigavstemming – quick poll: one question, its options, and the votes.

Each vote is one :class:`~medvirk.contributions.models.Contribution` (kind ``poll_vote``)
whose ``once_key`` makes it one per person or browser; the option chosen is a row here so
that results are counted by the database (GROUP BY).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

MIN_OPTIONS = 2
MAX_OPTIONS = 10


class PollQuestion(models.Model):
    method_instance = models.OneToOneField(
        "processes.MethodInstance", on_delete=models.CASCADE, related_name="poll_question"
    )
    text = models.CharField(_("question"), max_length=300)

    class Meta:
        verbose_name = _("poll question")
        verbose_name_plural = _("poll questions")

    def __str__(self) -> str:
        return self.text


class PollOption(models.Model):
    question = models.ForeignKey(PollQuestion, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("option"), max_length=200)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")

    def __str__(self) -> str:
        return self.label


class PollVote(models.Model):
    """The option one vote chose. An option with votes cannot be deleted (PROTECT): the
    editor locks the poll once anyone has voted."""

    contribution = models.OneToOneField(
        "contributions.Contribution", on_delete=models.CASCADE, related_name="poll_vote"
    )
    option = models.ForeignKey(PollOption, on_delete=models.PROTECT, related_name="votes")

    class Meta:
        verbose_name = _("poll vote")
        verbose_name_plural = _("poll votes")

    def __str__(self) -> str:
        return f"{self.contribution_id}: {self.option_id}"
