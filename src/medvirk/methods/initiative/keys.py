"""Keyed hashes that make "one signature per person" hold in the database.

An e-ID signature keeps ``HMAC(pepper, "initiative-signature:<proposal>:" + identity)``,
where the identity is the account's keyed national-id hash (``User.national_id_hash``) or,
for an e-ID without a national number, its subject hash (``User.subject_hash``). The row is
unique per proposal on it, so a second account of the same person cannot sign again, and
two rows can never be one person by accident. Keyed per proposal, so the signatures of
different proposals cannot be joined into a list of what one person signed (a political
opinion) from a copy of the database, even after the account is gone.

A paper signature keeps ``HMAC(pepper, "initiative-paper:<proposal>:" + name + birth
date)``, with the name normalised (case, spaces, hyphens, dots, accents other than æøå), so
the same person written twice on paper lists is found. A paper row cannot be matched to an
e-ID signature: those carry no name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import unicodedata
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from medvirk.identity.types import User


def _hmac(message: str) -> str:
    key = str(settings.MEDVIRK_IDENTITY_PEPPER).encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def identity_of(user: User) -> str | None:
    """The account's keyed identity: its national-id hash, else its e-ID subject hash."""
    return user.national_id_hash or user.subject_hash or None


def signature_key(initiative_id: int, identity: str) -> str:
    return _hmac(f"initiative-signature:{initiative_id}:{identity}")


_KEEP = frozenset("æøå")


def normalise_name(name: str) -> str:
    """ "Kari  Nordmann-Ås", "kari nordmann ås" and "Kári Nordmann Ås" are one name."""
    letters = []
    for char in unicodedata.normalize("NFKC", name).casefold():
        if char in _KEEP:
            letters.append(char)  # å is a + ring in NFD: keep the Norwegian letters whole
            continue
        base = unicodedata.normalize("NFD", char)
        letters.append("".join(c for c in base if unicodedata.category(c) != "Mn"))
    cleaned = "".join(ch if ch.isalnum() else " " for ch in "".join(letters))
    return " ".join(cleaned.split())


def paper_key(initiative_id: int, name: str, birth_date: dt.date) -> str:
    return _hmac(f"initiative-paper:{initiative_id}:{normalise_name(name)}|{birth_date}")
