"""Append to and verify the signed, hash-chained audit log.

Every staff action and every change of a response calls :func:`record` inside the same
transaction as the change itself, so the log cannot miss a committed change.

Each row's ``entry_hash`` is an HMAC-SHA256, under ``settings.MEDVIRK_AUDIT_KEY``, of the
row's content and the previous row's hash; the head (length and newest hash) is kept apart
and signed too. The key lives outside the database, so someone who can write to the
database cannot edit, reorder, delete or recompute rows unnoticed. One thing the database
alone cannot show — the newest rows deleted and an older signed head put back — shows
against a head exported elsewhere (:func:`export_head`, ``verify(anchor=…)``).

Rows written before the chain was signed (plain SHA-256) stay as they were: the upgrade
(migration ``core.0003``) appended a signed ``audit.rekeyed`` row that links to their last
hash, so they cannot be rewritten either, and :func:`verify` checks them with the old rule.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .models import AuditEntry, AuditHead

if TYPE_CHECKING:
    # Django's own user types: the core stands below identity and never imports it.
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    Actor = AbstractBaseUser | AnonymousUser

GENESIS = "0" * 64
PSEUDONYM_PREFIX = "erased:"
# Written by pseudonymise_actor: the pseudonym and the rows it replaced, never the person.
ERASURE_ACTION = "audit.actor_pseudonymised"
# Written once by the upgrade to a signed chain: the rows before it are plain SHA-256.
REKEY_ACTION = "audit.rekeyed"
EXPORT_FORMAT = "medvirk-audit-head/1"


def _key() -> bytes:
    return str(settings.MEDVIRK_AUDIT_KEY).encode()


def _mac(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def _commit(salt: str, label: str) -> str:
    return hashlib.sha256(f"{salt}\x1f{label}".encode()).hexdigest()


def _payload(entry: AuditEntry) -> str:
    """The row's content as the chain covers it (the actor only through its commitment)."""
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


def _sign(entry: AuditEntry, key: bytes) -> str:
    return _mac(key, _payload(entry))


def _legacy_hash(entry: AuditEntry) -> str:
    """The unkeyed rule of rows written before the upgrade (see REKEY_ACTION)."""
    return hashlib.sha256(_payload(entry).encode()).hexdigest()


# The prefixes keep a head's or an export's signature from ever equalling a row's (JSON).
def _sign_head(length: int, head_hash: str, key: bytes) -> str:
    return _mac(key, f"head\x1f{length}\x1f{head_hash}")


def _sign_export(length: int, head_hash: str, exported_at: str, key: bytes) -> str:
    return _mac(key, f"export\x1f{length}\x1f{head_hash}\x1f{exported_at}")


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _label(actor: Actor | None) -> str:
    if actor is None or not actor.is_authenticated:
        return "system"
    return f"user:{actor.pk}:{actor.get_username()}"


def _named_user(label: str) -> int | None:
    """The account number a label names (``user:<pk>:<username>``); None for the system."""
    kind, _sep, rest = label.partition(":")
    number = rest.partition(":")[0]
    return int(number) if kind == "user" and number.isdigit() else None


def record(
    action: str,
    *,
    actor: Actor | None = None,
    obj: Any = None,
    municipality_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one row; must run inside the transaction that makes the change."""
    key = _key()
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
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
        entry.entry_hash = _sign(entry, key)
        entry.save()
        head.length = entry.seq
        head.head_hash = entry.entry_hash
        head.signature = _sign_head(head.length, head.head_hash, key)
        head.save(update_fields=["length", "head_hash", "signature"])
    return entry


def pseudonymise_actor(user_pk: int) -> int:
    """Replace a person's identity in the log with a pseudonym, and record the erasure.

    The chain stays valid (it signs the actor's commitment, not the label). The erasure's
    own row names the pseudonym and the rows it replaced — never the person — so
    :func:`verify` can tell an erasure from someone hiding who did something.
    """
    pseudonym = f"{PSEUDONYM_PREFIX}{secrets.token_hex(8)}"
    with transaction.atomic():
        # The head lock holds back appends, so no row of theirs slips in between.
        AuditHead.objects.select_for_update().get_or_create(pk=1)
        rows = AuditEntry.objects.filter(actor_id=user_pk)
        seqs = list(rows.order_by("seq").values_list("seq", flat=True))
        changed = rows.update(actor=None, actor_label=pseudonym, actor_salt="")
        record(ERASURE_ACTION, data={"pseudonym": pseudonym, "seqs": seqs})
    return changed


# --- verification ---------------------------------------------------------------------------


class ProblemKind(StrEnum):
    MISSING = "missing"
    LINK = "link"
    CHANGED = "changed"
    ACTOR_CHANGED = "actor_changed"
    ACTOR_REFERENCE = "actor_reference"
    PSEUDONYM_UNRECORDED = "pseudonym_unrecorded"
    HEAD_SIGNATURE = "head_signature"
    HEAD_LENGTH = "head_length"
    HEAD_HASH = "head_hash"
    ANCHOR_SIGNATURE = "anchor_signature"
    ANCHOR_SHORTER = "anchor_shorter"
    ANCHOR_MISMATCH = "anchor_mismatch"


@dataclass(frozen=True)
class Problem:
    seq: int | None
    kind: ProblemKind
    message: str


# Plain language for the staff page; translated when the problem is found.
_TEXTS = {
    ProblemKind.MISSING: gettext_lazy(
        "Rows are missing before this one (expected row %(expected)s)."
    ),
    ProblemKind.LINK: gettext_lazy(
        "This row does not link to the row before it: rows were removed, inserted or reordered."
    ),
    ProblemKind.CHANGED: gettext_lazy(
        "This row was changed after it was written, or it was not signed with this "
        "site's audit key."
    ),
    ProblemKind.ACTOR_CHANGED: gettext_lazy(
        "The person recorded for this row was changed after it was written."
    ),
    ProblemKind.ACTOR_REFERENCE: gettext_lazy(
        "The row's link to a user account was changed: it no longer matches the recorded person."
    ),
    ProblemKind.PSEUDONYM_UNRECORDED: gettext_lazy(
        "The person is shown as erased, but no erasure of them was recorded."
    ),
    ProblemKind.HEAD_SIGNATURE: gettext_lazy(
        "The kept head of the chain (its length and newest row) was changed outside Medvirk."
    ),
    ProblemKind.HEAD_LENGTH: gettext_lazy(
        "The log has %(rows)s rows, but the kept head of the chain says %(length)s: the "
        "newest rows may have been deleted."
    ),
    ProblemKind.HEAD_HASH: gettext_lazy(
        "The newest row does not match the kept head of the chain."
    ),
    ProblemKind.ANCHOR_SIGNATURE: gettext_lazy(
        "The exported head file is not signed with this site's audit key: it was changed "
        "or comes from another site."
    ),
    ProblemKind.ANCHOR_SHORTER: gettext_lazy(
        "The log ends at row %(rows)s, but it had %(length)s rows when its head was "
        "exported (%(time)s): rows were deleted."
    ),
    ProblemKind.ANCHOR_MISMATCH: gettext_lazy(
        "Row %(length)s is not the row that was the newest when the head was exported "
        "(%(time)s): the log was rewritten."
    ),
}


def _problem(seq: int | None, kind: ProblemKind, **values: object) -> Problem:
    text = str(_TEXTS[kind])
    return Problem(seq, kind, text % values if values else text)


@dataclass(frozen=True)
class Anchor:
    """A head exported by :func:`export_head` and kept outside the database."""

    length: int
    head_hash: str
    exported_at: str
    signature: str


def export_head() -> str:
    """The current head as signed JSON, for the operator to keep on another machine."""
    key = _key()
    head = AuditHead.objects.filter(pk=1).first()
    length, head_hash = (head.length, head.head_hash) if head else (0, GENESIS)
    exported_at = timezone.now().isoformat(timespec="seconds")
    return json.dumps(
        {
            "format": EXPORT_FORMAT,
            "length": length,
            "head_hash": head_hash,
            "exported_at": exported_at,
            "signature": _sign_export(length, head_hash, exported_at, key),
        },
        indent=2,
    )


def read_anchor(text: str) -> Anchor:
    """Parse an exported head; ValueError when the text is not one."""
    try:
        raw = json.loads(text)
        return Anchor(
            length=int(raw["length"]),
            head_hash=str(raw["head_hash"]),
            exported_at=str(raw["exported_at"]),
            signature=str(raw["signature"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError("not an exported audit head") from exc


def _signed_records(key: bytes) -> tuple[int | None, dict[str, set[int]]]:
    """The upgrade's cut-over row number and every recorded pseudonym with its rows.

    Only rows whose signature holds count: a row the attacker wrote excuses nothing.
    """
    cutover: int | None = None
    erased: dict[str, set[int]] = {}
    rows = AuditEntry.objects.filter(action__in=[ERASURE_ACTION, REKEY_ACTION]).order_by("seq")
    for entry in rows:
        if not _same(_sign(entry, key), entry.entry_hash) or not isinstance(entry.data, dict):
            continue
        if entry.action == REKEY_ACTION:
            cutover = entry.seq if cutover is None else cutover
            pseudonyms = entry.data.get("pseudonyms", {})
        else:
            pseudonyms = {entry.data.get("pseudonym", ""): entry.data.get("seqs", [])}
        for pseudonym, seqs in pseudonyms.items():
            erased.setdefault(str(pseudonym), set()).update(int(seq) for seq in seqs)
    return cutover, erased


def _actor_problems(
    entry: AuditEntry, erased: dict[str, set[int]], unlinked: dict[int, list[int]]
) -> list[Problem]:
    if not entry.actor_salt and entry.actor_label.startswith(PSEUDONYM_PREFIX):
        found = []
        if entry.seq not in erased.get(entry.actor_label, set()):
            found.append(_problem(entry.seq, ProblemKind.PSEUDONYM_UNRECORDED))
        if entry.actor_id is not None:
            found.append(_problem(entry.seq, ProblemKind.ACTOR_REFERENCE))
        return found
    if not entry.actor_salt or not _same(
        _commit(entry.actor_salt, entry.actor_label), entry.actor_commitment
    ):
        return [_problem(entry.seq, ProblemKind.ACTOR_CHANGED)]
    # The label is bound to the signed commitment; the account link must agree with it.
    named = _named_user(entry.actor_label)
    if entry.actor_id is not None and entry.actor_id != named:
        return [_problem(entry.seq, ProblemKind.ACTOR_REFERENCE)]
    if entry.actor_id is None and named is not None:
        # Fine if the account was deleted (the link is then emptied); checked after the walk.
        unlinked.setdefault(named, []).append(entry.seq)
    return []


def _unlinked_problems(unlinked: dict[int, list[int]]) -> list[Problem]:
    existing = get_user_model().objects.filter(pk__in=list(unlinked)).values_list("pk", flat=True)
    return [_problem(seq, ProblemKind.ACTOR_REFERENCE) for pk in existing for seq in unlinked[pk]]


def _head_problems(rows: int, newest: str, key: bytes) -> list[Problem]:
    found = []
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:  # nothing was ever recorded
        length, head_hash = 0, GENESIS
    else:
        length, head_hash = head.length, head.head_hash
        if not _same(head.signature, _sign_head(length, head_hash, key)):
            found.append(_problem(None, ProblemKind.HEAD_SIGNATURE))
    if rows != length:
        found.append(_problem(None, ProblemKind.HEAD_LENGTH, rows=rows, length=length))
    if newest != head_hash:
        found.append(_problem(None, ProblemKind.HEAD_HASH))
    return found


def _anchor_problems(anchor: Anchor, last_seq: int, key: bytes) -> list[Problem]:
    expected = _sign_export(anchor.length, anchor.head_hash, anchor.exported_at, key)
    if not _same(anchor.signature, expected):
        return [_problem(None, ProblemKind.ANCHOR_SIGNATURE)]
    if anchor.length == 0:
        return []
    values = {"length": anchor.length, "time": anchor.exported_at, "rows": last_seq}
    if last_seq < anchor.length:
        return [_problem(None, ProblemKind.ANCHOR_SHORTER, **values)]
    row = AuditEntry.objects.filter(seq=anchor.length).only("entry_hash").first()
    if row is None or not _same(row.entry_hash, anchor.head_hash):
        return [_problem(None, ProblemKind.ANCHOR_MISMATCH, **values)]
    return []


def verify(anchor: Anchor | None = None) -> list[Problem]:
    """Walk the whole chain; return every inconsistency found (empty list = intact).

    With ``anchor`` (a head exported earlier), also check the chain still holds that head
    at that position — the one check that needs something kept outside the database.
    """
    key = _key()
    cutover, erased = _signed_records(key)
    problems: list[Problem] = []
    unlinked: dict[int, list[int]] = {}
    prev = GENESIS
    expected_seq = 1
    count = 0
    last_seq = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        last_seq = entry.seq
        if entry.seq != expected_seq:
            problems.append(_problem(entry.seq, ProblemKind.MISSING, expected=expected_seq))
            expected_seq = entry.seq
        if entry.prev_hash != prev:
            problems.append(_problem(entry.seq, ProblemKind.LINK))
        legacy = cutover is not None and entry.seq < cutover
        expected_hash = _legacy_hash(entry) if legacy else _sign(entry, key)
        if not _same(expected_hash, entry.entry_hash):
            problems.append(_problem(entry.seq, ProblemKind.CHANGED))
        problems.extend(_actor_problems(entry, erased, unlinked))
        prev = entry.entry_hash
        expected_seq += 1
    problems.extend(_unlinked_problems(unlinked))
    problems.sort(key=lambda p: p.seq or 0)
    problems.extend(_head_problems(count, prev, key))
    if anchor is not None:
        problems.extend(_anchor_problems(anchor, last_seq, key))
    return problems


def entries_for(municipality_ids: Iterable[int]) -> QuerySet[AuditEntry]:
    """The log rows about these municipalities, newest first (the staff audit page)."""
    return AuditEntry.objects.filter(municipality_id_ref__in=list(municipality_ids)).order_by(
        "-seq"
    )
