"""Reads of municipalities and staff roles for the pages above (public and staff)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from medvirk.identity.models import User
from medvirk.vocabulary import Capability

from .capabilities import STAFF_CAPABILITIES, STAFF_ROLES
from .models import Membership, Municipality

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

# -- public -------------------------------------------------------------------------------


def municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.all()


def municipality_by_slug(slug: str) -> Municipality | None:
    return Municipality.objects.filter(slug=slug).first() if slug else None


# -- staff --------------------------------------------------------------------------------


def municipality_by_pk(pk: int) -> Municipality | None:
    return Municipality.objects.filter(pk=pk).first()


def municipality_ids_of(user: AnyUser) -> list[int]:
    """Where the person holds any staff role (empty for everyone else)."""
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user_id=user.pk, role__in=STAFF_ROLES)
        .values_list("municipality_id", flat=True)
        .distinct()
        .order_by("municipality_id")
    )


def municipalities_where(user: AnyUser, capability: Capability) -> QuerySet[Municipality]:
    """The municipalities where one of the person's roles grants the capability (one query)."""
    if not user.is_authenticated:
        return Municipality.objects.none()
    granting = [role for role, caps in STAFF_CAPABILITIES.items() if capability in caps]
    return Municipality.objects.filter(
        pk__in=Membership.objects.filter(user_id=user.pk, role__in=granting).values(
            "municipality_id"
        )
    )


def memberships_of(municipality: Municipality) -> QuerySet[Membership]:
    return Membership.objects.filter(municipality=municipality).select_related("user")


def membership_in(municipality: Municipality, pk: int) -> Membership | None:
    """The municipality's own staff role; another municipality's is not found."""
    return Membership.objects.filter(municipality=municipality, pk=pk).first()


def person_by_login(needle: str) -> User | None:
    """The account to give a role to: exact username, or e-mail in any case."""
    needle = needle.strip()
    if not needle:
        return None
    return User.objects.filter(Q(username=needle) | Q(email__iexact=needle)).first()
