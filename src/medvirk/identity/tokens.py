"""The signed link that confirms an e-mail address (made by the task, checked by the action)."""

from __future__ import annotations

from django.core import signing

from .models import User

EMAIL_CONFIRM_SALT = "medvirk.identity.email-confirm"
EMAIL_CONFIRM_MAX_AGE = 3 * 24 * 3600


def email_confirmation_token(user: User, email: str) -> str:
    return signing.dumps({"u": user.pk, "e": email}, salt=EMAIL_CONFIRM_SALT, compress=True)
