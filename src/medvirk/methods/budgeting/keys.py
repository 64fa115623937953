"""Keyed hashes that make "one ballot per voter" hold in the database, and voting codes.

A ballot keeps ``HMAC(pepper, "budgeting:<instance>:<how>:<who>")`` and nothing else of the
voter, unique per instance:

- e-ID: ``<who>`` is the account's keyed national-id hash (``User.national_id_hash``), or
  for an e-ID without a national number its subject hash: the same person from two accounts
  is one voter, and the national id never reaches the ballot;
- a voting code: the code itself (a code is one voter);
- a member of a voter group: the account.

Keyed per instance, so the ballots of two budgets cannot be joined into one person's votes
from a copy of the database.

Codes are eight characters from 31 letters and digits without look-alikes (no 0/O, 1/I/L),
shown as ``ABCD-EFGH`` and typed with or without the dash or spaces, in any case.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.types import User

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
_TYPED = re.compile(r"[\s\-–.]")


def _hmac(message: str) -> str:
    key = str(settings.MEDVIRK_IDENTITY_PEPPER).encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def identity_of(user: User | AnonymousUser) -> str | None:
    """The account's keyed identity from its e-ID: national-id hash, else subject hash."""
    if not user.is_authenticated:
        return None
    return getattr(user, "national_id_hash", None) or getattr(user, "subject_hash", None) or None


def eid_key(instance_id: int, identity: str) -> str:
    return _hmac(f"budgeting:{instance_id}:eid:{identity}")


def code_key(instance_id: int, code: str) -> str:
    return _hmac(f"budgeting:{instance_id}:code:{code}")


def member_key(instance_id: int, user_id: int) -> str:
    return _hmac(f"budgeting:{instance_id}:member:{user_id}")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(typed: str) -> str:
    """What a voter typed as a stored code ('abcd-efgh ' → 'ABCDEFGH'); '' if it cannot be."""
    code = _TYPED.sub("", typed or "").upper()
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return ""
    return code


def shown(code: str) -> str:
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}" if len(code) == CODE_LENGTH else code
