"""Telling an author what a moderator did with their input.

``contributions.actions`` sends ``contribution_moderated`` after a moderator's decision has
been committed; the receiver here queues :func:`notify_moderation`, which writes a message
to the author's account and e-mails the address given with the input (or the account's
verified address), in the language the input was given in, with the private receipt link.

What is told: approved ("now public"), hidden (with the reason shown publicly in its
place), rejected (with the reason, if the moderator gave one) and restored. A note a
moderator writes when approving or restoring is for the log only and is not sent.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from medvirk.contributions.models import Contribution
from medvirk.contributions.signals import contribution_moderated

from . import contact, tasks, unsubscribe
from .models import Notification

# Actions whose reason is for the author (hidden: also shown publicly).
_TOLD_REASON = frozenset({"hidden", "rejected"})


@receiver(contribution_moderated, dispatch_uid="accountability.notify_moderation")
def tell_author(
    sender: Any, contribution_id: int, action: str, reason: str = "", **kwargs: Any
) -> None:
    notify_moderation.enqueue(contribution_id, action, reason if action in _TOLD_REASON else "")


def _language(contribution: Contribution) -> str:
    """The input's language; for input staff registered, the author's or the kommune's."""
    author = contribution.author
    candidates = (
        "" if contribution.registered_by_id is not None else contribution.language,
        author.preferred_language if author is not None else "",
        contribution.process.municipality.default_language,
    )
    for code in candidates:
        if code:
            try:
                return translation.get_supported_language_variant(code)
            except LookupError:
                continue
    return str(settings.LANGUAGE_CODE)


def message(action: str, title: str, reason: str, link: str) -> tuple[str, str] | None:
    """Subject and body for one action, in the active language; None for an unknown one."""
    texts = {
        "approved": (
            _("Your input to «%(title)s» is now public"),
            _(
                "A moderator has approved your input. It is now shown publicly with the other "
                "input to the case."
            ),
        ),
        "hidden": (
            _("Your input to «%(title)s» has been hidden"),
            _(
                "A moderator has hidden your input from the public list. In its place it "
                "says: «Hidden by a moderator: %(reason)s»."
            ),
        ),
        "rejected": (
            _("Your input to «%(title)s» will not be published"),
            _("A moderator has decided not to publish your input."),
        ),
        "restored": (
            _("Your input to «%(title)s» is shown again"),
            _(
                "A moderator has published your input again. It is shown with the other input "
                "to the case."
            ),
        ),
    }
    if action not in texts:
        return None
    subject, what = texts[action]
    parts = [what % {"reason": reason}]
    if reason and action == "rejected":
        parts.append(_("The reason: %(reason)s") % {"reason": reason})
    parts.append(_("See your input and its status: %(link)s") % {"link": link})
    return subject % {"title": title}, "\n\n".join(parts) + "\n"


@task()
def notify_moderation(contribution_id: int, action: str, reason: str) -> int:
    """Tell the author (account and/or e-mail) what a moderator did; 1 when e-mailed."""
    contribution = (
        Contribution.objects.filter(pk=contribution_id)
        .select_related("process__municipality", "author")
        .first()
    )
    if contribution is None:  # erased meanwhile
        return 0
    author = contribution.author
    address = contribution.contact_email.strip() or contact.account_email(author)
    if author is None and not address:
        return 0
    process = contribution.process
    with translation.override(_language(contribution)):
        link = settings.MEDVIRK_BASE_URL.rstrip("/") + contribution.receipt_url()
        told = message(action, process.title, reason, link)
        if told is None:
            return 0
        subject, body = told
        mailed = bool(address) and not unsubscribe.is_opted_out(process.pk, address)
        if mailed:
            tasks.send_case_email(process, address, subject, body)
        Notification.objects.create(
            user=author,
            email=address if mailed else "",
            contribution=contribution,
            subject=subject,
            body=body,
            link=link,
            sent_at=timezone.now() if mailed else None,
        )
    return int(mailed)
