"""What the discussion does when a moderator acts on a post (the core's queue and item page,
``contributions.signals.contribution_moderated``, sent after the decision commits).

- The thread's counts are recounted: a reply approved, restored or rejected changes how many
  replies are shown and when the thread was last active.
- A reply published for the first time (approved) is news for the thread's followers.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from medvirk.contributions.signals import contribution_moderated

from . import actions, tasks


def moderated(sender: Any, contribution_id: int, action: str, **kwargs: Any) -> None:
    post = actions.post_of(contribution_id)
    if post is None or post.parent_id is None or post.root_id is None:
        return
    with transaction.atomic():
        actions.recount_thread(post.root_id)
    if action == "approved":
        post_id = post.pk
        transaction.on_commit(lambda: tasks.notify_followers.enqueue(post_id))


def connect() -> None:
    """Listen from start-up (the plug-in module calls this once it is imported)."""
    contribution_moderated.connect(moderated, dispatch_uid="discussion.moderated")
