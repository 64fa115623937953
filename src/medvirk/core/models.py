"""The shared kernel's records: the signed audit chain and its separately kept, signed head."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One staff action or response change. Append-only; each row commits to the previous.

    ``entry_hash`` is an HMAC-SHA256 under ``MEDVIRK_AUDIT_KEY`` (kept outside the database)
    of the row's content and the previous row's hash, so nobody without the key can rewrite
    the chain. The actor's identity is kept as ``actor_label`` plus a salted commitment
    (``actor_commitment``); the chain signs only the commitment, so erasing a person can
    replace the label with a pseudonym (and drop the salt) without breaking the chain — and
    the erasure writes its own row naming the pseudonym. ``actor`` must agree with the label.
    """

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    created_at = models.DateTimeField(editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200, blank=True)
    actor_salt = models.CharField(max_length=64, blank=True)
    actor_commitment = models.CharField(max_length=64, blank=True)
    municipality_id_ref = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """The chain's length and newest hash, kept apart from the log and signed with the key.

    Deleting the newest rows of the log leaves a consistent-looking chain; comparing it
    with this head reveals them. One row (pk=1); appends lock it, which also serialises them.
    Putting back an older signed head is only caught against a head exported elsewhere
    (``verify_audit --export-head`` / ``--against``).
    """

    length = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default="0" * 64)
    signature = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.length} rows, head {self.head_hash[:12]}"
