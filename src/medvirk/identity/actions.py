"""Writes about people: verified logins, e-mail confirmation, disputes, erasure.

In-person identity checks are a staff action: ``organisations.identity_checks``; the
person disputes one here.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from medvirk.core import audit, ratelimit
from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_line

from . import eligibility, hashing, personal_data, signals, tasks
from .models import InPersonVerification, User
from .providers import Provider, VerifiedIdentity
from .tokens import EMAIL_CONFIRM_MAX_AGE, EMAIL_CONFIRM_SALT
from .tokens import email_confirmation_token as email_confirmation_token  # made by the task

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


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
                user.birth_year = eligibility.birth_year_of(identity.national_id or "")
            else:
                user.subject_hash = sub_hash
            user.verified_at = timezone.now()
            user.verified_via = provider.key[:50]
            # Without bidi or zero-width characters; an invisible name must not block a login.
            name = clean_line(identity.name)
            if name and not (user.first_name or user.last_name):
                first, _sep, last = name.partition(" ")
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


def send_email_confirmation(user: User, email: str) -> None:
    """Store the address (not yet confirmed) and queue a signed link to it.

    At most ``MEDVIRK_RATE_LIMITS["email_to"]`` such e-mails go to one address in a window,
    whoever asks: nobody can use Medvirk to flood someone else's inbox. The e-mail leaves
    from a task, so a slow or broken mail server never holds up the person.
    """
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ActionRefused(_("The e-mail address is not valid.")) from exc
    if not ratelimit.hit("email_to", email.lower()):
        raise ratelimit.Limited(ratelimit.too_many_emails_message(), "email_to")
    with transaction.atomic():
        if user.email.lower() != email.lower():
            user.email = email
            user.email_verified = False
            user.save(update_fields=["email", "email_verified"])
    # After the atomic block: the address is committed when a worker picks the task up.
    tasks.send_email_confirmation.enqueue(user.pk, email, get_language() or "")


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


# -- disputing an in-person check ----------------------------------------------------------

IN_PERSON = "in_person"
DISPUTE_NOTE_MAX = 1000


def do_dispute_in_person_check(user: User, check_id: int, note: str = "") -> InPersonVerification:
    """The person says an in-person check of their account was not them.

    The check stops counting at once, pending an administrator's review: the account loses
    the verified level the check gave and the national identity number the check bound (a
    number bound by someone else would let its holder log in to this account with e-ID).
    A person who was checked rightly gets the level back by logging in with e-ID or being
    checked again after the review. Audited; the municipality's administrators are told
    after commit (``signals.in_person_check_disputed``).
    """
    note = note.strip()[:DISPUTE_NOTE_MAX]
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        check = (
            InPersonVerification.objects.select_for_update()
            .filter(pk=check_id, user=locked)
            .first()
        )
        if check is None:
            raise ActionRefused(_("There is no such identity check on your account."), status=404)
        if check.disputed_at is not None:
            raise ActionRefused(_("You have already disputed this identity check."), status=409)
        removed_number = bool(check.bound_national_id and locked.national_id_hash)
        if removed_number:
            locked.national_id_hash = None
            locked.birth_year = None
        lowered = locked.verified_at is not None and (
            locked.verified_via == IN_PERSON or removed_number
        )
        if lowered:
            locked.verified_at = None
            locked.verified_via = ""
        locked.save(update_fields=["national_id_hash", "birth_year", "verified_at", "verified_via"])
        check.disputed_at = timezone.now()
        check.dispute_note = note
        check.save(update_fields=["disputed_at", "dispute_note"])
        # The note stays out of the append-only log: it is the person's data to erase.
        audit.record(
            "identity.in_person_disputed",
            actor=locked,
            obj=check,
            municipality_id=check.municipality_id,
            data={"removed_national_id": removed_number, "level_lowered": lowered},
        )
        check_pk, municipality_id = check.pk, check.municipality_id
        transaction.on_commit(
            lambda: signals.in_person_check_disputed.send(
                sender=InPersonVerification, check_id=check_pk, municipality_id=municipality_id
            )
        )
    return check


# -- erasure ---------------------------------------------------------------------------


def do_erase_account(user: User) -> None:
    """Erase a person: input stays in its case without them, the audit log keeps a pseudonym.

    Every registered personal-data section erases its part in one transaction (in the
    sections' order: see ``personal_data``); then the audit log's actor becomes a pseudonym
    (the chain still verifies) and the account goes. ``pseudonymise_actor`` writes the
    erasure's own audit row (the pseudonym and its rows, never the name): without it a
    pseudonym in the log would count as tampering.
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
