"""Following a process by e-mail, with double opt-in (nothing is sent until confirmed).

The confirmation e-mail leaves from a task (``tasks.send_subscription_confirmation``), never
while the person waits, and one address gets at most ``MEDVIRK_RATE_LIMITS["email_to"]``
of them in a window, whoever asks. A logged-in person whose account has a verified address
follows with one button: the address is known to be theirs, so nothing needs confirming.
Asking to follow again ends an earlier "no more e-mail about this case" (``unsubscribe``).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from medvirk.core import ratelimit
from medvirk.core.errors import ActionRefused
from medvirk.core.tokens import new_nonce
from medvirk.processes.models import Process

from . import contact, tasks, unsubscribe
from .models import Subscription


def do_subscribe(process: Process, email: str) -> Subscription | None:
    """Ask the address to confirm; an address already following is not told apart."""
    email = email.strip().lower()
    if Subscription.objects.filter(process=process, email=email).exists():
        return None  # already subscribed: say the same thing, reveal nothing
    if not ratelimit.hit("email_to", email):
        # Too many e-mails to this address: send nothing and keep nothing, so the person
        # can follow later; the page says the same as always, revealing nothing either.
        return None
    try:
        with transaction.atomic():
            subscription = Subscription.objects.create(
                process=process, email=email, token_hash=new_nonce(), language=get_language() or ""
            )
    except IntegrityError:
        return None  # subscribed at the same moment: as above
    # After the atomic block: the row is committed when a worker picks the task up.
    tasks.send_subscription_confirmation.enqueue(subscription.pk, get_language() or "")
    return subscription


def do_confirm(pk: int, token: str) -> Subscription:
    subscription = Subscription.objects.filter(pk=pk).select_related("process").first()
    if subscription is None or tasks.subscription_token(subscription) != token:
        raise ActionRefused(_("This link is not valid."), status=404)
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
        unsubscribe.clear_opt_out(subscription.process_id, subscription.email)
    return subscription


def do_follow_with_account(process: Process, user: object, language: str = "") -> Subscription:
    """Follow the case at the account's verified address, confirmed at once.

    Refused (400) when the account has no verified address: then the form asks for one and
    the address is confirmed by e-mail as for anyone.
    """
    email = contact.account_email(user).lower()
    if not email:
        raise ActionRefused(_("Your account has no verified e-mail address."))
    language = language or get_language() or ""
    now = timezone.now()
    with transaction.atomic():
        subscription, created = Subscription.objects.get_or_create(
            process=process,
            email=email,
            defaults={"token_hash": new_nonce(), "confirmed_at": now, "language": language},
        )
        if not created:
            subscription.confirmed_at = subscription.confirmed_at or now
            subscription.language = language
            subscription.save(update_fields=["confirmed_at", "language"])
        unsubscribe.clear_opt_out(process.pk, email)
    return subscription


def follows(process: Process, user: object) -> bool:
    """Does the logged-in person follow the case at their account's verified address?"""
    email = contact.account_email(user)
    return bool(email) and (
        Subscription.objects.filter(
            process=process, email__iexact=email, confirmed_at__isnull=False
        ).exists()
    )
