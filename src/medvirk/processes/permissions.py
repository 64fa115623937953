"""Who may do what, where and when. One place, so views and tests agree.

Residents' actions come from the method manifest (timings and identity level); staff
actions from their role in the municipality. Every answer carries a reason to show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from medvirk.identity.models import AssuranceLevel
from medvirk.organisations.models import Membership, Municipality, Role

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


# Staff capabilities by role. Case officers run processes and answer input; moderators
# judge what is shown publicly; administrators can do everything, including roles.
STAFF_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(
        {
            "manage_process",
            "respond",
            "moderate",
            "register_offline",
            "decide",
            "manage_roles",
            "view_audit",
            "verify_identity",
            "export",
        }
    ),
    Role.CASE_OFFICER: frozenset(
        {"manage_process", "respond", "register_offline", "decide", "export", "verify_identity"}
    ),
    Role.MODERATOR: frozenset({"moderate", "export"}),
}


def roles(user: AnyUser, municipality: Municipality | int) -> set[str]:
    if not user.is_authenticated:
        return set()
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    cache: dict[int, set[str]] = getattr(user, "_medvirk_roles", {})
    if municipality_id not in cache:
        cache[municipality_id] = set(
            Membership.objects.filter(user=user, municipality_id=municipality_id).values_list(
                "role", flat=True
            )
        )
        user._medvirk_roles = cache  # type: ignore[attr-defined]  # per-request memo
    return cache[municipality_id]


def staff_can(user: AnyUser, capability: str, municipality: Municipality | int) -> bool:
    return any(capability in STAFF_CAPABILITIES.get(r, ()) for r in roles(user, municipality))


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
