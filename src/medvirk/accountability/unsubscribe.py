""" "No more e-mail about this case": the signed link in every e-mail, and the opt-out list.

The link names the case and a keyed hash of the address (never the address itself), signed
with Django's signing and a salt of its own, so it cannot be forged or pointed at another
address or case. Opening it shows a confirmation page; confirming records an
:class:`EmailOptOut` (only the hash is kept) and ends a follow by that address. Every task
that sends e-mail about a case skips the addresses that opted out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from medvirk.core.errors import ActionRefused
from medvirk.processes.models import Process

from .models import EmailOptOut, Subscription

SALT = "medvirk.accountability.unsubscribe"
# A link in an old e-mail still works for this long; later the page says it is too old.
MAX_AGE = dt.timedelta(days=2 * 365)


def email_hash(address: str) -> str:
    """The keyed hash of an address (as ``identity.hashing``: HMAC with the pepper kept
    outside the database), case-insensitive."""
    key = str(settings.MEDVIRK_IDENTITY_PEPPER).encode()
    message = "optout-email:" + address.strip().lower()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def token_for(process_id: int, address: str) -> str:
    return signing.dumps({"p": process_id, "h": email_hash(address)}, salt=SALT, compress=True)


def unsubscribe_link(process_id: int, address: str) -> str:
    """The absolute link for the foot of an e-mail to ``address`` about the case."""
    path = reverse("public:unsubscribe", kwargs={"token": token_for(process_id, address)})
    return settings.MEDVIRK_BASE_URL.rstrip("/") + path


@dataclass(frozen=True)
class OptOutRequest:
    process: Process
    email_hash: str


def read_token(token: str) -> OptOutRequest | None:
    """The case and address hash a link names; None when it is forged, changed or too old."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError):  # SignatureExpired is a BadSignature
        return None
    if not isinstance(payload, dict):
        return None
    process_id, hashed = payload.get("p"), payload.get("h")
    if not isinstance(process_id, int) or not isinstance(hashed, str) or len(hashed) != 64:
        return None
    process = Process.objects.filter(pk=process_id).select_related("municipality").first()
    if process is None or not process.is_public:
        return None
    return OptOutRequest(process=process, email_hash=hashed)


def do_unsubscribe(token: str) -> Process:
    """Record the opt-out and end the address's follow of the case (idempotent)."""
    request = read_token(token)
    if request is None:
        raise ActionRefused(_("This link is not valid."), status=404)
    process = request.process
    with transaction.atomic():
        try:
            with transaction.atomic():
                EmailOptOut.objects.get_or_create(process=process, email_hash=request.email_hash)
        except IntegrityError:
            pass  # the same link confirmed twice at once: one row is enough
        # Subscriptions keep the address (to send to it); find this one by its hash.
        following = Subscription.objects.filter(process=process).values_list("pk", "email")
        ids = [pk for pk, email in following if email_hash(email) == request.email_hash]
        Subscription.objects.filter(pk__in=ids).delete()
    return process


def opted_out(process_id: int, addresses: Iterable[str]) -> set[str]:
    """Of these addresses (any case), the lowercased ones that opted out of the case."""
    by_hash = {email_hash(a): a.strip().lower() for a in addresses if a.strip()}
    if not by_hash:
        return set()
    found = EmailOptOut.objects.filter(
        process_id=process_id, email_hash__in=list(by_hash)
    ).values_list("email_hash", flat=True)
    return {by_hash[h] for h in found}


def is_opted_out(process_id: int, address: str) -> bool:
    return bool(opted_out(process_id, [address]))


def clear_opt_out(process_id: int, address: str) -> None:
    """The person asked to follow the case again: their earlier "no more e-mail" ends."""
    EmailOptOut.objects.filter(process_id=process_id, email_hash=email_hash(address)).delete()
