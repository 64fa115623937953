"""Private receipt links, derived with a keyed hash so they can be re-sent at any time.

The link carries ``HMAC(secret, contribution id + nonce)``; only the nonce is stored, so a
copy of the database alone cannot open anyone's receipt, and changing the nonce revokes a
link that was shared by mistake.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings


def new_nonce() -> str:
    return secrets.token_hex(16)


def receipt_token(contribution_pk: int, nonce: str) -> str:
    key = f"medvirk.receipt:{settings.SECRET_KEY}".encode()
    digest = hmac.new(key, f"{contribution_pk}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def check_receipt_token(contribution_pk: int, nonce: str, token: str) -> bool:
    return hmac.compare_digest(receipt_token(contribution_pk, nonce), token)
