"""Following a process by e-mail, with double opt-in (nothing is sent until confirmed)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.core.errors import ActionRefused
from medvirk.core.tokens import new_nonce, receipt_token
from medvirk.processes.models import Process

from .models import Subscription


def _token(subscription: Subscription) -> str:
    return receipt_token(-subscription.pk, subscription.token_hash)


def do_subscribe(process: Process, email: str) -> Subscription | None:
    """Ask the address to confirm; an address already following is not told apart."""
    email = email.strip().lower()
    try:
        with transaction.atomic():
            subscription = Subscription.objects.create(
                process=process, email=email, token_hash=new_nonce()
            )
    except IntegrityError:
        return None  # already subscribed: say the same thing, reveal nothing
    link = settings.MEDVIRK_BASE_URL.rstrip("/") + reverse(
        "public:confirm_subscription",
        kwargs={"pk": subscription.pk, "token": _token(subscription)},
    )
    send_mail(
        _("Confirm that you want to follow «%(title)s»") % {"title": process.title},
        _("Open this link to start receiving updates:\n%(link)s\n") % {"link": link},
        process.municipality.email_from or settings.DEFAULT_FROM_EMAIL,
        [email],
    )
    return subscription


def do_confirm(pk: int, token: str) -> Subscription:
    subscription = Subscription.objects.filter(pk=pk).select_related("process").first()
    if subscription is None or _token(subscription) != token:
        raise ActionRefused(_("This link is not valid."), status=404)
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription
