"""The private links of following a thread: confirm an address, and stop following.

The token is a path segment (never a query string): a keyed hash of the follow's id and its
stored nonce, one per purpose, so a confirmation link cannot stop a follow or the other way
round, and a copy of the database alone cannot make either. The links themselves are never
stored; the tasks make them when they write the e-mail.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from medvirk.processes import registry

from .models import ThreadFollow

CONFIRM = "confirm"
STOP = "stop"
PURPOSES = (CONFIRM, STOP)


def follow_token(follow: ThreadFollow, purpose: str) -> str:
    """The secret in a follow's ``confirm`` or ``stop`` link."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    return salted_hmac(
        f"medvirk.discussion.follow.{purpose}",
        f"{follow.pk}:{follow.nonce}",
        algorithm="sha256",
    ).hexdigest()[:40]


def follow_by_token(pk: int, token: str, purpose: str) -> ThreadFollow | None:
    """The follow a link names, or None when the token does not fit."""
    follow = (
        ThreadFollow.objects.select_related("root__contribution__method_instance__process")
        .filter(pk=pk)
        .first()
    )
    if follow is None or not constant_time_compare(follow_token(follow, purpose), token):
        return None
    return follow


def _base() -> str:
    return str(settings.MEDVIRK_BASE_URL).rstrip("/")


def absolute(follow: ThreadFollow, purpose: str) -> str:
    """The full link for an e-mail (the method's own address for the thread's instance)."""
    instance = follow.root.contribution.method_instance
    assert instance is not None
    plugin = registry.get(instance.method_key)
    name = "follow_confirm" if purpose == CONFIRM else "unfollow"
    path = plugin.url(instance, name, pk=follow.pk, token=follow_token(follow, purpose))
    return _base() + path
