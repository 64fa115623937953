"""Which address reaches a person, and how a page shows it without giving it away.

A logged-in resident whose account has a verified e-mail address is never asked for one
again: the receipt, the answer and the news of a case go to that address.
"""

from __future__ import annotations

from typing import Any


def account_email(user: Any) -> str:
    """The verified address of a logged-in person's account; "" when there is none."""
    if not getattr(user, "is_authenticated", False):
        return ""
    if not getattr(user, "email_verified", False):
        return ""
    return str(getattr(user, "email", "") or "").strip()


def masked_email(address: str) -> str:
    """``kari.nordmann@example.org`` → ``k…n@example.org``: enough to recognise one's own."""
    local, _sep, domain = address.strip().rpartition("@")
    if not local or not domain:
        return "…"
    if len(local) <= 2:
        return f"{local[0]}…@{domain}"
    return f"{local[0]}…{local[-1]}@{domain}"


def same_address(one: str, other: str) -> bool:
    return bool(one) and one.strip().lower() == other.strip().lower()
