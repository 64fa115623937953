"""My page's panels for a person's own input and messages.

Identity owns My page but stands below the apps that hold input and answers, so it shows
them through these tags (loaded by name in its template) instead of importing up.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.base_user import AbstractBaseUser

from medvirk.accountability import queries

register = template.Library()


@register.inclusion_tag("accountability/_my_messages.html")
def my_messages(user: AbstractBaseUser) -> dict[str, Any]:
    return {"notifications": queries.own_notifications(user)[:50]}


@register.inclusion_tag("accountability/_my_input.html")
def my_input(user: AbstractBaseUser) -> dict[str, Any]:
    return {"contributions": queries.own_input(user)[:100]}
