"""A teacher's private link (``laerar/<token>/``): ``<pk>-<mac>`` with
``mac = HMAC(secret, pk + nonce)``, as the core makes receipt links. Only the nonce is
stored, so a copy of the database opens no link, and revoking clears it. The token is a
path segment, never a query string."""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings

from medvirk.processes import registry
from medvirk.processes.types import MethodInstance

from .models import TeacherLink

SALT = "medvirk.map_input.teacher"


def _mac(pk: int, nonce: str) -> str:
    key = f"{SALT}:{settings.SECRET_KEY}".encode()
    digest = hmac.new(key, f"{pk}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def token(link: TeacherLink) -> str:
    return f"{link.pk}-{_mac(link.pk, link.nonce)}"


def find(instance: MethodInstance, token_text: str) -> TeacherLink | None:
    """The open link of this instance that ``token_text`` is, or None."""
    pk_text, sep, mac = token_text.partition("-")
    if not sep or not mac or len(token_text) > 80:
        return None
    if not pk_text.isascii() or not pk_text.isdigit() or len(pk_text) > 12:
        return None
    link = TeacherLink.objects.filter(
        pk=int(pk_text), method_instance=instance, revoked_at__isnull=True
    ).first()
    if link is None or not link.nonce or not hmac.compare_digest(_mac(link.pk, link.nonce), mac):
        return None
    return link


def path(instance: MethodInstance, link: TeacherLink) -> str:
    return registry.get(instance.method_key).url(instance, "teacher", token=token(link))


def absolute(instance: MethodInstance, link: TeacherLink) -> str:
    return str(settings.MEDVIRK_BASE_URL).rstrip("/") + path(instance, link)
