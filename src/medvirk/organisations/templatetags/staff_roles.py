"""What the signed-in person may do, for menus: a link is shown only where it leads somewhere
(no tab that answers 404 for the person who sees it)."""

from __future__ import annotations

from django import template
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from medvirk.organisations import capabilities

register = template.Library()


@register.simple_tag
def capabilities_in(user: AbstractBaseUser | AnonymousUser, municipality_id: int) -> set[str]:
    """The capability names the person holds in one municipality (empty for residents)."""
    return {
        str(capability)
        for role in capabilities.roles(user, municipality_id)
        for capability in capabilities.STAFF_CAPABILITIES.get(role, ())
    }
