"""The case page's "Follow this case" box ("Følg saka").

A logged-in person with a verified address follows with one button (no address asked, the
page shows where news goes, masked); anyone else gives an address and confirms it by e-mail.
"""

from __future__ import annotations

from typing import Any

from django import template

from medvirk.accountability import contact, subscriptions
from medvirk.processes.models import Process

register = template.Library()


@register.inclusion_tag("accountability/_follow.html", takes_context=True)
def follow_case(context: template.Context, process: Process) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    address = contact.account_email(user)
    return {
        "process": process,
        "csrf_token": context.get("csrf_token"),
        "masked_address": contact.masked_email(address) if address else "",
        "following": bool(address) and subscriptions.follows(process, user),
    }
