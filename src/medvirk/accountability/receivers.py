"""What accountability does when something happens lower down: send the receipt when input
comes in, tell the followers, and tell administrators of a disputed identity check."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from medvirk.contributions.signals import contribution_created
from medvirk.identity.signals import in_person_check_disputed
from medvirk.organisations.models import Membership, Role
from medvirk.processes.signals import process_status_changed

from . import tasks
from .models import Notification


@receiver(process_status_changed, dispatch_uid="accountability.notify_status_followers")
def notify_followers_of_status(
    sender: Any, process_id: int, decision: bool = False, **kwargs: Any
) -> None:
    if decision:
        return  # a recorded decision: announce_decision tells the followers, once
    tasks.notify_subscribers.enqueue(process_id, "status")


@receiver(contribution_created, dispatch_uid="accountability.acknowledge_contribution")
def acknowledge_contribution(sender: Any, contribution_id: int, **kwargs: Any) -> None:
    """The receipt ("mottatt") goes out for every input, whoever registered it."""
    tasks.acknowledge_contribution.enqueue(contribution_id)


@receiver(in_person_check_disputed, dispatch_uid="accountability.notify_dispute_administrators")
def notify_administrators_of_dispute(
    sender: Any, check_id: int, municipality_id: int, **kwargs: Any
) -> None:
    """A person disputed an in-person identity check: tell the municipality's administrators
    in their account (issue 15). The message names no one; the review page shows the rest."""
    admins = Membership.objects.filter(
        municipality_id=municipality_id, role=Role.ADMINISTRATOR
    ).select_related("user", "municipality")
    link = reverse("staff:identity_disputes")
    for membership in admins:
        admin = membership.user
        with translation.override(
            admin.preferred_language or membership.municipality.default_language
        ):
            Notification.objects.create(
                user=admin,
                subject=_("An identity check in person was disputed"),
                body=_(
                    "A person says an identity check in person registered for %(municipality)s "
                    "was not them. The check no longer counts. Review it: %(link)s"
                )
                % {"municipality": membership.municipality.name, "link": link},
                link=link,
            )
