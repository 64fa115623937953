"""Rådgivande folkerøysting (kommuneloven § 12-2): the referendum, its roll and its ballots.

Secret ballot: *that* a person voted and *what* was voted live in two tables with nothing
in common but the referendum, the district and the day.

- :class:`RollEntry` — that someone voted: a keyed hash of the person for this referendum
  (unique: one vote per person, enforced by the database), the district, the channel
  (electronic or paper) and the day. No account, no time.
- :class:`Ballot` — what was voted: a random UUID, the option (None: blank), the district
  and the day. No serial number, no link to the roll or to an account, no time; the
  insertion order is shuffled away by :func:`staff_actions.mix` (rewritten in the order of
  the random ids) nightly during the vote and at the close. See docs/methods/referendum.md.

Paper: staff mark paper voters in the roll (by national identity number, hashed), and two
staff members enter each polling place's count (:class:`PaperEntry`); equal entries make
an accepted :class:`PaperBatch`. Every step of the count is a :class:`CountEntry` of the
hash chain (``chain.py``) published at the close.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Announced (question locked)")
    CLOSED = "closed", _("Closed, result published")


class Channel(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic")
    PAPER = "paper", _("On paper at a polling place")


class Referendum(models.Model):
    """One referendum: the council's question and its rules. Everything here is fixed when
    staff open it (``locked_at``): the announced question, options, period and rules."""

    method_instance = models.OneToOneField(
        "processes.MethodInstance", on_delete=models.CASCADE, related_name="referendum"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    question = models.TextField(_("question"), max_length=1000, blank=True)
    council_reference = models.CharField(_("the council's decision"), max_length=300, blank=True)
    council_url = models.URLField(_("link to the decision"), max_length=500, blank=True)
    # The voting period; when empty while prepared, the phase's dates are used at opening.
    opens_at = models.DateTimeField(_("voting opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("voting closes"), null=True, blank=True)
    # People entitled to vote, when the municipality knows it (from the population register).
    roll_size = models.PositiveIntegerField(_("people entitled to vote"), null=True, blank=True)
    # [{"name": "Sentrum", "roll": 420 | None}, …]
    districts = models.JSONField(_("districts"), default=list, blank=True)
    # [{"key": "lillevik-skule", "name": "Lillevik skule", "district": "Sentrum"}, …]
    polling_places = models.JSONField(_("polling places"), default=list, blank=True)
    # The instance's settings as they were when the vote was announced (voting age, floor,
    # re-voting, blank vote, paper): later changes to the settings do not change the rules.
    rules = models.JSONField(default=dict, blank=True)
    # Who announced and who closed it is in the audit log, not here: the referendum and
    # everything hanging on it hold no person.
    locked_at = models.DateTimeField(_("announced"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    mixed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("referendum")
        verbose_name_plural = _("referendums")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(
                    opens_at__isnull=False,
                    closes_at__isnull=False,
                    locked_at__isnull=False,
                    opens_at__lt=F("closes_at"),
                ),
                name="referendum_open_has_period",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False, result__isnull=False),
                name="referendum_closed_has_result",
            ),
        ]

    def __str__(self) -> str:
        return self.question[:80] or f"referendum {self.pk}"


class Option(models.Model):
    referendum = models.ForeignKey(Referendum, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=200)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referendum", "position"], name="referendum_option_position"
            )
        ]

    def __str__(self) -> str:
        return self.label


class RollEntry(models.Model):
    """That one person voted in one referendum. Nothing that leads to a ballot: see the
    module's docstring and docs/methods/referendum.md."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referendum = models.ForeignKey(Referendum, on_delete=models.CASCADE, related_name="roll")
    voter_hash = models.CharField(max_length=64)
    district = models.CharField(max_length=100, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    day = models.DateField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referendum", "voter_hash"], name="referendum_one_vote_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"roll {self.referendum_id}: {self.channel} {self.day}"


class Ballot(models.Model):
    """What one voter chose. A random id, the choice, the district and the day: no
    account, no roll entry, no time, no serial number."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referendum = models.ForeignKey(Referendum, on_delete=models.CASCADE, related_name="ballots")
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.PROTECT)
    district = models.CharField(max_length=100, blank=True)
    day = models.DateField()
    # Only with re-voting: the keyed hash of the voter's one-time change code (keys.py).
    change_hash = models.CharField(max_length=64, null=True, blank=True, db_index=True)  # noqa: DJ001

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"ballot {self.id}"


class PaperEntry(models.Model):
    """One staff member's count of one polling place's paper ballots. Two equal entries
    by two people make the batch; a mismatch is shown to both, who count and enter again."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the second entry")
        MATCHED = "matched", _("Matched")
        MISMATCH = "mismatch", _("Did not match")

    referendum = models.ForeignKey(
        Referendum, on_delete=models.CASCADE, related_name="paper_entries"
    )
    place = models.CharField(max_length=80)
    round = models.PositiveIntegerField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {"options": {"<option id>": n}, "blank": n, "rejected": n}
    counts = models.JSONField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    entered_at = models.DateTimeField()

    class Meta:
        ordering = ["place", "round", "entered_at", "pk"]

    def __str__(self) -> str:
        return f"{self.place} #{self.round}"


class PaperBatch(models.Model):
    """A polling place's accepted count."""

    referendum = models.ForeignKey(
        Referendum, on_delete=models.CASCADE, related_name="paper_batches"
    )
    place = models.CharField(max_length=80)
    district = models.CharField(max_length=100, blank=True)
    counts = models.JSONField()
    accepted_at = models.DateTimeField()

    class Meta:
        ordering = ["place"]
        constraints = [
            models.UniqueConstraint(fields=["referendum", "place"], name="referendum_batch_once")
        ]

    def __str__(self) -> str:
        return self.place


class CountEntry(models.Model):
    """One link of the count record (``chain.py``), stored as hashed."""

    referendum = models.ForeignKey(
        Referendum, on_delete=models.CASCADE, related_name="count_entries"
    )
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=12)
    data = models.JSONField()
    prev = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["referendum", "seq"], name="referendum_count_seq")
        ]

    def __str__(self) -> str:
        return f"{self.referendum_id}#{self.seq} {self.kind}"

    def as_entry(self) -> dict[str, object]:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "data": self.data,
            "prev": self.prev,
            "hash": self.hash,
        }
