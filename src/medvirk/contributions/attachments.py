"""Files given with input (a scanned letter, a photo from a meeting): stored with it, or not.

:func:`do_contribute_with_attachments` stores the contribution and its files in one
transaction: if anything fails, the files already written are deleted and no row is left.
Attachments are never public; staff with ``respond`` or ``register_offline`` download them
(``staff/offline.py``). When an attachment row is deleted (erasure, a deleted
contribution), its file goes from storage after the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _

from medvirk.core import audit, uploads
from medvirk.core.errors import ActionRefused

from . import actions
from .models import Attachment, Contribution

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.models import User
    from medvirk.processes.models import MethodInstance, Process

__all__ = [
    "MAX_ATTACHMENTS",
    "Attachment",
    "attachment_of",
    "attachments_of",
    "do_contribute_with_attachments",
]

MAX_ATTACHMENTS = 5
# Where the files go in storage (then year/month/random name).
STORAGE_PREFIX = "innspel"


def do_contribute_with_attachments(
    user: User | AnonymousUser,
    method: MethodInstance | None,
    action_key: str,
    draft: actions.Draft,
    files: Sequence[uploads.CheckedUpload],
    *,
    registered_by: User | None = None,
    process: Process | None = None,
) -> actions.Receipt:
    """:func:`actions.do_contribute` with up to :data:`MAX_ATTACHMENTS` checked files.

    All or nothing: the contribution, its attachments and the audit row commit together,
    and a failure deletes every file this call wrote.
    """
    if len(files) > MAX_ATTACHMENTS:
        raise ActionRefused(
            _("Choose at most %(max)d files (you chose %(n)d). No file was saved.")
            % {"max": MAX_ATTACHMENTS, "n": len(files)}
        )
    if any(f.kind not in uploads.ATTACHMENT_KINDS for f in files):
        raise ActionRefused(_("One of the files is of a kind that is not accepted here."))
    with uploads.discard_on_failure() as written, transaction.atomic():
        receipt = actions.do_contribute(
            user, method, action_key, draft, registered_by=registered_by, process=process
        )
        contribution = receipt.contribution
        for checked in files:
            stored = uploads.store(checked, STORAGE_PREFIX)
            written.append(stored)
            Attachment.objects.create(
                contribution=contribution,
                file=stored,
                name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
            )
        if files:
            # Kinds and sizes, never the names: a file's name may name the person, and
            # the audit log outlives erasure.
            audit.record(
                "contribution.attachments_added",
                actor=registered_by or (user if user.is_authenticated else None),
                obj=contribution,
                municipality_id=contribution.process.municipality_id,
                data={
                    "count": len(files),
                    "kinds": [f.kind.value for f in files],
                    "bytes": sum(f.size for f in files),
                },
            )
    return receipt


@receiver(post_delete, sender=Attachment, dispatch_uid="medvirk.attachment.file")
def _delete_file(sender: type[Attachment], instance: Attachment, **kwargs: Any) -> None:
    """The file goes with its row, once the deletion is committed."""
    if instance.file.name:
        uploads.delete_after_commit([instance.file.name])


# -- reads -----------------------------------------------------------------------------------


def attachments_of(contribution: Contribution) -> QuerySet[Attachment]:
    return Attachment.objects.filter(contribution=contribution).order_by("pk")


def attachment_of(contribution: Contribution, pk: int) -> Attachment | None:
    """The contribution's own attachment; another's is not found."""
    return Attachment.objects.filter(contribution=contribution, pk=pk).first()
