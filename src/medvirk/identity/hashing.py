"""Keyed hashes that recognise the same person again without storing who they are.

``HMAC-SHA256(MEDVIRK_IDENTITY_PEPPER, …)``: without the pepper (kept outside the
database) a copy of the database cannot be turned back into national identity numbers by
trying all of them.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def _hmac(message: str) -> str:
    key = str(settings.MEDVIRK_IDENTITY_PEPPER).encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def national_id_hash(pid: str) -> str:
    """The keyed hash of a fødselsnummer / D-number (digits only)."""
    return _hmac("no-pid:" + pid.strip())


def subject_hash(issuer: str, subject: str) -> str:
    """The keyed hash of a login that has no national number (for example Feide)."""
    return _hmac("oidc-sub:" + issuer + "\x1f" + subject)
