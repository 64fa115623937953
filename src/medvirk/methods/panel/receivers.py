"""What the panel does when something happens lower down: an answer from an invited
member marks their invitation answered, for the response rates."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from medvirk.contributions.signals import contribution_created

from . import invites


@receiver(contribution_created, dispatch_uid="panel.mark_invitation_answered")
def mark_invitation_answered(sender: Any, contribution_id: int, **kwargs: Any) -> None:
    """Sent after the answer's transaction commits: one quick update, no e-mail."""
    invites.mark_responded(contribution_id)
