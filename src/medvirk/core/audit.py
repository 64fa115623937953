"""Append to and verify the hash-chained audit log.

Every staff action and every change of a response calls :func:`record` inside the same
transaction as the change itself, so the log cannot miss a committed change.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEntry, AuditHead

if TYPE_CHECKING:
    # Django's own user types: the core stands below identity and never imports it.
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    Actor = AbstractBaseUser | AnonymousUser

GENESIS = "0" * 64
PSEUDONYM_PREFIX = "erased:"


def _commit(salt: str, label: str) -> str:
    return hashlib.sha256(f"{salt}\x1f{label}".encode()).hexdigest()


def _entry_hash(entry: AuditEntry) -> str:
    payload = json.dumps(
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
    return hashlib.sha256(payload.encode()).hexdigest()


def _label(actor: Actor | None) -> str:
    if actor is None or not actor.is_authenticated:
        return "system"
    return f"user:{actor.pk}:{actor.get_username()}"


def record(
    action: str,
    *,
    actor: Actor | None = None,
    obj: Any = None,
    municipality_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one row; must run inside the transaction that makes the change."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        label = _label(actor)
        salt = secrets.token_hex(16)
        entry = AuditEntry(
            seq=head.length + 1,
            created_at=timezone.now(),
            actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
            actor_label=label,
            actor_salt=salt,
            actor_commitment=_commit(salt, label),
            municipality_id_ref=municipality_id,
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            data=json.loads(json.dumps(data or {}, default=str)),
            prev_hash=head.head_hash,
        )
        entry.entry_hash = _entry_hash(entry)
        entry.save()
        head.length = entry.seq
        head.head_hash = entry.entry_hash
        head.save(update_fields=["length", "head_hash"])
    return entry


@dataclass(frozen=True)
class Problem:
    seq: int | None
    message: str


def verify() -> list[Problem]:
    """Walk the whole chain; return every inconsistency found (empty list = intact)."""
    problems: list[Problem] = []
    prev = GENESIS
    expected_seq = 1
    count = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if entry.seq != expected_seq:
            problems.append(Problem(entry.seq, f"expected row {expected_seq}: rows missing"))
            expected_seq = entry.seq
        if entry.prev_hash != prev:
            problems.append(Problem(entry.seq, "does not link to the previous row"))
        if _entry_hash(entry) != entry.entry_hash:
            problems.append(Problem(entry.seq, "content was changed after it was written"))
        if entry.actor_salt:
            if _commit(entry.actor_salt, entry.actor_label) != entry.actor_commitment:
                problems.append(Problem(entry.seq, "actor was changed after it was written"))
        elif not entry.actor_label.startswith(PSEUDONYM_PREFIX):
            problems.append(Problem(entry.seq, "actor commitment is missing"))
        prev = entry.entry_hash
        expected_seq += 1
    head = AuditHead.objects.filter(pk=1).first()
    head_length = head.length if head else 0
    head_hash = head.head_hash if head else GENESIS
    if count != head_length:
        problems.append(Problem(None, f"the log has {count} rows, the head says {head_length}"))
    if prev != head_hash:
        problems.append(Problem(None, "the newest row does not match the kept head"))
    return problems


def entries_for(municipality_ids: Iterable[int]) -> QuerySet[AuditEntry]:
    """The log rows about these municipalities, newest first (the staff audit page)."""
    return AuditEntry.objects.filter(municipality_id_ref__in=list(municipality_ids)).order_by(
        "-seq"
    )


def pseudonymise_actor(user_pk: int) -> int:
    """Replace a person's identity in the log with a pseudonym; the chain stays valid."""
    pseudonym = f"{PSEUDONYM_PREFIX}{secrets.token_hex(8)}"
    return AuditEntry.objects.filter(actor_id=user_pk).update(
        actor=None, actor_label=pseudonym, actor_salt=""
    )
