"""The private links of the meeting method: a gjestebod host's (``vert/<token>/``) and a
registration's (``pamelding/<token>/``).

A token is ``<pk>-<mac>`` with ``mac = HMAC(secret, pk + nonce)``, as ``core.tokens`` makes
receipt links: only the nonce is stored, so a copy of the database alone opens no one's
link, and a new nonce revokes a link given out by mistake. Each kind of link has its own
key, so a registration's token never opens a host's page. The token is a path segment,
never a query string.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings

from medvirk.processes import registry
from medvirk.processes.models import MethodInstance

from .models import Meeting, Registration

HOST = "medvirk.meeting.host"
REGISTRATION = "medvirk.meeting.registration"


def _mac(salt: str, pk: int, nonce: str) -> str:
    key = f"{salt}:{settings.SECRET_KEY}".encode()
    digest = hmac.new(key, f"{pk}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def _split(token: str) -> tuple[int, str] | None:
    pk_text, sep, mac = token.partition("-")
    if not sep or not mac or len(token) > 80:
        return None
    if not pk_text.isascii() or not pk_text.isdigit() or len(pk_text) > 12:
        return None
    return int(pk_text), mac


def host_token(meeting: Meeting) -> str:
    return f"{meeting.pk}-{_mac(HOST, meeting.pk, meeting.host_nonce)}"


def registration_token(registration: Registration) -> str:
    return f"{registration.pk}-{_mac(REGISTRATION, registration.pk, registration.nonce)}"


def find_host_meeting(instance: MethodInstance, token: str) -> Meeting | None:
    """The meeting of this instance whose host link ``token`` is, or None."""
    parts = _split(token)
    if parts is None:
        return None
    pk, mac = parts
    meeting = Meeting.objects.filter(pk=pk, method_instance=instance).exclude(host_nonce="").first()
    if meeting is None or not hmac.compare_digest(_mac(HOST, pk, meeting.host_nonce), mac):
        return None
    return meeting


def find_registration(instance: MethodInstance, token: str) -> Registration | None:
    """The registration for a meeting of this instance that ``token`` opens, or None."""
    parts = _split(token)
    if parts is None:
        return None
    pk, mac = parts
    registration = (
        Registration.objects.filter(pk=pk, meeting__method_instance=instance)
        .select_related("meeting")
        .first()
    )
    if registration is None or not hmac.compare_digest(
        _mac(REGISTRATION, pk, registration.nonce), mac
    ):
        return None
    return registration


def _base() -> str:
    return str(settings.MEDVIRK_BASE_URL).rstrip("/")


def host_path(meeting: Meeting) -> str:
    instance = meeting.method_instance
    return registry.get(instance.method_key).url(instance, "host", token=host_token(meeting))


def host_link(meeting: Meeting) -> str:
    """The absolute host link, for the e-mail."""
    return _base() + host_path(meeting)


def registration_path(registration: Registration) -> str:
    instance = registration.meeting.method_instance
    return registry.get(instance.method_key).url(
        instance, "registration", token=registration_token(registration)
    )


def registration_link(registration: Registration) -> str:
    return _base() + registration_path(registration)


def absolute(path: str) -> str:
    return _base() + path
