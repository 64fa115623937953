"""Participatory budgeting: projects, voting codes, ballots, the vote's state and its count.

- :class:`Project`: an idea a resident handed in (its :class:`Contribution` holds the
  text, the author and the answer) or a project staff added; staff set its cost, accept or
  reject it, or merge it into another. Accepted projects are the ballot.
- :class:`ProjectUpdate`: the follow-up of a funded project, dated, with an optional photo.
- :class:`CodeBatch` and :class:`VotingCode`: single-use voting codes for a school class
  or a group; a code is one voter (who may change the ballot until the vote closes).
- :class:`Ballot`: one row per voter and instance, kept unique by the database on a keyed
  hash of the voter (never the identity itself), written as one upsert. It holds no name,
  no address, no time and no link to a code or an account; its id is random, so the rows'
  order says nothing about who voted when.
- :class:`Election`: the vote's own state (opened by hand, closed, counted), one row per
  instance, locked when the vote is closed.
- :class:`Tally`: the stored count of one election (the whole budget, or one district),
  with the exact Pabulib file it was counted from.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from medvirk.processes.models import MethodInstance

MAX_TITLE = 150
MAX_DESCRIPTION = 4000
MAX_DISTRICT = 80


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for review")
    ACCEPTED = "accepted", _("On the ballot")
    REJECTED = "rejected", _("Not on the ballot")
    MERGED = "merged", _("Merged with another project")


class Delivery(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Project(models.Model):
    method_instance = models.ForeignKey(
        MethodInstance, on_delete=models.CASCADE, related_name="budget_projects"
    )
    # The resident's idea (None: staff added the project themselves).
    contribution = models.OneToOneField(
        "contributions.Contribution",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="budget_project",
    )
    # The project's number in this budget: its id in the Pabulib file and on the ballot.
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=MAX_TITLE)
    description = models.TextField(_("description"), max_length=MAX_DESCRIPTION, blank=True)
    # What the resident guessed; the municipality's estimate is ``cost``.
    proposed_cost = models.PositiveIntegerField(_("rough cost"), null=True, blank=True)
    cost = models.PositiveIntegerField(_("estimated cost"), null=True, blank=True)
    district = models.CharField(_("district"), max_length=MAX_DISTRICT, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # The follow-up of a funded project ("" until the count funds it).
    delivery = models.CharField(
        _("progress"), max_length=12, choices=Delivery.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("number",)
        verbose_name = _("budget project")
        verbose_name_plural = _("budget projects")
        constraints = (
            models.UniqueConstraint(
                fields=("method_instance", "number"), name="budgeting_project_number_once"
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(cost__isnull=False),
                name="budgeting_accepted_has_cost",
            ),
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="budgeting_merged_points_somewhere",
            ),
        )

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ProjectUpdate(models.Model):
    """A dated note on a funded project's progress, shown on its public page."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"))
    delivery = models.CharField(_("progress"), max_length=12, choices=Delivery.choices)
    text = models.TextField(_("what happened"), max_length=2000)
    photo = models.FileField(upload_to="budsjett/", max_length=300, blank=True)
    photo_type = models.CharField(max_length=100, blank=True)
    photo_size = models.PositiveIntegerField(default=0)
    # What the photo shows, for those who cannot see it (required with a photo).
    photo_alt = models.CharField(_("what the photo shows"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-date", "-pk")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.date}"


class CodeBatch(models.Model):
    """Voting codes made at once for one class or group ("7A, Lillevik skule")."""

    method_instance = models.ForeignKey(
        MethodInstance, on_delete=models.CASCADE, related_name="budget_code_batches"
    )
    label = models.CharField(_("class or group"), max_length=120)
    # The district every code of the batch votes in ("" = the voter chooses, or none).
    district = models.CharField(_("district"), max_length=MAX_DISTRICT, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return self.label


class VotingCode(models.Model):
    batch = models.ForeignKey(CodeBatch, on_delete=models.CASCADE, related_name="codes")
    method_instance = models.ForeignKey(
        MethodInstance, on_delete=models.CASCADE, related_name="budget_codes"
    )
    code = models.CharField(max_length=16)
    used = models.BooleanField(default=False)
    void = models.BooleanField(default=False)

    class Meta:
        ordering = ("pk",)
        constraints = (
            models.UniqueConstraint(
                fields=("method_instance", "code"), name="budgeting_code_once_per_budget"
            ),
        )

    def __str__(self) -> str:
        return f"{self.batch_id}: code"


class Ballot(models.Model):
    """One voter's ballot. ``choices`` maps a project's number (as text) to the points
    given (1 for an approval or knapsack ballot). ``total`` is what the rules limit (the
    cost, the number of projects or the points) and ``limit`` the limit when it was cast;
    the database refuses a row over its limit."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    method_instance = models.ForeignKey(
        MethodInstance, on_delete=models.CASCADE, related_name="budget_ballots"
    )
    voter_key = models.CharField(max_length=64)
    district = models.CharField(max_length=MAX_DISTRICT, blank=True)
    choices = models.JSONField(default=dict)
    total = models.PositiveBigIntegerField()
    limit = models.PositiveBigIntegerField()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("method_instance", "voter_key"), name="budgeting_one_ballot_per_voter"
            ),
            models.CheckConstraint(
                condition=Q(total__lte=F("limit")), name="budgeting_ballot_within_limit"
            ),
        )

    def __str__(self) -> str:
        return "ballot"


class Election(models.Model):
    """The vote's own state. Opened by hand (``opened_at`` .. ``closes_at``) or by the
    case's phases; closed once (``closed_at``), then counted once (``counted_at``)."""

    method_instance = models.OneToOneField(
        MethodInstance, on_delete=models.CASCADE, related_name="budget_election"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by_staff = models.BooleanField(default=False)
    counted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.CheckConstraint(
                condition=Q(opened_at__isnull=True) | Q(closes_at__gt=F("opened_at")),
                name="budgeting_opened_vote_has_an_end",
            ),
            models.CheckConstraint(
                condition=Q(counted_at__isnull=True) | Q(closed_at__isnull=False),
                name="budgeting_counted_after_closing",
            ),
        )

    def __str__(self) -> str:
        return f"election {self.method_instance_id}"


class Tally(models.Model):
    """The count of one election: the whole budget (``district`` "") or one district."""

    method_instance = models.ForeignKey(
        MethodInstance, on_delete=models.CASCADE, related_name="budget_tallies"
    )
    district = models.CharField(max_length=MAX_DISTRICT, blank=True)
    rule = models.CharField(max_length=20)
    ballots = models.PositiveIntegerField()
    # The counting engine's result (``PbResult.as_json``) and the file it counted.
    result = models.JSONField(default=dict)
    pb_text = models.TextField(blank=True)
    counted_at = models.DateTimeField()

    class Meta:
        ordering = ("district",)
        constraints = (
            models.UniqueConstraint(
                fields=("method_instance", "district"), name="budgeting_one_tally_per_election"
            ),
        )

    def __str__(self) -> str:
        return f"tally {self.method_instance_id} {self.district}"
