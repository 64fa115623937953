"""What staff may do in a municipality: roles grant capabilities. One place, so views agree.

Staff checks live with the roles (organisations), below processes and identity checks, so
every app above can ask ``staff_can`` without reaching up. Residents' checks (method
timings and identity level) stay in ``processes.permissions``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from medvirk.vocabulary import Capability

from .models import Membership, Municipality, Role

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

# Case officers run processes and answer input; moderators judge what is shown publicly;
# administrators can do everything, including roles, except check identities in person:
# that raises an account to a verified identity, so only identity officers do it — a role
# an administrator gives on purpose (to themselves too, audited), and administrators review
# the disputes about those checks.
STAFF_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.ADMINISTRATOR: frozenset(Capability) - {Capability.VERIFY_IDENTITY},
    Role.CASE_OFFICER: frozenset(
        {
            Capability.MANAGE_PROCESS,
            Capability.RESPOND,
            Capability.REGISTER_OFFLINE,
            Capability.DECIDE,
            Capability.EXPORT,
        }
    ),
    Role.MODERATOR: frozenset({Capability.MODERATE, Capability.EXPORT}),
    Role.IDENTITY_OFFICER: frozenset({Capability.VERIFY_IDENTITY}),
    Role.POLITICIAN: frozenset(),
}
# Roles that make someone staff (the staff area, shorter sessions). An elected
# representative's role only marks who they are when they take part (issue 18).
STAFF_ROLES: frozenset[str] = frozenset(r for r, caps in STAFF_CAPABILITIES.items() if caps)


def roles(user: AnyUser, municipality: Municipality | int) -> set[str]:
    """The person's roles in one municipality (memoised on the user for the request)."""
    if not user.is_authenticated:
        return set()
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    cache: dict[int, set[str]] = getattr(user, "_medvirk_roles", {})
    if municipality_id not in cache:
        cache[municipality_id] = set(
            Membership.objects.filter(user_id=user.pk, municipality_id=municipality_id).values_list(
                "role", flat=True
            )
        )
        user._medvirk_roles = cache  # type: ignore[attr-defined]  # per-request memo
    return cache[municipality_id]


def staff_can(
    user: AnyUser, capability: Capability | str, municipality: Municipality | int
) -> bool:
    """Does one of the person's roles in this municipality grant the capability?"""
    return any(capability in STAFF_CAPABILITIES.get(r, ()) for r in roles(user, municipality))


def is_staff_account(user: AnyUser) -> bool:
    """Does the person hold staff powers anywhere: a role, or Django's staff flags?

    Such accounts get shorter sessions (``sessions``) and are never verified in person.
    """
    if not user.is_authenticated:
        return False
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    return Membership.objects.filter(user_id=user.pk, role__in=STAFF_ROLES).exists()
