"""Writes about people: verified logins, e-mail confirmation, erasure.

In-person identity checks are a staff action: ``organisations.identity_checks``.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.core import audit
from medvirk.core.errors import ActionRefused

from . import hashing, personal_data
from .models import User
from .providers import Provider, VerifiedIdentity

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

EMAIL_CONFIRM_SALT = "medvirk.identity.email-confirm"
EMAIL_CONFIRM_MAX_AGE = 3 * 24 * 3600


def _keys(identity: VerifiedIdentity) -> tuple[str | None, str | None]:
    """(national_id_hash, subject_hash): a national number wins when there is one."""
    if identity.national_id:
        return hashing.national_id_hash(identity.national_id), None
    return None, hashing.subject_hash(identity.issuer, identity.subject)


def do_login_verified(
    current: AbstractBaseUser | AnonymousUser, identity: VerifiedIdentity, provider: Provider
) -> User:
    """Find, link or create the account for a verified identity; the caller logs it in.

    The same person always maps to the same account (by the keyed hash). A person who is
    already logged in raises their own account's level, unless that e-ID already belongs
    to another account.
    """
    provider.check_acr(identity.acr)
    nid_hash, sub_hash = _keys(identity)
    lookup = Q(national_id_hash=nid_hash) if nid_hash else Q(subject_hash=sub_hash)
    try:
        with transaction.atomic():
            existing = User.objects.select_for_update().filter(lookup).first()
            if current.is_authenticated:
                if existing is not None and existing.pk != current.pk:
                    raise ActionRefused(
                        _(
                            "This e-ID is already connected to another account. Log out and "
                            "log in with the e-ID to use that account."
                        ),
                        status=409,
                    )
                user = User.objects.select_for_update().get(pk=current.pk)
                if (nid_hash and user.national_id_hash not in (None, nid_hash)) or (
                    sub_hash and user.subject_hash not in (None, sub_hash)
                ):
                    raise ActionRefused(
                        _("Your account is already verified as another person."), status=409
                    )
            elif existing is not None:
                user = existing
            else:
                user = User(username=f"eid-{secrets.token_hex(6)}")
                user.set_unusable_password()
            if nid_hash:
                user.national_id_hash = nid_hash
            else:
                user.subject_hash = sub_hash
            user.verified_at = timezone.now()
            user.verified_via = provider.key[:50]
            if identity.name and not (user.first_name or user.last_name):
                first, _sep, last = identity.name.partition(" ")
                user.first_name, user.last_name = first[:150], last[:150]
            language = identity.locale[:2]
            if not user.preferred_language and language in dict(settings.LANGUAGES):
                user.preferred_language = language
            if user.is_active is False:
                raise ActionRefused(_("This account is closed."), status=403)
            user.save()
    except IntegrityError as exc:  # two first logins of the same person at once
        raise ActionRefused(_("Please try to log in again."), status=409) from exc
    return user


# -- e-mail confirmation ----------------------------------------------------------------


def email_confirmation_token(user: User, email: str) -> str:
    return signing.dumps({"u": user.pk, "e": email}, salt=EMAIL_CONFIRM_SALT, compress=True)


def send_email_confirmation(user: User, email: str) -> None:
    """Store the address (not yet confirmed) and send a signed link to it."""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ActionRefused(_("The e-mail address is not valid.")) from exc
    with transaction.atomic():
        if user.email.lower() != email.lower():
            user.email = email
            user.email_verified = False
            user.save(update_fields=["email", "email_verified"])
    link = settings.MEDVIRK_BASE_URL.rstrip("/") + reverse(
        "identity:email_confirm", kwargs={"token": email_confirmation_token(user, email)}
    )
    send_mail(
        _("Confirm your e-mail address"),
        _(
            "Open this link to confirm that this is your e-mail address on Medvirk:\n\n%(link)s\n\n"
            "The link works for three days. If you did not ask for this, ignore this message."
        )
        % {"link": link},
        None,
        [email],
    )


def do_confirm_email(user: User, token: str) -> User:
    try:
        data = signing.loads(token, salt=EMAIL_CONFIRM_SALT, max_age=EMAIL_CONFIRM_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ActionRefused(_("The link is too old. Ask for a new one on My page.")) from exc
    except signing.BadSignature as exc:
        raise ActionRefused(_("The link is not valid.")) from exc
    if not isinstance(data, dict) or data.get("u") != user.pk:
        raise ActionRefused(
            _("The link belongs to another account. Log in with the account it was sent for."),
            status=403,
        )
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.email.lower() != str(data.get("e", "")).lower():
            raise ActionRefused(_("The e-mail address has changed since the link was sent."))
        locked.email_verified = True
        locked.save(update_fields=["email_verified"])
    return locked


# -- erasure ---------------------------------------------------------------------------


def do_erase_account(user: User) -> None:
    """Erase a person: input stays in its case without them, the audit log keeps a pseudonym.

    Every registered personal-data section erases its part in one transaction (in the
    sections' order: see ``personal_data``); then the audit log's actor becomes a pseudonym
    (the chain still verifies) and the account goes.
    """
    try:
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            for section in personal_data.erasure_order():
                section.erase(locked)
            audit.pseudonymise_actor(locked.pk)
            locked.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ActionRefused(
            _(
                "Your account is still needed by records the municipality must keep. Contact "
                "the municipality's privacy contact to have it erased."
            ),
            status=409,
        ) from exc
