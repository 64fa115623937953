"""Granting and revoking staff roles (administrators only; audited; never the last admin)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.vocabulary import Capability

from . import capabilities
from .models import Membership, Municipality, Role

if TYPE_CHECKING:
    from medvirk.identity.models import User


def _require_admin(staff: User, municipality: Municipality) -> None:
    if not capabilities.staff_can(staff, Capability.MANAGE_ROLES, municipality):
        raise ActionRefused(_("Only administrators can change staff roles."), status=403)


def do_grant_role(staff: User, municipality: Municipality, person: User, role: str) -> Membership:
    _require_admin(staff, municipality)
    if role not in Role.values:
        raise ActionRefused(_("Unknown role."))
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=person, municipality=municipality, role=role
            )
            audit.record(
                "role.granted",
                actor=staff,
                obj=membership,
                municipality_id=municipality.pk,
                data={"user": person.pk, "role": role},
            )
    except IntegrityError as exc:
        raise ActionRefused(_("This person already has that role.")) from exc
    return membership


def do_revoke_role(staff: User, membership: Membership) -> None:
    municipality = membership.municipality
    _require_admin(staff, municipality)
    with transaction.atomic():
        admins = Membership.objects.select_for_update().filter(
            municipality=municipality, role=Role.ADMINISTRATOR
        )
        if membership.role == Role.ADMINISTRATOR and admins.count() <= 1:
            raise ActionRefused(_("A municipality must keep at least one administrator."))
        audit.record(
            "role.revoked",
            actor=staff,
            obj=membership,
            municipality_id=municipality.pk,
            data={"user": membership.user_id, "role": membership.role},
        )
        membership.delete()
