"""Keyed hashes and codes of a referendum: who is on the roll, and the change code.

- **The roll's key**: ``HMAC(pepper, "referendum-voter:<referendum>:" + identity)``, where
  the identity is the keyed hash of the national identity number (``User.national_id_hash``,
  or ``identity.hashing.national_id_hash`` of a number typed at a polling place). Keyed per
  referendum, so the rolls of two referendums cannot be joined into a list of who voted in
  both, and a copy of the database without the pepper cannot be tried against numbers.
- **The change code** (only when the council allowed re-voting): 20 random characters shown
  once on the receipt, never stored. The ballot keeps
  ``HMAC(pepper, "referendum-change:<referendum>:" + roll key + ":" + code)``: the server
  can find the ballot again only when the person (logged in, so the roll key is known)
  brings the code; without the code nothing in the database leads from a person to a
  ballot, and the code alone is useless to anyone who is not that person.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

# No 0/O, 1/I/L or U: read aloud and typed without mistakes. 30 symbols × 20 ≈ 98 bits.
ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 20
GROUP = 4


def _hmac(message: str) -> str:
    key = str(settings.MEDVIRK_IDENTITY_PEPPER).encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def voter_key(referendum_id: int, identity: str) -> str:
    return _hmac(f"referendum-voter:{referendum_id}:{identity}")


def new_code() -> str:
    """A fresh change code, grouped for reading: ``ABCD-EFGH-JKMN-PQRS-TVWX``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normalise_code(typed: str) -> str | None:
    """The code as typed (any case, spaces or hyphens) in its plain form; None when it cannot
    be a code."""
    plain = "".join(ch for ch in typed.upper() if not ch.isspace() and ch not in "-–.")
    if len(plain) != CODE_LENGTH or any(ch not in ALPHABET for ch in plain):
        return None
    return plain


def change_hash(referendum_id: int, voter: str, code: str) -> str:
    plain = normalise_code(code)
    if plain is None:
        raise ValueError("not a change code")
    return _hmac(f"referendum-change:{referendum_id}:{voter}:{plain}")
