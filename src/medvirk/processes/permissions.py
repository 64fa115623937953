"""May a resident act in a method right now? One place, so views and tests agree.

Residents' actions come from the method manifest (timings and identity level); every answer
carries a reason to show. Staff capabilities by role live in ``organisations.capabilities``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from medvirk.core.errors import ActionRefused
from medvirk.identity.models import AssuranceLevel

from . import registry
from .models import MethodInstance, ProcessStatus
from .phases import Timing, timing

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.models import User

    AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""
    needs_level: AssuranceLevel | None = None

    def __bool__(self) -> bool:
        return self.allowed


def user_level(user: AnyUser) -> AssuranceLevel:
    if not user.is_authenticated:
        return AssuranceLevel.ANONYMOUS
    level: AssuranceLevel = user.assurance_level
    return level


def required_level(method: MethodInstance, action_key: str) -> AssuranceLevel:
    manifest = registry.get(method.method_key)
    override = method.identity_levels.get(action_key)
    if override is not None:
        return AssuranceLevel(int(override))
    return manifest.action(action_key).default_level


def can_act(
    user: AnyUser, method: MethodInstance, action_key: str, now: dt.datetime | None = None
) -> Verdict:
    """May this person take this action in this method right now?"""
    process = method.process
    if process.status == ProcessStatus.DECIDED:
        return Verdict(False, _("This case has been decided. Input can no longer be given."))
    if method.closed_at is not None:
        return Verdict(False, _("This is closed. Input can no longer be given here."))
    if process.status != ProcessStatus.PUBLISHED or not method.is_published:
        return Verdict(False, _("This case is not open for input."))
    try:
        action = registry.get(method.method_key).action(action_key)
    except (KeyError, registry.RegistryError):
        return Verdict(False, _("This action is not offered here."))
    when = timing(method.phase, now)
    if when not in action.timings:
        if when is Timing.BEFORE:
            return Verdict(False, _("This opens on %(date)s.") % {"date": method.phase.start})
        return Verdict(False, _("This phase is closed. Input can no longer be given here."))
    needed = required_level(method, action_key)
    if user_level(user) < needed:
        return Verdict(
            False,
            _("You need to log in with %(level)s to do this.") % {"level": needed.label},
            needs_level=needed,
        )
    return Verdict(True)


class NeedsLogin(ActionRefused):
    """The action needs more identity than the person has: logging in (with e-ID) helps.
    Pages show a login link for it; every method raises this one."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message, status=status)


def require(user: AnyUser, method: MethodInstance, action_key: str) -> None:
    """:func:`can_act` as an exception: :class:`NeedsLogin` when a higher identity level
    would do, else :class:`ActionRefused` (403) with the reason."""
    verdict = can_act(user, method, action_key)
    if not verdict:
        if verdict.needs_level is not None:
            raise NeedsLogin(verdict.reason)
        raise ActionRefused(verdict.reason, status=403)
