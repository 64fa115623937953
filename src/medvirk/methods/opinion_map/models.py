"""Meiningskart (opinion map, in the spirit of Pol.is): short statements, agree / disagree /
pass votes, and the map of opinion groups recomputed in the background.

Votes are the hot path (a large conversation has millions), so a vote is one row here,
not a contribution. What a person *writes* is input: a statement a participant adds is a
:class:`~medvirk.contributions.models.Contribution` (kind ``opinion_statement``), moderated
before it is shown, and each statement's result can be answered through the inbox.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Statement(models.Model):
    """One statement to vote on: written by staff (seed) or by a participant."""

    method_instance = models.ForeignKey(
        "processes.MethodInstance", on_delete=models.CASCADE, related_name="opinion_statements"
    )
    text = models.CharField(_("statement"), max_length=500)
    # A participant's statement is input: moderated (shown when it is published) and
    # answerable. None for statements staff wrote or imported.
    contribution = models.OneToOneField(
        "contributions.Contribution",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="opinion_statement",
    )
    is_seed = models.BooleanField(_("written by the municipality"), default=False)
    # Staff can take a statement out of voting (Pol.is "moderated out") without deleting it.
    is_active = models.BooleanField(_("in the vote"), default=True)
    # Pol.is comment-id when imported; unique per conversation so a re-import adds nothing.
    external_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [
            models.UniqueConstraint(
                fields=["method_instance", "external_id"],
                condition=~models.Q(external_id=""),
                name="opinion_statement_external_once",
            ),
        ]
        indexes = [models.Index(fields=["method_instance", "is_active"])]

    def __str__(self) -> str:
        return self.text[:60]


class Participant(models.Model):
    """Someone who votes in one conversation: per browser by default, or per account."""

    method_instance = models.ForeignKey(
        "processes.MethodInstance", on_delete=models.CASCADE, related_name="opinion_participants"
    )
    # Keyed hash of the account or the browser session (never the session key itself).
    key = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinion_participations",
    )
    # Pol.is participant id when imported.
    external_id = models.CharField(max_length=40, blank=True)
    # The opinion group from the latest map (None: not grouped yet, or too few votes).
    group = models.SmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["method_instance", "key"], name="opinion_participant"),
        ]

    def __str__(self) -> str:
        return f"{self.method_instance_id}/{self.pk}"


class Vote(models.Model):
    """A participant's latest vote on a statement: 1 agree, -1 disagree, 0 pass."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(_("vote"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["participant", "statement"], name="opinion_vote_once"),
            models.CheckConstraint(
                condition=models.Q(value__in=[-1, 0, 1]), name="opinion_vote_value"
            ),
        ]
        indexes = [models.Index(fields=["statement", "value"])]

    def __str__(self) -> str:
        return f"{self.participant_id}/{self.statement_id}: {self.value}"


class OpinionMap(models.Model):
    """The latest computed map of one conversation (one row per instance, replaced)."""

    method_instance = models.OneToOneField(
        "processes.MethodInstance", on_delete=models.CASCADE, related_name="opinion_map"
    )
    # The engine's result for pages: groups with sizes, representative statements,
    # group-informed consensus, positions for the SVG; see algorithms/opinion_map.
    result = models.JSONField(default=dict)
    votes_seen = models.PositiveIntegerField(default=0)
    participants_seen = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)
    # Debounce: a recompute was asked for at this time and has not run yet.
    requested_at = models.DateTimeField(null=True, blank=True)
    # Set while a worker computes (with a time, so a crashed worker does not block forever).
    running_since = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("opinion map")
        verbose_name_plural = _("opinion maps")

    def __str__(self) -> str:
        return f"{self.method_instance_id}"
