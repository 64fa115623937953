"""Sign the audit chain with MEDVIRK_AUDIT_KEY; anchor rows written before with a signed row.

Rows written by the previous release carry plain SHA-256 hashes, which anyone with database
access could recompute. They stay as they are: this migration appends one HMAC-signed
``audit.rekeyed`` row that links to their last hash and names it (and the pseudonyms erasure
had already put in), and signs the head. From then on ``audit.verify`` checks the rows before
that row with the old rule — rewriting them would no longer reach the signed row — and every
later row with the key. A fresh database has nothing to anchor.

The code is copied here on purpose: a migration must keep doing what it did when the
application's own audit module changes later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

GENESIS = "0" * 64


def _mac(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def _payload(entry: Any) -> str:
    return json.dumps(
        {
            "seq": entry.seq,
            "created_at": entry.created_at.isoformat(),
            "actor_commitment": entry.actor_commitment,
            "municipality": entry.municipality_id_ref,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "data": entry.data,
            "prev_hash": entry.prev_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )


def anchor_legacy_chain(apps: Any, schema_editor: Any) -> None:
    entries = apps.get_model("core", "AuditEntry").objects
    heads = apps.get_model("core", "AuditHead").objects
    key = str(settings.MEDVIRK_AUDIT_KEY).encode()
    head = heads.filter(pk=1).first()
    if head is None:  # nothing was ever recorded
        return
    last = entries.order_by("-seq").first()
    if last is not None or head.length:
        pseudonyms: dict[str, list[int]] = {}
        erased = entries.filter(actor_label__startswith="erased:", actor_salt="").order_by("seq")
        for seq, label in erased.values_list("seq", "actor_label"):
            pseudonyms.setdefault(label, []).append(seq)
        salt = secrets.token_hex(16)
        entry = entries.model(
            # After the head, or after the last row if a broken chain has rows beyond it.
            seq=max(head.length, last.seq if last is not None else 0) + 1,
            created_at=timezone.now(),
            actor_label="system",
            actor_salt=salt,
            actor_commitment=hashlib.sha256(f"{salt}\x1fsystem".encode()).hexdigest(),
            municipality_id_ref=None,
            action="audit.rekeyed",
            object_type="",
            object_id="",
            data={
                "legacy_length": head.length,
                "legacy_head": head.head_hash,
                "pseudonyms": pseudonyms,
            },
            prev_hash=head.head_hash,
        )
        entry.entry_hash = _mac(key, _payload(entry))
        entry.save()
        head.length = entry.seq
        head.head_hash = entry.entry_hash
    head.signature = _mac(key, f"head\x1f{head.length}\x1f{head.head_hash}")
    head.save()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="audithead",
            name="signature",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(anchor_legacy_chain, migrations.RunPython.noop),
    ]
