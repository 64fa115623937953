"""What accountability does when something happens lower down: tell the followers."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from medvirk.processes.signals import process_status_changed

from . import tasks


@receiver(process_status_changed, dispatch_uid="accountability.notify_status_followers")
def notify_followers_of_status(sender: Any, process_id: int, **kwargs: Any) -> None:
    tasks.notify_subscribers.enqueue(process_id, "status")
