"""Writing an idea: one checked write through the core's ``do_contribute``.

An idea is a plain :class:`Contribution` (kind ``idea``): the core's receipt, moderation,
fødselsnummer masking, responses, «Mine data» and erasure all apply without more code here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from medvirk.contributions.actions import Draft, Receipt, do_contribute
from medvirk.core.errors import ActionRefused
from medvirk.processes import permissions, queries
from medvirk.processes.phases import active_phase
from medvirk.processes.types import MethodInstance

from .forms import DEFAULT_LENGTH

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.types import User

ACTION = "submit_idea"
KIND = "idea"


def max_length(instance: MethodInstance) -> int:
    return int(instance.settings.get("max_length", DEFAULT_LENGTH))


def check_submit(user: User | AnonymousUser, instance: MethodInstance) -> None:
    """Raise :class:`ActionRefused` when this person cannot hand in an idea here now."""
    verdict = permissions.can_act(user, instance, ACTION)
    if not verdict:
        raise ActionRefused(verdict.reason, status=403)
    current = active_phase(list(queries.phases_of(instance.process)))
    if current is not None and not instance.settings_for_phase(current).get("takes_ideas", True):
        raise ActionRefused(
            _("The board does not take new ideas in this phase of the case."), status=403
        )


def do_submit_idea(
    user: User | AnonymousUser, instance: MethodInstance, text: str, contact_email: str = ""
) -> Receipt:
    """Store one idea and return its private receipt."""
    check_submit(user, instance)
    text = text.strip()
    if not text:
        raise ActionRefused(_("Write your idea."))
    limit = max_length(instance)
    if len(text) > limit:
        # The form says so first; this holds for every other way in (the demo, a script).
        raise ActionRefused(
            _("At most %(max)d characters (you wrote %(n)d).") % {"max": limit, "n": len(text)}
        )
    draft = Draft(kind=KIND, text=text, contact_email=contact_email.strip())
    return do_contribute(user, instance, ACTION, draft)
